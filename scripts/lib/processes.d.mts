// Types of processes.mjs for the TypeScript test helpers (test/browser/lib).
import type { ChildProcess, SpawnOptions } from 'node:child_process';

export function onCleanup(cleanup: () => void): () => void;
export function cleanupAll(): void;
export function makeTempDir(prefix: string): string;
export function spawnOwned(
  command: string,
  args: string[],
  options?: SpawnOptions,
): { child: ChildProcess; stop: () => void; exited: Promise<number | null> };
export function run(
  command: string,
  args: string[],
  options?: { cwd?: string; env?: NodeJS.ProcessEnv; quiet?: boolean },
): Promise<{ code: number | null; output: string }>;
