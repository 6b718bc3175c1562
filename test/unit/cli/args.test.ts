import * as assert from 'node:assert/strict';
import { parseArgs } from '../../../src/cli/args';
import { ExitCode, UsageError, type Command, type CommandIo } from '../../../src/cli/command';
import { COMMANDS, runCli } from '../../../src/cli/main';

const SPEC = { format: 'string', 'extra-scope': 'list', 'use-context': 'boolean' } as const;

function memoryIo(env: Record<string, string> = {}): CommandIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout(text: string) {
      io.out += text;
    },
    stderr(text: string) {
      io.err += text;
    },
    readStdin: async () => '',
    cwd: process.cwd(),
    env,
    signal: new AbortController().signal,
  };
  return io;
}

describe('command line flags', () => {
  it('reads --flag value, --flag=value, repeatable lists, booleans, "-" and everything after "--" as positionals', () => {
    const parsed = parseArgs(
      [
        'a.yaml',
        '--format=json',
        '--extra-scope',
        'groups',
        '--extra-scope=email',
        '--use-context',
        '-',
        '--',
        '--not-a-flag',
      ],
      SPEC,
    );
    assert.deepEqual(parsed.flags, { format: 'json', 'extra-scope': ['groups', 'email'], 'use-context': true });
    assert.deepEqual(parsed.positionals, ['a.yaml', '-', '--not-a-flag']);
    assert.equal(parsed.help, false);
    assert.equal(parseArgs(['--help'], SPEC).help, true);
  });

  it('an empty value is a value (--username-prefix= means no prefix)', () => {
    assert.equal(parseArgs(['--format='], SPEC).flags.format, '');
  });

  it('names the mistake: unknown flag with a suggestion, missing value, repeated single flag, value on a boolean', () => {
    assert.throws(
      () => parseArgs(['--fromat', 'json'], SPEC),
      (e: unknown) =>
        e instanceof UsageError && /unknown option '--fromat' \(did you mean '--format'\?\)/.test(e.message),
    );
    assert.throws(() => parseArgs(['--format'], SPEC), /'--format' needs a value/);
    assert.throws(() => parseArgs(['--format', '--use-context'], SPEC), /'--format' needs a value/);
    assert.throws(() => parseArgs(['--format', 'a', '--format', 'b'], SPEC), /given more than once/);
    assert.throws(() => parseArgs(['--use-context=yes'], SPEC), /takes no value/);
    assert.throws(() => parseArgs(['-x'], SPEC), /unknown option '-x'/);
  });
});

describe('command dispatcher', () => {
  it('an unexpected failure in a command is one line and exit 1; the stack only with TALOS_OIDC_DEBUG', async () => {
    const broken: Command = {
      name: 'lint',
      summary: '',
      usage: '',
      run: async () => {
        throw new TypeError('cannot read properties of undefined\n    at somewhere (file.ts:1:1)');
      },
    };
    const original = COMMANDS[0];
    (COMMANDS as Command[])[0] = broken;
    try {
      const quiet = memoryIo();
      assert.equal(await runCli(['lint'], quiet), ExitCode.failed);
      assert.equal(quiet.err, 'talos-oidc lint: cannot read properties of undefined\n');
      const debug = memoryIo({ TALOS_OIDC_DEBUG: '1' });
      await runCli(['lint'], debug);
      assert.match(debug.err, /TypeError/);
    } finally {
      (COMMANDS as Command[])[0] = original;
    }
  });

  it("help <command> prints that command's usage", async () => {
    const io = memoryIo();
    assert.equal(await runCli(['help', 'review-token'], io), ExitCode.ok);
    assert.match(io.out, /^Usage: talos-oidc review-token/);
  });
});
