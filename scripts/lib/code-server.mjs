// code-server (a real VS Code: server plus web workbench, extension host on Node) as the test
// and playground host. It is installed from the npm registry into a cache folder on first use,
// because desktop VS Code cannot be downloaded where this project's CI runs.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir, onCleanup, run, spawnOwned } from './processes.mjs';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** code-server 4.100.3 is VS Code 1.100.3 and runs on Node 20; later releases need Node 22+. */
export const CODE_SERVER_VERSION = '4.100.3';

/** Where the host is cached (git-ignored). */
export const codeServerHome = join(projectRoot, '.vscode-test', 'code-server');

/** Written last by a successful install: without it the folder does not count as installed. */
const installedMarker = join(codeServerHome, '.installed');

/** The entry script of the installed code-server. */
export const codeServerEntry = join(codeServerHome, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

/**
 * The ripgrep that code-server's bundled VS Code uses is downloaded from a code host by a
 * postinstall step, which cannot work offline. That step looks for a cached archive first, so
 * an archive holding Debian's `rg` is put where it looks. These names belong to the pinned
 * code-server (its @vscode/ripgrep 1.15.11).
 */
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_ASSETS = {
  x64: 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz',
};

/** @param {string} message */
function log(message) {
  console.log(`[code-server] ${message}`);
}

export function isCodeServerInstalled() {
  return existsSync(installedMarker) && existsSync(codeServerEntry);
}

/** Finds a program on PATH. @param {string} name @returns {string | undefined} */
function which(name) {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Puts an archive of the system `rg` where @vscode/ripgrep's postinstall looks before downloading. */
async function seedRipgrepCache() {
  const asset = RIPGREP_ASSETS[/** @type {'x64'} */ (process.arch)];
  const rg = which('rg');
  if (!asset || !rg) {
    log(
      rg
        ? `no ripgrep archive name known for ${process.arch}; the install will try to download it`
        : 'ripgrep (`rg`) is not installed; install the Debian package `ripgrep` (the install downloads it otherwise)',
    );
    return;
  }
  const cacheDir = join(tmpdir(), `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  const archive = join(cacheDir, asset);
  if (existsSync(archive)) return;
  mkdirSync(cacheDir, { recursive: true });
  const staging = makeTempDir('rg-seed-');
  writeFileSync(join(staging, 'rg'), readFileSync(rg), { mode: 0o755 });
  const partial = `${archive}.partial`;
  const { code, output } = await run('tar', ['-czf', partial, '-C', staging, 'rg'], { quiet: true });
  if (code !== 0) throw new Error(`could not pack ${rg} for the ripgrep cache: ${output}`);
  renameSync(partial, archive);
  log(`seeded the ripgrep cache from ${rg}`);
}

/**
 * An environment for a nested npm: without the `npm_config_*` / `npm_package_*` variables of an
 * outer `npm run` (they would point the install at this project), and with the settings a root
 * install of code-server needs.
 */
function installEnvironment() {
  /** @type {NodeJS.ProcessEnv} */
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_(config|package|lifecycle)_/i.test(key) || key === 'INIT_CWD') continue;
    env[key] = value;
  }
  env.npm_config_unsafe_perm = 'true';
  env.npm_config_yes = 'true';
  env.npm_config_fund = 'false';
  env.npm_config_audit = 'false';
  env.npm_config_update_notifier = 'false';
  return env;
}

/**
 * Installs code-server into the cache folder unless it is already there. The install happens in
 * a sibling folder that is renamed into place only when it succeeded, so a failed or interrupted
 * install never leaves a folder that later counts as installed.
 * @returns {Promise<string>} the entry script
 */
export async function ensureCodeServer() {
  if (isCodeServerInstalled()) return codeServerEntry;
  const nodeMajor = Number(process.versions.node.split('.')[0]);
  if (nodeMajor !== 20) {
    log(`warning: code-server ${CODE_SERVER_VERSION} is made for Node 20; this is Node ${process.versions.node}`);
  }
  for (const tool of ['make', 'g++', 'python3', 'pkg-config']) {
    if (!which(tool)) {
      throw new Error(
        `code-server's install compiles native modules and needs \`${tool}\`. On Debian: ` +
          'apt-get install -y build-essential python3 pkg-config libkrb5-dev ripgrep',
      );
    }
  }
  await seedRipgrepCache();

  const parent = dirname(codeServerHome);
  mkdirSync(parent, { recursive: true });
  removeAbandonedInstalls(parent);
  const staging = join(parent, `code-server.installing-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  // Interrupted (Ctrl-C, a CI timeout): the half-done folder goes too.
  onCleanup(() => rmSync(staging, { recursive: true, force: true }));
  writeFileSync(
    join(staging, 'package.json'),
    JSON.stringify({ name: 'code-server-host', private: true, description: 'test host cache' }, null, 2),
  );
  const logFile = join(parent, 'code-server-install.log');
  log(
    `installing code-server ${CODE_SERVER_VERSION} into ${codeServerHome} (one time: 1-3 minutes, up to 10 on a busy machine)`,
  );
  const started = Date.now();
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const { code, output } = await run(
    npm,
    ['install', '--no-save', '--no-package-lock', '--foreground-scripts', `code-server@${CODE_SERVER_VERSION}`],
    { cwd: staging, env: installEnvironment(), quiet: true },
  );
  writeFileSync(logFile, output);
  if (code !== 0 || !existsSync(join(staging, 'node_modules', 'code-server', 'out', 'node', 'entry.js'))) {
    rmSync(staging, { recursive: true, force: true });
    const tail = output.trim().split('\n').slice(-25).join('\n');
    throw new Error(`installing code-server failed (exit ${code}); full log in ${logFile}\n${tail}`);
  }
  writeFileSync(join(staging, '.installed'), `code-server@${CODE_SERVER_VERSION}\n`);
  rmSync(codeServerHome, { recursive: true, force: true });
  renameSync(staging, codeServerHome);
  log(`installed in ${Math.round((Date.now() - started) / 1000)} s`);
  return codeServerEntry;
}

/** Removes half-done installs left by a process that was killed (their pid is in the name). @param {string} parent */
function removeAbandonedInstalls(parent) {
  for (const name of readdirSync(parent)) {
    const match = /^code-server\.installing-(\d+)$/.exec(name);
    if (!match || isAlive(Number(match[1]))) continue;
    rmSync(join(parent, name), { recursive: true, force: true });
  }
}

/** @param {number} pid */
function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A free TCP port on the loopback interface. @returns {Promise<number>} */
export function findFreePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * User settings for a quiet test workbench: no welcome page, no update or gallery checks.
 * @param {string} userDataDir
 * @param {Record<string, unknown>} [extra]
 */
function writeUserSettings(userDataDir, extra = {}) {
  const userDir = join(userDataDir, 'User');
  mkdirSync(userDir, { recursive: true });
  const file = join(userDir, 'settings.json');
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'update.mode': 'none',
    'security.workspace.trust.enabled': false,
    'git.enabled': false,
    ...extra,
  };
  writeFileSync(file, JSON.stringify(settings, null, 2));
}

/**
 * Installs a .vsix into an extensions folder with code-server's own installer (offline).
 * @param {string} vsixPath
 * @param {string} extensionsDir
 */
export async function installVsix(vsixPath, extensionsDir) {
  const entry = await ensureCodeServer();
  const userDataDir = makeTempDir('cs-install-user-');
  const { code, output } = await run(
    process.execPath,
    [entry, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsixPath],
    { quiet: true },
  );
  if (code !== 0 || /failed|error/i.test(output.replace(/without errors/gi, ''))) {
    throw new Error(`code-server could not install ${vsixPath} (exit ${code}):\n${output}`);
  }
  return output.trim();
}

/**
 * @typedef {object} CodeServerOptions
 * @property {string} [workspace] the folder code-server opens by default
 * @property {string} [extensionsDir] defaults to a new empty temporary folder
 * @property {string} [userDataDir] defaults to a new empty temporary folder
 * @property {number} [port] defaults to a free loopback port
 * @property {Record<string, unknown>} [settings] user settings added to the quiet defaults
 * @property {boolean} [showLog] forward the server's own output (default: only on failure)
 * @property {number} [startTimeoutMs]
 * @property {Record<string, string>} [env] added to the environment (the extension host inherits it)
 */

/**
 * @typedef {object} RunningCodeServer
 * @property {string} url e.g. http://127.0.0.1:41234
 * @property {number} port
 * @property {string} userDataDir
 * @property {string} extensionsDir
 * @property {() => string} output everything the server printed so far
 * @property {() => void} stop
 * @property {Promise<number | null>} exited
 */

/**
 * Starts code-server on loopback without authentication and waits until it listens.
 * @param {CodeServerOptions} [options]
 * @returns {Promise<RunningCodeServer>}
 */
export async function startCodeServer(options = {}) {
  const entry = await ensureCodeServer();
  const port = options.port ?? (await findFreePort());
  const userDataDir = options.userDataDir ?? makeTempDir('cs-user-');
  const extensionsDir = options.extensionsDir ?? makeTempDir('cs-ext-');
  // A kept user-data folder (npm start) keeps the user's own settings after the first run.
  if (!options.userDataDir || !existsSync(join(userDataDir, 'User', 'settings.json'))) {
    writeUserSettings(userDataDir, options.settings);
  }
  const args = [
    entry,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    // Its own config file, so nothing is written to the user's ~/.config/code-server.
    '--config',
    join(userDataDir, 'code-server-config.yaml'),
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
  if (options.workspace) args.push(options.workspace);
  const env = { ...process.env, ...options.env };
  // A password in the environment would switch authentication back on.
  delete env.PASSWORD;
  delete env.HASHED_PASSWORD;
  const { child, stop, exited } = spawnOwned(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = `http://127.0.0.1:${port}`;
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  await new Promise((resolveReady, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`code-server did not start listening within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    /** @param {Error} error */
    function fail(error) {
      clearTimeout(timer);
      stop();
      reject(new Error(`${error.message}\n--- code-server output ---\n${output}`));
    }
    /** @param {Buffer} chunk */
    const onData = (chunk) => {
      output += chunk;
      if (options.showLog) process.stdout.write(chunk);
      if (output.includes(`HTTP server listening on ${url}`)) {
        clearTimeout(timer);
        resolveReady(undefined);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    exited.then((code) => fail(new Error(`code-server exited (code ${code}) before it was ready`)));
  });
  return { url, port, userDataDir, extensionsDir, output: () => output, stop, exited };
}

/**
 * The `payload` query value that makes the web workbench load an extension from a folder
 * (and, with a tests path, run that suite): the same as desktop VS Code's
 * --extensionDevelopmentPath / --extensionTestsPath.
 * @param {string} serverUrl
 * @param {{ extensionDevelopmentPath?: string, extensionTestsPath?: string }} paths absolute paths on this machine
 */
export function workbenchPayload(serverUrl, paths) {
  const authority = new URL(serverUrl).host;
  /** @type {[string, string][]} */
  const payload = [];
  if (paths.extensionDevelopmentPath) {
    payload.push(['extensionDevelopmentPath', `vscode-remote://${authority}${paths.extensionDevelopmentPath}`]);
  }
  if (paths.extensionTestsPath) {
    payload.push([
      'extensionTestsPath',
      `vscode-remote://${authority}${paths.extensionTestsPath.replace(/\.js$/, '')}`,
    ]);
  }
  return payload;
}

/**
 * The URL of a workbench window on a folder, optionally with an extension loaded from source.
 * @param {string} serverUrl
 * @param {{ folder?: string, extensionDevelopmentPath?: string, extensionTestsPath?: string }} options
 */
export function workbenchUrl(serverUrl, options) {
  const url = new URL(serverUrl);
  if (options.folder) url.searchParams.set('folder', options.folder);
  const payload = workbenchPayload(serverUrl, options);
  if (payload.length > 0) url.searchParams.set('payload', JSON.stringify(payload));
  return url.toString();
}
