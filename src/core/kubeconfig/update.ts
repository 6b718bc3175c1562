/**
 * Putting the kubelogin user into a kubeconfig file on disk, for the command line
 * (`talos-oidc kubeconfig set-user`) and the editor (Add kubeconfig User): edit the text the
 * caller read (every other byte kept), then write it atomically with a backup, refusing when the
 * file changed on disk since it was read. Reading stays with the caller, which may ask the user
 * questions between reading and writing.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { FileChangedError, writeFileAtomically } from '../fs/atomicWrite';
import { KubeconfigEditError, setKubeconfigUser, type SetKubeconfigUserOptions } from './edit';

export interface KubeconfigUpdate {
  /** The new text (the original when nothing changed). */
  text: string;
  /** False when the file already had the user exactly like this: nothing is written. */
  changed: boolean;
  /** True when the file did not exist and was (or, in a dry run, would be) created. */
  created: boolean;
  /** Where the previous content was kept, when a file was replaced. */
  backupPath?: string;
}

/**
 * Why the file was left alone: `invalid` (it cannot be edited safely: not YAML, duplicate users,
 * an unknown cluster), `changed` (another program wrote it meanwhile), `unwritable` (the write
 * failed). The message is for the user and does not name the file; callers put it in front.
 */
export class KubeconfigUpdateError extends Error {
  override name = 'KubeconfigUpdateError';
  constructor(
    readonly reason: 'invalid' | 'changed' | 'unwritable',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Sets the user (and context) in `original`, the file's text as the caller read it (null: the
 * file does not exist yet; its folder is created, private), and writes the result unless it is
 * unchanged or `dryRun` is set.
 */
export async function updateKubeconfigUser(
  file: string,
  original: string | null,
  change: SetKubeconfigUserOptions,
  options: { dryRun?: boolean } = {},
): Promise<KubeconfigUpdate> {
  let edited;
  try {
    edited = setKubeconfigUser(original ?? '', change);
  } catch (error) {
    if (error instanceof KubeconfigEditError)
      throw new KubeconfigUpdateError('invalid', `${error.message}; nothing was changed`, { cause: error });
    throw error;
  }
  const created = original === null;
  if (options.dryRun || (!edited.changed && !created)) return { text: edited.text, changed: edited.changed, created };
  try {
    if (created) await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const written = await writeFileAtomically(file, edited.text, { expectedOriginal: original });
    return { text: edited.text, changed: true, created, backupPath: written.backupPath };
  } catch (error) {
    if (error instanceof FileChangedError) {
      throw new KubeconfigUpdateError(
        'changed',
        'changed on disk while it was being edited (another program wrote it); nothing was written, run the command again',
        { cause: error },
      );
    }
    const code = (error as NodeJS.ErrnoException).code;
    throw new KubeconfigUpdateError(
      'unwritable',
      `cannot be written (${code ?? (error instanceof Error ? error.message : String(error))}); the file is unchanged`,
      { cause: error },
    );
  }
}
