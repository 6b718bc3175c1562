// Owns every child process and temporary folder a harness starts, so that a normal end, a
// failure, a timeout and Ctrl-C all leave nothing running or lying around.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** @type {Set<() => void>} */
const cleanups = new Set();
let signalHandlersInstalled = false;

function runCleanups() {
  for (const cleanup of [...cleanups].reverse()) {
    cleanups.delete(cleanup);
    try {
      cleanup();
    } catch {
      // Best effort: one failing cleanup must not keep the others from running.
    }
  }
}

function installSignalHandlers() {
  if (signalHandlersInstalled) return;
  signalHandlersInstalled = true;
  process.on('exit', runCleanups);
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
    process.on(signal, () => {
      runCleanups();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

/**
 * Registers a cleanup that runs on exit or a stop signal; returns a function that runs it now
 * (once) and unregisters it.
 * @param {() => void} cleanup
 * @returns {() => void}
 */
export function onCleanup(cleanup) {
  installSignalHandlers();
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    cleanups.delete(once);
    cleanup();
  };
  cleanups.add(once);
  return once;
}

/** Runs every registered cleanup now (the same as at process exit). */
export function cleanupAll() {
  runCleanups();
}

/**
 * A temporary folder that is removed at exit.
 * @param {string} prefix
 * @returns {string}
 */
export function makeTempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Spawns a process in its own process group (so its children die with it) and registers
 * its termination as a cleanup.
 * @param {string} command
 * @param {string[]} args
 * @param {import('node:child_process').SpawnOptions} [options]
 * @returns {{ child: import('node:child_process').ChildProcess, stop: () => void, exited: Promise<number | null> }}
 */
export function spawnOwned(command, args, options = {}) {
  const child = spawn(command, args, { ...options, detached: true });
  /** @type {Promise<number | null>} */
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null)));
    child.once('error', () => resolve(null));
  });
  const stop = onCleanup(() => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  });
  exited.then(() => stop());
  return { child, stop, exited };
}

/**
 * Runs a command to completion, its output shown (inherit) or collected.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, quiet?: boolean }} [options]
 * @returns {Promise<{ code: number | null, output: string }>}
 */
export function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const { child, exited } = spawnOwned(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: options.quiet ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
    });
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    child.once('error', (error) => (output += `\n${error.message}`));
    exited.then((code) => resolve({ code, output }));
  });
}
