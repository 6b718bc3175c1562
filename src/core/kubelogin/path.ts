/**
 * Whether a program is on PATH, the way a shell (and kubectl's exec plugin runner) finds it. Pure:
 * the file-system test is passed in, so the same lookup runs against a fake in tests and against
 * the disk in the editor.
 */
import { promises as fs, constants as fsConstants } from 'node:fs';

/** True when `file` is an existing program; async so a slow PATH entry never blocks a caller. */
export type ProgramExists = (file: string) => boolean | Promise<boolean>;

/** The folders of PATH in order (`Path` on Windows, whose environment is case-insensitive). */
export function pathEntries(env: NodeJS.ProcessEnv, platform: string): string[] {
  const value =
    platform === 'win32' ? Object.entries(env).find(([key]) => key.toUpperCase() === 'PATH')?.[1] : env.PATH;
  if (!value) return [];
  return value
    .split(platform === 'win32' ? ';' : ':')
    .map((entry) => entry.trim().replace(/^"(.*)"$/, '$1'))
    .filter((entry) => entry.length > 0);
}

/** The names to try for one program: on Windows `kubectl` is `kubectl.exe` (PATHEXT). */
export function candidateNames(name: string, env: NodeJS.ProcessEnv, platform: string): string[] {
  if (platform !== 'win32') return [name];
  const pathExt = Object.entries(env).find(([key]) => key.toUpperCase() === 'PATHEXT')?.[1] ?? '.COM;.EXE;.BAT;.CMD';
  const extensions = pathExt
    .split(';')
    .map((ext) => ext.trim().toLowerCase())
    .filter(Boolean);
  const hasExtension = extensions.some((ext) => name.toLowerCase().endsWith(ext));
  return hasExtension ? [name] : [name, ...extensions.map((ext) => name + ext)];
}

function join(folder: string, name: string, platform: string): string {
  const separator = platform === 'win32' ? '\\' : '/';
  return folder.endsWith('/') || folder.endsWith('\\') ? folder + name : folder + separator + name;
}

/**
 * The full path of `name` on PATH, or undefined when it is not there. A name with a path
 * separator is not searched: it is checked as given (relative names are the caller's to resolve).
 */
export async function findOnPath(
  name: string,
  env: NodeJS.ProcessEnv,
  platform: string,
  exists: ProgramExists,
): Promise<string | undefined> {
  const names = candidateNames(name, env, platform);
  if (/[\\/]/.test(name)) {
    for (const candidate of names) if (await exists(candidate)) return candidate;
    return undefined;
  }
  for (const folder of pathEntries(env, platform)) {
    for (const candidate of names) {
      const file = join(folder, candidate, platform);
      if (await exists(file)) return file;
    }
  }
  return undefined;
}

/** The real test: a regular file, executable on Unix (Windows has no execute bit). */
export const programExistsOnDisk: ProgramExists = async (file) => {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return false;
    if (process.platform !== 'win32') await fs.access(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
};
