/**
 * Running a local program with a short timeout, behind an interface so tests can replace it
 * (kubelogin and talosctl cannot be installed on every machine that runs the tests).
 */
import { execFile } from 'node:child_process';

export interface ProcessResult {
  /** null when the program did not run to completion (see `failure`). */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Why the program did not run: not on PATH, took too long, or another start-up error. */
  failure?: { kind: 'not-found' | 'timeout' | 'error'; message: string };
}

export interface RunOptions {
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
}

export type ProcessRunner = (command: string, args: string[], options: RunOptions) => Promise<ProcessResult>;

/** The real runner: no shell, so arguments are never interpreted; output capped at 1 MB. */
export const nodeProcessRunner: ProcessRunner = (command, args, options) =>
  new Promise((resolve) => {
    execFile(
      command,
      args,
      { timeout: options.timeoutMs, env: options.env, maxBuffer: 1024 * 1024, windowsHide: true, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (!error) {
          resolve({ exitCode: 0, stdout, stderr });
          return;
        }
        const detail = error as NodeJS.ErrnoException & { killed?: boolean; signal?: string; code?: string | number };
        if (detail.code === 'ENOENT') {
          resolve({
            exitCode: null,
            stdout,
            stderr,
            failure: { kind: 'not-found', message: `${command} is not on PATH` },
          });
        } else if (detail.killed || detail.signal === 'SIGTERM') {
          resolve({
            exitCode: null,
            stdout,
            stderr,
            failure: {
              kind: 'timeout',
              message: `${command} did not answer within ${Math.round(options.timeoutMs / 1000)} s`,
            },
          });
        } else if (typeof detail.code === 'number') {
          resolve({ exitCode: detail.code, stdout, stderr });
        } else {
          resolve({
            exitCode: null,
            stdout,
            stderr,
            failure: { kind: 'error', message: `${command} could not be started: ${detail.message}` },
          });
        }
      },
    );
  });
