/**
 * Issue 13: the kubelogin release-binary instructions download into a fresh temporary directory
 * (no fixed /tmp path another user can plant a file at) and check the release's SHA-256 before
 * anything is unpacked or installed. Run here with bash, a stand-in `curl` serving local files
 * and a `sudo` that only records what it was asked to do.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installOptions } from '../../../../src/core/kubelogin/install';

const ARCHIVE = 'kubelogin_linux_amd64.zip';

describe('hardening: kubelogin release-binary instructions', () => {
  let dir: string;
  let bin: string;
  let served: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'talos-oidc-kubelogin-install-'));
    bin = join(dir, 'bin');
    served = join(dir, 'served');
    mkdirSync(bin);
    mkdirSync(served);
    // curl -fsSLo DEST URL: copies the URL's file name from `served`.
    writeFileSync(
      join(bin, 'curl'),
      `#!/bin/sh\nwhile [ $# -gt 2 ]; do shift; done\ncp "${served}/$(basename "$2")" "$1"\n`,
    );
    writeFileSync(join(bin, 'sudo'), `#!/bin/sh\necho "$@" >> "${dir}/sudo.log"\n`);
    chmodSync(join(bin, 'curl'), 0o755);
    chmodSync(join(bin, 'sudo'), 0o755);
    const staging = join(dir, 'staging');
    mkdirSync(staging);
    writeFileSync(join(staging, 'kubelogin'), '#!/bin/sh\necho kubelogin\n');
    execFileSync('zip', ['-q', '-j', join(served, ARCHIVE), join(staging, 'kubelogin')]);
    const sum = createHash('sha256')
      .update(readFileSync(join(served, ARCHIVE)))
      .digest('hex');
    writeFileSync(join(served, `${ARCHIVE}.sha256`), `${sum}  ${ARCHIVE}\n`);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const release = (platform: string) =>
    installOptions(platform, 'x64').find((option) => option.method === 'release')!.command;
  const run = () =>
    spawnSync('bash', ['-c', release('linux')], {
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
      encoding: 'utf8',
    });

  it('never uses a fixed path under /tmp, and checks a SHA-256 on every platform', () => {
    for (const platform of ['linux', 'darwin', 'win32']) {
      assert.doesNotMatch(release(platform), /\/tmp\/|\$env:TEMP\\kubelogin/, platform);
      assert.match(release(platform), /sha256sum -c|shasum -a 256 -c|Get-FileHash -Algorithm SHA256/, platform);
    }
  });

  it('installs the binary when the checksum matches', function () {
    if (!existsSync('/usr/bin/zip') || !existsSync('/usr/bin/unzip')) this.skip(); // zip/unzip are not installed here
    const result = run();
    assert.equal(result.status, 0, result.stderr);
    assert.match(
      readFileSync(join(dir, 'sudo.log'), 'utf8'),
      /^install -m 0755 \S+\/kubelogin \/usr\/local\/bin\/kubectl-oidc_login$/m,
    );
  });

  it('stops before unpacking or installing anything when the download was tampered with', function () {
    if (!existsSync('/usr/bin/zip') || !existsSync('/usr/bin/unzip')) this.skip(); // zip/unzip are not installed here
    writeFileSync(join(served, ARCHIVE), Buffer.concat([readFileSync(join(served, ARCHIVE)), Buffer.from('tampered')]));
    const result = run();
    assert.notEqual(result.status, 0);
    assert.equal(existsSync(join(dir, 'sudo.log')), false, 'sudo install ran on a tampered download');
  });
});
