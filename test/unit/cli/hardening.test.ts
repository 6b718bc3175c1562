/**
 * Issue 13, the command line: what it prints from input cannot drive the terminal, every network
 * call has a deadline, the client secret can stay off the command line, and only web URLs are
 * handed to the system's opener.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CommandIo } from '../../../src/cli/command';
import { openWithSystemBrowser } from '../../../src/cli/commands/login';
import { runCli } from '../../../src/cli/main';
import { driveLogin, startTestProvider, type TestProvider } from '../../support/provider';

const ROOT = resolve(__dirname, '../../..');
const CLI = join(ROOT, 'src', 'cli', 'main.ts');

function memoryIo(stdin = ''): CommandIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout(text: string) {
      io.out += text;
    },
    stderr(text: string) {
      io.err += text;
    },
    readStdin: async () => stdin,
    cwd: process.cwd(),
    env: {},
    signal: new AbortController().signal,
  };
  return io;
}

/** Spawns `talos-oidc login …`, feeding `stdin`, and logs in through the URL it prints. */
function spawnLogin(
  args: string[],
  op: TestProvider,
  stdin: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'login', ...args], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdin.end(stdin);
    let stdout = '';
    let stderr = '';
    let driving = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const url = /^ {2}(https:\/\/\S+)$/m.exec(stderr)?.[1];
      if (url && !driving) {
        driving = true;
        driveLogin(url, { caPem: op.caPem, login: op.accounts.alice.sub }).catch(reject);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

describe('hardening: the command line', function () {
  this.timeout(60_000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'talos-oidc-cli-hardening-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('lint prints terminal escape sequences from a file as text, never raw (ESC ] 52 would write the clipboard)', async () => {
    const file = join(dir, 'controlplane.yaml');
    await writeFile(
      file,
      [
        'machine:',
        '  type: controlplane',
        'cluster:',
        '  apiServer:',
        '    extraArgs:',
        '      oidc-issuer-url: "http://id.example.com/\\e]52;c;dG91Y2ggL3RtcC9wd25lZA==\\a\\r\\u009b2J"',
        '      oidc-client-id: kubernetes',
        '',
      ].join('\n'),
    );
    for (const format of ['text', 'json']) {
      const io = memoryIo();
      await runCli(['lint', file, '--format', format], io);
      const printed = io.out + io.err;
      assert.doesNotMatch(printed, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/, format);
      assert.match(printed, /\\u001b\]52;c;/, format);
      if (format === 'json') assert.ok(Array.isArray(JSON.parse(io.out)));
    }
  });

  it('login --timeout 2 gives up on a provider that accepts the connection and never answers', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolveListen) => silent.listen(0, '127.0.0.1', resolveListen));
    const { port } = silent.address() as AddressInfo;
    const started = Date.now();
    try {
      const io = memoryIo();
      const code = await runCli(
        [
          'login',
          '--issuer',
          `https://127.0.0.1:${port}`,
          '--client-id',
          'k',
          '--timeout',
          '2',
          '--no-browser',
          '--listen-address',
          '127.0.0.1:0',
        ],
        io,
      );
      assert.equal(code, 1);
      assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolveClose) => silent.close(() => resolveClose()));
    }
  });

  it('refuses to hand anything but an http(s) URL to the system opener', async () => {
    await assert.rejects(openWithSystemBrowser('file:///C:/Windows/System32/calc.exe'), /refusing to open a file: URL/);
    await assert.rejects(openWithSystemBrowser('javascript:alert(1)'), /refusing to open a javascript: URL/);
  });

  describe('the client secret', () => {
    let op: TestProvider;
    before(async () => {
      op = await startTestProvider();
    });
    after(() => op.stop());
    const args = () => [
      '--issuer',
      op.issuer,
      '--client-id',
      op.clients.confidential.clientId,
      '--ca-file',
      op.caFile,
      '--listen-address',
      '127.0.0.1:0',
      '--no-browser',
      '--format',
      'json',
    ];

    it('is read from standard input with --client-secret-file - (not visible in ps), without a warning', async () => {
      const run = await spawnLogin(
        [...args(), '--client-secret-file', '-'],
        op,
        `${op.clients.confidential.clientSecret}\n`,
      );
      assert.equal(run.code, 0, run.stderr);
      assert.doesNotMatch(run.stderr, /Warning: --client-secret/);
    });

    it('is read from a file with --client-secret-file FILE', async () => {
      const file = join(dir, 'secret');
      await writeFile(file, op.clients.confidential.clientSecret!, { mode: 0o600 });
      const run = await spawnLogin([...args(), '--client-secret-file', file], op, '');
      assert.equal(run.code, 0, run.stderr);
    });

    it('given as a flag still works, with a warning that other users can read it', async () => {
      const run = await spawnLogin([...args(), '--client-secret', op.clients.confidential.clientSecret!], op, '');
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stderr, /Warning: --client-secret puts the secret on the command line/);
    });
  });
});
