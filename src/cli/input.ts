/**
 * Reading the command line's input files with clear refusals: a missing file, a directory where
 * a file was expected, a binary file, a file too large to be a config, text that is not UTF-8.
 * Each refusal is an InputError with one line that names the file.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { InputError } from './command';

/** Larger than any real Talos config or kubeconfig; reading more would only waste memory. */
export const MAX_INPUT_BYTES = 8 * 1024 * 1024;

export type SkipReason = 'binary' | 'too-large' | 'not-utf8';

export class SkippedFileError extends InputError {
  constructor(
    message: string,
    readonly reason: SkipReason,
  ) {
    super(message);
  }
}

function describeErrno(error: unknown, file: string): InputError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new InputError(`${file}: no such file`);
  if (code === 'EACCES' || code === 'EPERM') return new InputError(`${file}: permission denied`);
  if (code === 'EISDIR') return new InputError(`${file}: is a directory, expected a file`);
  return new InputError(`${file}: cannot read (${code ?? (error as Error).message})`);
}

/** Decodes bytes as UTF-8 text, refusing binary content. */
export function decodeText(bytes: Buffer, file: string): string {
  if (bytes.length > MAX_INPUT_BYTES) {
    throw new SkippedFileError(
      `${file}: too large (${Math.round(bytes.length / 1024 / 1024)} MB; the limit is ${MAX_INPUT_BYTES / 1024 / 1024} MB)`,
      'too-large',
    );
  }
  if (bytes.subarray(0, 8192).includes(0))
    throw new SkippedFileError(`${file}: a binary file, not YAML or JSON text`, 'binary');
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    throw new SkippedFileError(`${file}: not UTF-8 text`, 'not-utf8');
  }
}

/** Reads a text file given on the command line (relative to cwd). */
export async function readTextFile(file: string, cwd: string): Promise<string> {
  const full = path.resolve(cwd, file);
  let stat;
  try {
    stat = await fs.stat(full);
  } catch (error) {
    throw describeErrno(error, file);
  }
  if (stat.isDirectory()) throw new InputError(`${file}: is a directory, expected a file`);
  if (stat.size > MAX_INPUT_BYTES) {
    throw new SkippedFileError(
      `${file}: too large (${Math.round(stat.size / 1024 / 1024)} MB; the limit is ${MAX_INPUT_BYTES / 1024 / 1024} MB)`,
      'too-large',
    );
  }
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(full);
  } catch (error) {
    throw describeErrno(error, file);
  }
  return decodeText(bytes, file);
}

const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);

/**
 * The files to lint: files as given, directories searched for `*.yaml` / `*.yml` and Jinja templates of them (`*.yaml.j2`) (skipping
 * node_modules and .git), in a stable order. `explicit` is false for files found in a directory.
 */
export async function collectYamlFiles(paths: string[], cwd: string): Promise<{ file: string; explicit: boolean }[]> {
  const found: { file: string; explicit: boolean }[] = [];
  const seen = new Set<string>();
  const add = (file: string, explicit: boolean) => {
    const key = path.resolve(cwd, file);
    if (seen.has(key)) return;
    seen.add(key);
    found.push({ file, explicit });
  };
  for (const given of paths) {
    let stat;
    try {
      stat = await fs.stat(path.resolve(cwd, given));
    } catch (error) {
      throw describeErrno(error, given);
    }
    if (!stat.isDirectory()) {
      add(given, true);
      continue;
    }
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await fs.readdir(path.resolve(cwd, dir), { withFileTypes: true });
      } catch (error) {
        throw describeErrno(error, dir);
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        const child = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (!SKIPPED_DIRECTORIES.has(entry.name)) await walk(child);
        } else if (/\.ya?ml(\.j2)?$/i.test(entry.name)) {
          // A link to a YAML file counts; links to directories are not followed (no loops).
          const isFile =
            entry.isFile() ||
            (entry.isSymbolicLink() && (await fs.stat(path.resolve(cwd, child)).catch(() => undefined))?.isFile());
          if (isFile) add(child, false);
        }
      }
    };
    await walk(given);
  }
  return found;
}
