/**
 * Real users' files, kept in `<project>/../shared/real-world/` (one folder per repository, `/` in
 * a file's path written as `__`), read where they lie.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** `<project>/../shared/real-world`; TALOS_OIDC_REAL_WORLD points elsewhere (a checkout whose sibling folder differs). */
export const CORPUS = process.env.TALOS_OIDC_REAL_WORLD ?? resolve(__dirname, '..', '..', '..', 'shared', 'real-world');

export interface RealWorldFile {
  /** `<folder>/<file as saved>` */
  key: string;
  /** The file's path in its repository (under CORPUS), so `@./patches/...` references resolve. */
  path: string;
  text: string;
}

/** Every file of the corpus, in a stable order. */
export function realWorldFiles(): RealWorldFile[] {
  const files: RealWorldFile[] = [];
  for (const folder of readdirSync(CORPUS).sort()) {
    const dir = join(CORPUS, folder);
    if (!statSync(dir).isDirectory()) continue;
    for (const name of readdirSync(dir).sort())
      files.push({
        key: `${folder}/${name}`,
        path: join(dir, name.split('__').join('/')),
        text: readFileSync(join(dir, name), 'utf8'),
      });
  }
  return files;
}
