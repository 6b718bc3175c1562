/**
 * `talos-oidc`: the command line over the core, for CI and scripts. This file only dispatches:
 * each command lives in commands/<name>.ts and follows the Command contract (command.ts).
 * Every failure ends as one line on stderr and an exit code, never as a stack trace
 * (set TALOS_OIDC_DEBUG=1 to see the stack of an unexpected error).
 */
import packageJson from '../../package.json';
import { terminalSafe } from '../core/text/terminalSafe';
import { ExitCode, InputError, UsageError, type Command, type CommandIo } from './command';
import { generateCommand } from './commands/generate';
import { kubeconfigCommand } from './commands/kubeconfig';
import { lintCommand } from './commands/lint';
import { loginCommand } from './commands/login';
import { reviewTokenCommand } from './commands/reviewToken';
import { decodeText } from './input';

export const COMMANDS: readonly Command[] = [
  lintCommand,
  reviewTokenCommand,
  generateCommand,
  kubeconfigCommand,
  loginCommand,
];

export const VERSION: string = packageJson.version;

export function mainUsage(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return [
    'Usage: talos-oidc <command> [options]',
    '',
    'Check, generate and test OpenID Connect login for Kubernetes on Talos Linux.',
    '',
    'Commands:',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Run talos-oidc <command> --help for the options of a command.',
    'Options: --help, --version',
    'Exit status: 0 success, 1 check failed, 2 bad usage or unreadable input.',
  ].join('\n');
}

/** Runs the command line with the arguments after the program name; returns the exit code. */
export async function runCli(argv: readonly string[], rawIo: CommandIo): Promise<number> {
  // Everything printed can hold text from input (file contents, claims, provider answers).
  const io: CommandIo = {
    ...rawIo,
    stdout: (text) => rawIo.stdout(terminalSafe(text)),
    stderr: (text) => rawIo.stderr(terminalSafe(text)),
  };
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr(`${mainUsage()}\n`);
    return ExitCode.usage;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? COMMANDS.find((command) => command.name === rest[0]) : undefined;
    io.stdout(`${topic ? topic.usage : mainUsage()}\n`);
    return ExitCode.ok;
  }
  if (first === '--version' || first === '-V' || first === 'version') {
    io.stdout(`${VERSION}\n`);
    return ExitCode.ok;
  }
  const command = COMMANDS.find((candidate) => candidate.name === first);
  if (!command) {
    io.stderr(
      `talos-oidc: unknown command '${first}'. Commands: ${COMMANDS.map((c) => c.name).join(', ')}. See talos-oidc --help.\n`,
    );
    return ExitCode.usage;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`talos-oidc ${command.name}: ${error.message}\nSee talos-oidc ${command.name} --help.\n`);
      return ExitCode.usage;
    }
    if (error instanceof InputError) {
      io.stderr(`talos-oidc ${command.name}: ${error.message}\n`);
      return ExitCode.usage;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`talos-oidc ${command.name}: ${message.split('\n')[0]}\n`);
    if (io.env.TALOS_OIDC_DEBUG && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return ExitCode.failed;
  }
}

/** The real process: stdio, environment, Ctrl-C. */
export function processIo(): CommandIo {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    if (interrupts > 1) process.exit(signal === 'SIGINT' ? 130 : 143);
    controller.abort(new Error(`interrupted (${signal})`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // A closed pipe (`talos-oidc lint . | head`) is not an error worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
      return decodeText(Buffer.concat(chunks), 'standard input');
    },
    cwd: process.cwd(),
    env: process.env,
    signal: controller.signal,
  };
}

function isMainModule(): boolean {
  // Bundled as dist/cli.js (CommonJS) or run through tsx: main when this module is the entry point.
  return typeof require !== 'undefined' && require.main === module;
}

if (isMainModule()) {
  const io = processIo();
  runCli(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
      process.removeAllListeners('SIGINT');
      process.removeAllListeners('SIGTERM');
    },
    (error: unknown) => {
      process.stderr.write(`talos-oidc: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = ExitCode.failed;
    },
  );
}
