import * as assert from 'node:assert/strict';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backupPathFor, FileChangedError, writeFileAtomically } from '../../../../src/core/fs/atomicWrite';

describe('writeFileAtomically', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'talos-oidc-atomic-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const leftovers = () => readdirSync(dir).filter((name) => name.endsWith('.tmp'));

  it('replaces the content, keeps the permissions and writes <file>.bak with the old content', async () => {
    const file = join(dir, 'config');
    writeFileSync(file, 'old\n');
    chmodSync(file, 0o640);
    const result = await writeFileAtomically(file, 'new\n', { expectedOriginal: 'old\n' });
    assert.equal(readFileSync(file, 'utf8'), 'new\n');
    assert.equal(statSync(file).mode & 0o777, 0o640);
    assert.equal(result.backupPath, `${file}.bak`);
    assert.equal(backupPathFor(file), `${file}.bak`);
    assert.equal(readFileSync(`${file}.bak`, 'utf8'), 'old\n');
    assert.equal(statSync(`${file}.bak`).mode & 0o777, 0o640, 'the backup is as private as the original');
    assert.deepEqual(leftovers(), []);
  });

  it('creates a new file with mode 0600 when none exists and null was expected', async () => {
    const file = join(dir, 'new-config');
    const result = await writeFileAtomically(file, 'hello\n', { expectedOriginal: null });
    assert.equal(readFileSync(file, 'utf8'), 'hello\n');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(result.backupPath, undefined);
    assert.ok(!existsSync(`${file}.bak`));
  });

  it('refuses when the file changed on disk since it was read, writing nothing', async () => {
    const file = join(dir, 'config');
    writeFileSync(file, 'edited by someone else\n');
    await assert.rejects(writeFileAtomically(file, 'mine\n', { expectedOriginal: 'what I read\n' }), FileChangedError);
    assert.equal(readFileSync(file, 'utf8'), 'edited by someone else\n');
    assert.ok(!existsSync(`${file}.bak`));
    await assert.rejects(
      writeFileAtomically(join(dir, 'absent'), 'x', { expectedOriginal: 'was there\n' }),
      FileChangedError,
    );
    await assert.rejects(writeFileAtomically(file, 'x', { expectedOriginal: null }), FileChangedError);
  });

  it('refuses when the file changes between the read and the rename', async () => {
    const file = join(dir, 'config');
    writeFileSync(file, 'original\n');
    await assert.rejects(
      writeFileAtomically(file, 'mine\n', {
        expectedOriginal: 'original\n',
        beforeRename: () => writeFileSync(file, 'concurrent edit\n'),
      }),
      FileChangedError,
    );
    assert.equal(readFileSync(file, 'utf8'), 'concurrent edit\n');
    assert.deepEqual(leftovers(), []);
  });

  it('a failure between write and rename leaves the original intact and no temporary file', async () => {
    const file = join(dir, 'config');
    writeFileSync(file, 'original\n');
    let tempSeen: string | undefined;
    await assert.rejects(
      writeFileAtomically(file, 'new content\n', {
        expectedOriginal: 'original\n',
        beforeRename: (temp) => {
          tempSeen = temp;
          assert.equal(readFileSync(temp, 'utf8'), 'new content\n', 'the temporary file is complete before the rename');
          throw new Error('injected failure');
        },
      }),
      /injected failure/,
    );
    assert.ok(tempSeen && tempSeen.startsWith(dir), 'the temporary file is in the same directory');
    assert.equal(readFileSync(file, 'utf8'), 'original\n');
    assert.deepEqual(leftovers(), []);
  });

  it('follows a symbolic link: the target is replaced, the link stays a link', async () => {
    const target = join(dir, 'real-config');
    const link = join(dir, 'config');
    writeFileSync(target, 'old\n');
    symlinkSync(target, link);
    await writeFileAtomically(link, 'new\n', { expectedOriginal: 'old\n' });
    assert.equal(readFileSync(target, 'utf8'), 'new\n');
    assert.ok(lstatSync(link).isSymbolicLink(), 'the link is still a link');
    assert.equal(readFileSync(link, 'utf8'), 'new\n');
    assert.ok(existsSync(`${target}.bak`));
  });
});
