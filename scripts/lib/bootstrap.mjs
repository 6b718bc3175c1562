// The prelude of `npm start` and `npm test` on a fresh machine: the Debian packages that
// code-server and the browser tests need, then the npm dependencies from package-lock.json.
// Imports only node: builtins, because it runs before anything is installed.
//
//   await bootstrap('start')   code-server's build tools, ripgrep, openssl
//   await bootstrap('test')    the same plus Chromium and its fonts (kubectl when available)
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Debian packages by purpose. code-server's native modules compile against libkrb5 with the
 * build tools; its search uses ripgrep; the demo and test providers make their CA with openssl.
 */
const CODE_SERVER_PACKAGES = [
  'build-essential',
  'python3',
  'pkg-config',
  'libkrb5-dev',
  'ripgrep',
  'openssl',
  'ca-certificates',
];
/** Headless Chromium drives the workbench in the browser tests; the fonts make screenshots readable. */
const BROWSER_TEST_PACKAGES = ['chromium', 'fonts-liberation'];
/**
 * Nice to have, by the command it provides: kubectl checks written kubeconfigs. A missing one is
 * reported by its tests; a command already on PATH (installed some other way) is enough.
 */
const OPTIONAL_TEST_PACKAGES = { 'kubernetes-client': 'kubectl' };

/** The file, inside node_modules, that records which lock file the last successful install used. */
const INSTALL_STAMP = join(projectRoot, 'node_modules', '.talos-oidc-lock-hash');

/** @param {string} message */
function say(message) {
  console.log(`[setup] ${message}`);
}

/** @param {string} name */
function onPath(name) {
  return (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(join(dir, name)));
}

/** @param {string[]} packages @returns {string[]} the ones dpkg does not report installed */
function missingDebianPackages(packages) {
  return packages.filter((name) => {
    const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return result.status !== 0 || !result.stdout.includes('install ok installed');
  });
}

/** How to run apt-get here: directly as root, through sudo when it asks no password, else not at all. */
function aptRunner() {
  if (process.getuid?.() === 0) return [];
  if (onPath('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0) return ['sudo', '-n'];
  return undefined;
}

/**
 * Installs missing Debian packages (root, or sudo without a password), or stops with the one
 * command line to run. Not Debian (no dpkg): says what the tools are and goes on.
 * @param {string[]} required
 * @param {string[]} [optional] installed when possible; never a reason to stop
 */
export function ensureDebianPackages(required, optional = []) {
  if (process.platform !== 'linux' || !onPath('dpkg-query') || !onPath('apt-get')) {
    say(`not a Debian system: make sure these (or your system's equivalents) are installed: ${required.join(' ')}`);
    return;
  }
  const missing = missingDebianPackages(required);
  // An optional package the archive lacks is tried once, not on every run (apt-get update is slow).
  const triedStamp = join(projectRoot, '.cache', 'optional-debian-packages-tried');
  const tried = existsSync(triedStamp) ? readFileSync(triedStamp, 'utf8').split('\n') : [];
  const missingOptional = missingDebianPackages(optional.filter((name) => !tried.includes(name)));
  if (missing.length === 0 && missingOptional.length === 0) return;
  const runner = aptRunner();
  if (!runner) {
    if (missing.length === 0) return; // Optional ones only: not worth stopping for.
    console.error(`\nThese Debian packages are missing: ${missing.join(' ')}. Install them with:\n`);
    console.error(`  sudo apt-get install -y --no-install-recommends ${missing.join(' ')}\n`);
    console.error('then run the same npm command again.');
    process.exit(1);
  }
  // Another apt (a second terminal, unattended upgrades) holds the lock for a while: wait for it.
  const lockWait = ['-o', 'DPkg::Lock::Timeout=600'];
  const runApt = (/** @type {string[]} */ args) => {
    const [command, ...commandArgs] = [
      ...runner,
      'env',
      'DEBIAN_FRONTEND=noninteractive',
      'apt-get',
      ...lockWait,
      ...args,
    ];
    return spawnSync(command, commandArgs, { stdio: 'inherit' }).status === 0;
  };
  const aptArgs = ['-y', '-qq', '--no-install-recommends'];
  say(`installing Debian packages: ${[...missing, ...missingOptional].join(' ')}`);
  runApt(['update', '-qq']);
  if (missing.length && !runApt(['install', ...aptArgs, ...missing])) {
    console.error(`\napt-get could not install ${missing.join(' ')} (see above).`);
    process.exit(1);
  }
  for (const name of missingOptional) {
    if (!runApt(['install', ...aptArgs, name])) say(`${name} is not available: the tests that need it will say so`);
  }
  if (missingOptional.length) {
    mkdirSync(dirname(triedStamp), { recursive: true });
    writeFileSync(triedStamp, [...tried, ...missingOptional].join('\n'));
  }
}

/** The lock file's hash plus the Node major version (native modules are built per version). */
function lockHash() {
  const lock = readFileSync(join(projectRoot, 'package-lock.json'));
  return createHash('sha256')
    .update(lock)
    .update(`node${process.versions.node.split('.')[0]}`)
    .digest('hex');
}

/** True when node_modules was installed by `npm ci` from the current package-lock.json. */
export function nodeModulesAreCurrent() {
  return existsSync(INSTALL_STAMP) && readFileSync(INSTALL_STAMP, 'utf8').trim() === lockHash();
}

/** Runs `npm ci` when node_modules is missing or was installed from another lock file. */
export function ensureNodeModules() {
  if (nodeModulesAreCurrent()) return;
  say(
    existsSync(join(projectRoot, 'node_modules'))
      ? 'package-lock.json changed: npm ci'
      : 'installing the npm dependencies: npm ci',
  );
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: projectRoot, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('\nnpm ci failed (see above).');
    process.exit(1);
  }
  writeFileSync(INSTALL_STAMP, `${lockHash()}\n`);
}

function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    console.error(
      `Node ${process.versions.node} is too old: this project needs Node 20.19 or later (Node 20 for code-server).`,
    );
    process.exit(1);
  }
  if (major !== 20) say(`note: code-server (the workbench) is made for Node 20; this is Node ${process.versions.node}`);
}

/**
 * Everything a fresh clone needs before `npm start` or `npm test` can run.
 * @param {'start' | 'start-provider' | 'test'} purpose start-provider: only the demo provider (no code-server)
 */
export function bootstrap(purpose) {
  checkNode();
  if (purpose === 'test') {
    const optional = Object.entries(OPTIONAL_TEST_PACKAGES)
      .filter(([, command]) => !onPath(command))
      .map(([name]) => name);
    ensureDebianPackages([...CODE_SERVER_PACKAGES, ...BROWSER_TEST_PACKAGES], optional);
  } else if (purpose === 'start') ensureDebianPackages(CODE_SERVER_PACKAGES);
  else ensureDebianPackages(['openssl', 'ca-certificates']);
  ensureNodeModules();
}

/** The Go toolchain's version line, or undefined when `go` is not installed. */
export function goVersion() {
  try {
    return execFileSync('go', ['version'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}
