import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubeconfigExec, setupWithDefaults } from '../../../../src/core/generate/index';
import { type KubeconfigUpdateError, updateKubeconfigUser } from '../../../../src/core/kubeconfig/update';

const exec = kubeconfigExec(setupWithDefaults({ issuerUrl: 'https://id.example.com', clientId: 'kubernetes' }));
const change = { name: 'oidc', exec };

const ADMIN = `apiVersion: v1
kind: Config
# the admin's own comment stays
clusters:
  - name: home
    cluster: {server: 'https://10.0.0.1:6443'}
users:
  - name: admin@home
    user: {token: abc}
contexts:
  - name: admin@home
    context: {cluster: home, user: admin@home}
current-context: admin@home
`;

describe('updating the kubeconfig file (command line and editor)', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await fs.mkdtemp(join(tmpdir(), 'kubeconfig-update-'));
  });
  afterEach(() => fs.rm(folder, { recursive: true, force: true }));

  it('creates a missing file in a new private folder', async () => {
    const file = join(folder, 'new', '.kube', 'config');
    const result = await updateKubeconfigUser(file, null, change);
    assert.equal(result.created, true);
    assert.equal(result.changed, true);
    assert.equal(result.backupPath, undefined);
    assert.equal(await fs.readFile(file, 'utf8'), result.text);
    assert.match(result.text, /name: oidc/);
    assert.equal((await fs.stat(join(folder, 'new', '.kube'))).mode & 0o777, 0o700);
  });

  it('adds the user, keeps every other byte and the previous content as a backup', async () => {
    const file = join(folder, 'config');
    await fs.writeFile(file, ADMIN);
    const result = await updateKubeconfigUser(file, ADMIN, change);
    assert.equal(result.changed, true);
    assert.equal(result.created, false);
    const written = await fs.readFile(file, 'utf8');
    assert.ok(written.startsWith(ADMIN.slice(0, ADMIN.indexOf('contexts:'))), written);
    assert.match(written, /# the admin's own comment stays/);
    assert.ok(result.backupPath);
    assert.equal(await fs.readFile(result.backupPath, 'utf8'), ADMIN);
  });

  it('writes nothing when the user is already there exactly like this, or in a dry run', async () => {
    const file = join(folder, 'config');
    await fs.writeFile(file, ADMIN);
    const first = await updateKubeconfigUser(file, ADMIN, change);
    await fs.rm(first.backupPath!);
    const again = await updateKubeconfigUser(file, first.text, change);
    assert.equal(again.changed, false);
    assert.equal(again.backupPath, undefined);
    assert.deepEqual(await fs.readdir(folder), ['config']);

    const other = join(folder, 'other');
    await fs.writeFile(other, ADMIN);
    const dry = await updateKubeconfigUser(other, ADMIN, change, { dryRun: true });
    assert.equal(dry.changed, true);
    assert.equal(await fs.readFile(other, 'utf8'), ADMIN);
  });

  it('refuses when another program wrote the file since it was read, keeping that program’s text', async () => {
    const file = join(folder, 'config');
    await fs.writeFile(file, ADMIN);
    const theirs = `${ADMIN}# written by another program\n`;
    await fs.writeFile(file, theirs);
    await assert.rejects(updateKubeconfigUser(file, ADMIN, change), (error: KubeconfigUpdateError) => {
      assert.equal(error.reason, 'changed');
      assert.match(error.message, /changed on disk .* nothing was written, run the command again/);
      return true;
    });
    assert.equal(await fs.readFile(file, 'utf8'), theirs);
  });

  it('refuses a file it cannot edit safely, and says so without touching it', async () => {
    const file = join(folder, 'config');
    const twice = `${ADMIN}users:\n  - name: oidc\n`;
    await fs.writeFile(file, twice);
    await assert.rejects(updateKubeconfigUser(file, twice, change), (error: KubeconfigUpdateError) => {
      assert.equal(error.reason, 'invalid');
      assert.match(error.message, /; nothing was changed$/);
      return true;
    });
    assert.equal(await fs.readFile(file, 'utf8'), twice);
  });

  it('a failed write is reported with its cause, the file unchanged', async () => {
    const blocker = join(folder, 'not-a-folder');
    await fs.writeFile(blocker, 'x');
    await assert.rejects(
      updateKubeconfigUser(join(blocker, 'config'), null, change),
      (error: KubeconfigUpdateError) => {
        assert.equal(error.reason, 'unwritable');
        assert.match(error.message, /^cannot be written \((ENOTDIR|EEXIST)\); the file is unchanged$/);
        return true;
      },
    );
    assert.equal(await fs.readFile(blocker, 'utf8'), 'x');
  });
});
