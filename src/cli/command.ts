/**
 * The contract every `talos-oidc` subcommand follows. The dispatcher (main.ts) picks a command
 * by its first word, hands it the remaining arguments and an `io`, and exits with the number it
 * returns. Commands never call `process.exit` and never write to `process.stdout` directly, so
 * tests can run them in-process.
 */

/** Exit codes shared by every command (issue 2). */
export const ExitCode = {
  /** Success: lint found no error, the token is accepted, the file was written. */
  ok: 0,
  /** The check failed: lint found an error, the token is rejected or cannot be predicted, an operation failed. */
  failed: 1,
  /** Bad usage or unreadable input: unknown flag, missing value, missing file, not YAML. */
  usage: 2,
} as const;

export interface CommandIo {
  /** Writes to standard output as is (add the newline yourself). */
  stdout(text: string): void;
  /** Writes to standard error as is (add the newline yourself). */
  stderr(text: string): void;
  /** Reads all of standard input as UTF-8 (for `--claims -`). */
  readStdin(): Promise<string>;
  /** Directory relative paths are resolved against. */
  cwd: string;
  env: Record<string, string | undefined>;
  /** Aborted on Ctrl-C / SIGTERM; long-running commands (login) stop and clean up. */
  signal: AbortSignal;
}

export interface Command {
  /** The word after `talos-oidc`, e.g. `lint`; a nested command uses its first word (`kubeconfig`). */
  name: string;
  /** One line for `talos-oidc --help`. */
  summary: string;
  /** Full usage text for `talos-oidc <name> --help`, flags included. */
  usage: string;
  /**
   * Runs the command with the arguments after its name. Returns the exit code.
   * Throw `UsageError` for bad usage (the dispatcher prints `talos-oidc <name>: <message>` and
   * the usage hint, exit 2) and `InputError` for unreadable input (one line, exit 2). Anything
   * else thrown is reported as one line too (exit 1), never as a stack trace.
   */
  run(args: string[], io: CommandIo): Promise<number>;
}

/** Bad flags or arguments: exit 2 with a hint to `--help`. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Input that cannot be used: missing/binary/huge file, not YAML, bad JSON: exit 2, one line. */
export class InputError extends Error {
  override name = 'InputError';
}
