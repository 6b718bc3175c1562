/**
 * Writes a file so that a crash or a failure at any point leaves either the old or the new
 * content, never a mix: a temporary file in the same directory (same file system, so rename is
 * atomic), the original's permissions, fsync, then rename over the original.
 *
 * Before replacing an existing file, its previous content is kept next to it as `<file>.bak`
 * (overwritten on each write, with the same permissions as the original, since kubeconfigs hold
 * credentials). A symbolic link is followed: the file it points to is replaced, the link stays.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs, constants as fsConstants } from 'node:fs';
import * as path from 'node:path';

export interface AtomicWriteOptions {
  /**
   * The content the caller read and edited. The write is refused (FileChangedError) when the file
   * on disk no longer has it. `null` means the caller expects the file not to exist yet.
   * undefined: no check.
   */
  expectedOriginal?: string | null;
  /** Keep `<file>.bak`; true unless told. */
  backup?: boolean;
  /** Permissions for a new file (an existing file keeps its own); 0o600 unless told. */
  mode?: number;
  /** Test hook: runs after the temporary file is written and synced, before the rename. A throw aborts the write. */
  beforeRename?: (tempPath: string) => void | Promise<void>;
}

export interface AtomicWriteResult {
  /** The file that was written (the link target when `path` is a symbolic link). */
  path: string;
  /** The backup file, when one was written. */
  backupPath?: string;
}

/** The file changed on disk since it was read: nothing was written. */
export class FileChangedError extends Error {
  override name = 'FileChangedError';
  constructor(readonly file: string) {
    super(`${file} changed on disk since it was read; nothing was written (read it again and retry)`);
  }
}

/** The name of the backup kept beside a file. */
export function backupPathFor(file: string): string {
  return `${file}.bak`;
}

async function readIfExists(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function resolveTarget(file: string): Promise<string> {
  try {
    return await fs.realpath(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    // A new file: resolve its directory (which must exist).
    return path.join(await fs.realpath(path.dirname(file)), path.basename(file));
  }
}

export async function writeFileAtomically(
  file: string,
  text: string,
  options: AtomicWriteOptions = {},
): Promise<AtomicWriteResult> {
  const target = await resolveTarget(path.resolve(file));
  const original = await readIfExists(target);
  const checkUnchanged = async (current: string | null) => {
    if (options.expectedOriginal === undefined) return;
    // A byte-order mark is not a change (readers commonly drop it).
    const strip = (text: string | null) => (text === null ? null : text.replace(/^\uFEFF/, ''));
    if (strip(current) !== strip(options.expectedOriginal)) throw new FileChangedError(file);
  };
  await checkUnchanged(original);

  let mode = options.mode ?? 0o600;
  let owner: { uid: number; gid: number } | undefined;
  if (original !== null) {
    const stat = await fs.stat(target);
    mode = stat.mode & 0o7777;
    owner = { uid: stat.uid, gid: stat.gid };
  }

  const dir = path.dirname(target);
  let backupPath: string | undefined;
  if (original !== null && options.backup !== false) {
    backupPath = backupPathFor(target);
    // Written through its own temporary file too, so a half-written backup never replaces a good one.
    const backupTemp = tempPathFor(target);
    try {
      await writeAndSync(backupTemp, original, mode, undefined, true);
      await fs.rename(backupTemp, backupPath);
    } catch (error) {
      await fs.rm(backupTemp, { force: true }).catch(() => undefined);
      throw error;
    }
  }

  const tempPath = tempPathFor(target);
  try {
    await writeAndSync(tempPath, text, mode, owner, true);
    if (options.beforeRename) await options.beforeRename(tempPath);
    // Last check just before the rename keeps the window for a lost concurrent edit small.
    await checkUnchanged(await readIfExists(target));
    await fs.rename(tempPath, target);
  } catch (error) {
    await fs.rm(tempPath, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dir);
  return { path: target, backupPath };
}

function tempPathFor(target: string): string {
  return path.join(
    path.dirname(target),
    `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
}

async function writeAndSync(
  file: string,
  text: string,
  mode: number,
  owner: { uid: number; gid: number } | undefined,
  exclusive = false,
): Promise<void> {
  // The temporary file must be new (never follow someone else's file); the backup is replaced.
  const flags = fsConstants.O_WRONLY | fsConstants.O_CREAT | (exclusive ? fsConstants.O_EXCL : fsConstants.O_TRUNC);
  const handle = await fs.open(file, flags, mode);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.chmod(mode); // the process umask may have narrowed the create mode
    if (owner && process.getuid?.() === 0) await handle.chown(owner.uid, owner.gid).catch(() => undefined);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncDirectory(dir: string): Promise<void> {
  // Makes the rename durable; not supported on every platform (Windows), where it is skipped.
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    /* best effort */
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
