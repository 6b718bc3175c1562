import * as assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { candidateNames, findOnPath, pathEntries, programExistsOnDisk } from '../../../../src/core/kubelogin/path';

/** A fake file system: the set of files that exist, and every path that was asked about. */
function fakeDisk(files: string[]) {
  const asked: string[] = [];
  const exists = (file: string) => {
    asked.push(file);
    return files.includes(file);
  };
  return { exists, asked };
}

describe('findOnPath', () => {
  it('returns the first PATH folder that has the program, in PATH order', async () => {
    const disk = fakeDisk(['/opt/bin/kubectl', '/usr/bin/kubectl']);
    assert.equal(
      await findOnPath('kubectl', { PATH: '/usr/local/bin:/opt/bin:/usr/bin' }, 'linux', disk.exists),
      '/opt/bin/kubectl',
    );
    assert.deepEqual(disk.asked, ['/usr/local/bin/kubectl', '/opt/bin/kubectl']);
  });

  it('is undefined when no folder has it, or PATH is empty or unset', async () => {
    const disk = fakeDisk(['/usr/bin/kubectl']);
    assert.equal(await findOnPath('kubectl-oidc_login', { PATH: '/usr/bin:/bin' }, 'linux', disk.exists), undefined);
    assert.equal(await findOnPath('kubectl', { PATH: '' }, 'linux', disk.exists), undefined);
    assert.equal(await findOnPath('kubectl', {}, 'darwin', disk.exists), undefined);
  });

  it('on Windows reads Path case-insensitively, splits on ; and tries PATHEXT', async () => {
    const disk = fakeDisk(['C:\\Tools\\kubelogin.exe']);
    const env = { Path: 'C:\\Windows;"C:\\Tools"', PATHEXT: '.COM;.EXE' };
    assert.deepEqual(pathEntries(env, 'win32'), ['C:\\Windows', 'C:\\Tools']);
    assert.deepEqual(candidateNames('kubelogin', env, 'win32'), ['kubelogin', 'kubelogin.com', 'kubelogin.exe']);
    assert.equal(await findOnPath('kubelogin', env, 'win32', disk.exists), 'C:\\Tools\\kubelogin.exe');
  });

  it('checks a name with a folder as given instead of searching PATH', async () => {
    const disk = fakeDisk(['/home/me/bin/kubelogin']);
    assert.equal(
      await findOnPath('/home/me/bin/kubelogin', { PATH: '/usr/bin' }, 'linux', disk.exists),
      '/home/me/bin/kubelogin',
    );
    assert.deepEqual(disk.asked, ['/home/me/bin/kubelogin']);
    assert.equal(await findOnPath('/nowhere/kubelogin', { PATH: '/home/me/bin' }, 'linux', disk.exists), undefined);
  });

  it('on disk (Unix): finds an executable file, not a plain file or a folder', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'findonpath-'));
    try {
      writeFileSync(join(folder, 'kubectl'), '#!/bin/sh\n');
      chmodSync(join(folder, 'kubectl'), 0o755);
      writeFileSync(join(folder, 'kubelogin'), 'not executable');
      chmodSync(join(folder, 'kubelogin'), 0o644);
      const env = { PATH: folder };
      assert.equal(await findOnPath('kubectl', env, 'linux', programExistsOnDisk), join(folder, 'kubectl'));
      assert.equal(await findOnPath('kubelogin', env, 'linux', programExistsOnDisk), undefined);
      assert.equal(await programExistsOnDisk(folder), false);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
