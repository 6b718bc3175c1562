/**
 * Child process of the fuzz test's kill rounds: writes the other of two kubeconfig versions over
 * `file` with the atomic write, again and again ('loop'), or once and then waits between the
 * write and the rename ('pause') until the parent kills it.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomically } from '../../../src/core/fs/atomicWrite';

const [file, mode] = process.argv.slice(2);
const versions = ['A', 'B'].map(
  (letter) => `apiVersion: v1\nkind: Config\n# ${letter}\n${`# ${letter.repeat(200)}\n`.repeat(2000)}`,
);

async function main(): Promise<void> {
  for (;;) {
    const current = readFileSync(file, 'utf8');
    const next = current === versions[0] ? versions[1] : versions[0];
    process.stdout.write('writing\n');
    await writeFileAtomically(file, next, {
      expectedOriginal: current,
      beforeRename:
        mode === 'pause'
          ? () =>
              new Promise<void>(() => {
                process.stdout.write('before-rename\n');
                setInterval(() => undefined, 1000);
              })
          : undefined,
    });
  }
}

void main();
