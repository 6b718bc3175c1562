// `npm start` on a fresh clone: a copy of this working tree without node_modules (nor dist, nor
// .cache), where the one command must install the npm dependencies from the lock file, build,
// start the demo provider and the workbench, and answer. Then Ctrl-C stops everything, a second
// start reuses what the first built, and a busy port is reported with the way out.
//
// The npm cache is reused (as on any developer machine). code-server, the workbench host that
// `npm start` installs into .vscode-test/ on first use (3-10 minutes of native builds), is linked
// from this project when it is installed here, unless TEST_FRESH_FULL=1 asks for the whole cold path.
import * as assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const projectRoot = join(__dirname, '..', '..');

function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function portIsFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolveFree) => {
    const server = createServer();
    server.once('error', () => resolveFree(false));
    server.listen(port, host, () => server.close(() => resolveFree(true)));
  });
}

/** Children stop a moment after the parent: give them ten seconds to let go of the port. */
async function portFreedSoon(port: number, host: string): Promise<boolean> {
  for (let attempt = 0; attempt < 20; attempt++) {
    if (await portIsFree(port, host)) return true;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return false;
}

/** The working tree as a clone would have it: tracked files plus new ones that are not ignored. */
function copyWorkingTree(target: string): void {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    cwd: projectRoot,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((file) => file && existsSync(join(projectRoot, file)));
  for (const file of files) {
    mkdirSync(dirname(join(target, file)), { recursive: true });
    cpSync(join(projectRoot, file), join(target, file));
  }
}

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** `npm start -- ARGS` in `cwd`, in its own process group (so Ctrl-C reaches all of it). */
function npmStart(cwd: string, args: string[]): Started {
  // As from a new terminal: none of the outer `npm test`'s npm_* variables.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== 'INIT_CWD'),
  );
  const child = spawn('npm', ['start', '--', ...args], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))),
  );
  return { child, output: () => output, exited };
}

/** Polls the workbench until it serves its page; returns the seconds it took. */
async function waitForWorkbench(port: number, started: Started, timeoutMs: number): Promise<number> {
  const begin = Date.now();
  let exitedEarly = false;
  void started.exited.then(() => (exitedEarly = true));
  while (Date.now() - begin < timeoutMs) {
    if (exitedEarly)
      throw new Error(`npm start exited before the workbench answered:\n${started.output().slice(-3000)}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`);
      const page = await response.text();
      if (response.ok && /workbench/i.test(page)) return Math.round((Date.now() - begin) / 1000);
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`the workbench did not answer within ${timeoutMs / 1000} s:\n${started.output().slice(-3000)}`);
}

/** Ctrl-C to the whole process group, as a terminal sends it. */
async function interrupt(started: Started): Promise<number | null> {
  process.kill(-started.child.pid!, 'SIGINT');
  const code = await Promise.race([
    started.exited,
    new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 30_000)),
  ]);
  if (code === 'timeout') {
    process.kill(-started.child.pid!, 'SIGKILL');
    throw new Error('npm start did not stop within 30 s of Ctrl-C');
  }
  return code;
}

describe('fresh clone: npm start from nothing', function () {
  this.timeout(20 * 60_000);
  let clone: string;
  let running: Started | undefined;

  before(() => {
    clone = mkdtempSync(join(tmpdir(), 'talos-oidc-fresh-'));
    copyWorkingTree(clone);
    const host = join(projectRoot, '.vscode-test', 'code-server');
    if (process.env.TEST_FRESH_FULL !== '1' && existsSync(join(host, '.installed'))) {
      mkdirSync(join(clone, '.vscode-test'));
      symlinkSync(host, join(clone, '.vscode-test', 'code-server'));
    }
  });

  afterEach(async () => {
    if (running && running.child.exitCode === null && running.child.signalCode === null) {
      try {
        process.kill(-running.child.pid!, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
    running = undefined;
  });

  after(() => {
    if (clone) rmSync(clone, { recursive: true, force: true });
  });

  it('installs the dependencies, starts the demo provider and the workbench, and stops everything on Ctrl-C', async () => {
    assert.equal(existsSync(join(clone, 'node_modules')), false);
    const port = await freePort();
    running = npmStart(clone, ['--port', String(port), '--provider-port', '0']);
    const seconds = await waitForWorkbench(port, running, 15 * 60_000);
    console.log(`      cold start: the workbench answered after ${seconds} s`);
    const output = running.output();
    assert.match(output, /\[setup\] installing the npm dependencies: npm ci/);
    assert.match(output, /issuer {6}https:\/\/127\.0\.0\.2:(\d+)/);
    const providerPort = Number(/issuer {6}https:\/\/127\.0\.0\.2:(\d+)/.exec(output)![1]);
    // The sample workspace is set up for the demo provider.
    const settings = JSON.parse(
      readFileSync(join(clone, '.cache', 'playground', 'workspace', '.vscode', 'settings.json'), 'utf8'),
    );
    assert.equal(settings['talosOidc.issuerUrl'], `https://127.0.0.2:${providerPort}`);

    await interrupt(running);
    assert.equal(await portFreedSoon(port, '127.0.0.1'), true, 'the workbench port is free again');
    assert.equal(await portFreedSoon(providerPort, '127.0.0.2'), true, 'the demo provider port is free again');
  });

  it('starts again in seconds, reusing the install, the CA and the client ID', async () => {
    const clientId = JSON.parse(readFileSync(join(clone, '.cache', 'playground', 'provider.json'), 'utf8')).clientId;
    const port = await freePort();
    running = npmStart(clone, ['--port', String(port), '--provider-port', '0']);
    const seconds = await waitForWorkbench(port, running, 5 * 60_000);
    console.log(`      warm start: the workbench answered after ${seconds} s`);
    assert.doesNotMatch(running.output(), /\[setup\]/, 'nothing was installed the second time');
    assert.ok(running.output().includes(`client ID   ${clientId}`), 'the same client ID as the first run');
    await interrupt(running);
  });

  it('names a busy demo-provider port and the option that picks another, before starting anything', async () => {
    const blocker = createServer();
    const port = await freePort('127.0.0.2');
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.2', resolve));
    try {
      running = npmStart(clone, ['--provider-port', String(port)]);
      assert.equal(await running.exited, 1);
      assert.match(
        running.output(),
        new RegExp(
          `Port ${port} on 127\\.0\\.0\\.2 \\(the demo provider\\) is in use.*\\n.*npm start -- --provider-port \\d+`,
        ),
      );
      assert.doesNotMatch(running.output(), /building the extension/);
    } finally {
      blocker.close();
    }
  });

  it('names the busy port and the option that picks another', async () => {
    const blocker = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      running = npmStart(clone, ['--port', String(port), '--provider-port', '0']);
      const code = await running.exited;
      assert.equal(code, 1);
      assert.match(
        running.output(),
        new RegExp(
          `Port ${port} on 127\\.0\\.0\\.1 \\(the workbench\\) is in use\\. Pick another: npm start -- --port \\d+`,
        ),
      );
    } finally {
      blocker.close();
    }
  });
});
