import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { InputError, UsageError, type CommandIo } from '../../../../src/cli/command';
import { loginCommand, type LoginJsonOutput } from '../../../../src/cli/commands/login';
import { driveLogin, startTestProvider, type TestProvider } from '../../../support/provider';

const ROOT = resolve(__dirname, '../../../..');
const CLI = join(ROOT, 'src', 'cli', 'main.ts');

/** A Talos config whose API server trusts the test provider, username from email, groups prefixed. */
function talosConfig(op: TestProvider): string {
  return `version: v1alpha1
machine:
  type: controlplane
cluster:
  apiServer:
    extraArgs:
      oidc-issuer-url: ${op.issuer}
      oidc-client-id: ${op.clients.public.clientId}
      oidc-username-claim: email
      oidc-groups-claim: groups
      oidc-groups-prefix: "oidc:"
`;
}

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Spawns the login command, logs in as `login` through the URL it prints on stderr. */
function runCli(args: string[], op: TestProvider, login: string): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'login', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let driving = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const url = /^ {2}(https:\/\/\S+)$/m.exec(stderr)?.[1];
      if (url && !driving) {
        driving = true;
        driveLogin(url, { caPem: op.caPem, login }).catch(reject);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

describe('talos-oidc login, end to end against a real provider', function () {
  this.timeout(60_000);
  let op: TestProvider;
  let dir: string;
  let configFile: string;
  const baseArgs = () => [
    '--issuer',
    op.issuer,
    '--client-id',
    op.clients.public.clientId,
    '--ca-file',
    op.caFile,
    '--listen-address',
    '127.0.0.1:0',
    '--extra-scope',
    'email,groups',
    '--no-browser',
  ];

  before(async () => {
    op = await startTestProvider();
    dir = await mkdtemp(join(tmpdir(), 'talos-oidc-login-cli-'));
    configFile = join(dir, 'controlplane.yaml');
    await writeFile(configFile, talosConfig(op));
  });
  after(async () => {
    await op.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('prints the URL on stderr, then claims, header, an accepting review and passed checks as JSON (exit 0)', async () => {
    const run = await runCli([...baseArgs(), '--config', configFile, '--format', 'json'], op, op.accounts.alice.sub);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /Waiting for the login callback on http:\/\/localhost:\d+ /);
    const output = JSON.parse(run.stdout) as LoginJsonOutput;
    assert.deepEqual(Object.keys(output), ['claims', 'header', 'review', 'checks']);
    assert.equal(output.claims?.sub, op.accounts.alice.sub);
    assert.equal(output.header?.kid, op.signingKey.kid);
    assert.deepEqual(output.review, {
      authenticated: true,
      username: 'alice@example.test',
      groups: ['oidc:cluster-admins', 'oidc:developers'],
      error: null,
    });
    assert.deepEqual(
      output.checks.filter((check) => !check.ok),
      [],
    );
    assert.ok(output.checks.some((check) => check.id === 'id-token' && check.ok));
    assert.doesNotMatch(run.stdout + run.stderr, /eyJ[\w-]+\.eyJ/, 'no token is printed');
  });

  it("shows the API server's rejection for a user whose email is not verified (exit 1)", async () => {
    const run = await runCli([...baseArgs(), '--config', configFile, '--format', 'json'], op, op.accounts.carol.sub);
    assert.equal(run.code, 1, run.stderr);
    const output = JSON.parse(run.stdout) as LoginJsonOutput;
    assert.equal(output.claims?.email_verified, false);
    assert.equal(output.review?.authenticated, false);
    assert.equal(output.review?.error, 'oidc: email not verified');
  });
  it('exits 2 with one line for bad usage', async () => {
    const run = await runCli(['--issuer', op.issuer], op, op.accounts.alice.sub);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^talos-oidc login: option '--client-id' is required$/m);
  });
});

describe('talos-oidc login, in process', () => {
  let op: TestProvider;
  before(async () => {
    op = await startTestProvider();
  });
  after(() => op.stop());

  function io(onStderr?: (all: string) => void): CommandIo & { out: () => string; err: () => string } {
    let out = '';
    let err = '';
    return {
      stdout: (text) => void (out += text),
      stderr: (text) => {
        err += text;
        onStderr?.(err);
      },
      readStdin: async () => '',
      cwd: ROOT,
      env: {},
      signal: new AbortController().signal,
      out: () => out,
      err: () => err,
    };
  }

  it('prints a readable text report without --config and exits 0', async () => {
    let driving = false;
    const streams = io((err) => {
      const url = /^ {2}(https:\/\/\S+)$/m.exec(err)?.[1];
      if (url && !driving) {
        driving = true;
        void driveLogin(url, { caPem: op.caPem, login: op.accounts.bob.sub });
      }
    });
    const code = await loginCommand.run(
      [
        '--issuer',
        op.issuer,
        '--client-id',
        op.clients.public.clientId,
        '--ca-file',
        op.caFile,
        '--listen-address',
        '127.0.0.1:0',
        '--extra-scope',
        'groups',
        '--no-browser',
      ],
      streams,
    );
    assert.equal(code, 0, streams.err());
    assert.match(streams.out(), /passed +Discovery issuer equals the configured issuer exactly/);
    assert.match(streams.out(), new RegExp(`ID token: verified \\(RS256, kid ${op.signingKey.kid}\\)`));
    assert.match(streams.out(), /"groups": \[\]/);
    assert.match(streams.out(), /No --config given/);
  });

  it('opens the browser with the authorization URL unless --no-browser', async () => {
    const original = loginCommand.openBrowser;
    const opened: string[] = [];
    loginCommand.openBrowser = async (url) => {
      opened.push(url);
      void driveLogin(url, { caPem: op.caPem, login: op.accounts.alice.sub });
    };
    try {
      const streams = io();
      const code = await loginCommand.run(
        [
          '--issuer',
          op.issuer,
          '--client-id',
          op.clients.public.clientId,
          '--ca-file',
          op.caFile,
          '--listen-address',
          '127.0.0.1:0',
          '--format',
          'json',
        ],
        streams,
      );
      assert.equal(code, 0, streams.err());
      assert.equal(opened.length, 1);
      assert.ok(streams.err().includes(opened[0]), 'the opened URL is also printed on stderr');
    } finally {
      loginCommand.openBrowser = original;
    }
  });

  it('stops on Ctrl-C with exit 1 and says so', async () => {
    const controller = new AbortController();
    const streams = {
      ...io((err) => void (err.includes('Open this URL') && controller.abort())),
      signal: controller.signal,
    };
    const code = await loginCommand.run(
      [
        '--issuer',
        op.issuer,
        '--client-id',
        op.clients.public.clientId,
        '--ca-file',
        op.caFile,
        '--listen-address',
        '127.0.0.1:0',
        '--no-browser',
      ],
      streams,
    );
    assert.equal(code, 1);
    assert.match(streams.err(), /talos-oidc login: The login was cancelled\./);
  });

  it('fails fast with the checks when the CA is missing, without opening a listener (exit 1)', async () => {
    const streams = io();
    const code = await loginCommand.run(
      ['--issuer', op.issuer, '--client-id', 'x', '--format', 'json', '--no-browser'],
      streams,
    );
    assert.equal(code, 1);
    const output = JSON.parse(streams.out()) as LoginJsonOutput;
    assert.equal(output.claims, null);
    assert.match(
      output.checks.find((check) => check.id === 'discovery')?.message ?? '',
      /not signed by a trusted CA.*Fix: .*certificate-authority/,
    );
    assert.match(streams.err(), /The login was not started/);
  });

  it('treats bad usage and unreadable input as such', async () => {
    const streams = io();
    await assert.rejects(
      loginCommand.run(['--issuer', op.issuer], streams),
      (error) => error instanceof UsageError && /--client-id' is required/.test(error.message),
    );
    await assert.rejects(
      loginCommand.run(['--issuer', op.issuer, '--client-id', 'c', '--timeout', 'soon'], streams),
      UsageError,
    );
    await assert.rejects(
      loginCommand.run(['--issuer', op.issuer, '--client-id', 'c', '--listen-address', 'localhost'], streams),
      /not a listen address/,
    );
    await assert.rejects(
      loginCommand.run(['--issuer', op.issuer, '--client-id', 'c', '--format', 'yaml'], streams),
      UsageError,
    );
    await assert.rejects(
      loginCommand.run(['--issuer', op.issuer, '--client-id', 'c', '--ca-file', 'no/such.pem'], streams),
      (error) => error instanceof InputError && /no such file/.test(error.message),
    );
    await assert.rejects(
      loginCommand.run(['--issuer', op.issuer, '--client-id', 'c', '--config', 'package.json'], streams),
      (error) => error instanceof InputError && /no OIDC settings/.test(error.message),
    );
  });
});
