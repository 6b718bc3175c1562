import * as assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import {
  cleanCacheCommand,
  cleanTokenCache,
  describeKubeloginStatus,
  detectKubelogin,
  installOptions,
  nodeProcessRunner,
  parseVersion,
  type ProcessResult,
  type ProcessRunner,
} from '../../../../src/core/kubelogin/index';

/** A runner that answers from a table keyed by program name; unknown programs are "not on PATH". */
function fakeRunner(programs: Record<string, Partial<ProcessResult>>, calls: string[][] = []): ProcessRunner {
  return async (command, args) => {
    calls.push([command, ...args]);
    const answer = programs[command];
    if (!answer)
      return {
        exitCode: null,
        stdout: '',
        stderr: '',
        failure: { kind: 'not-found', message: `${command} is not on PATH` },
      };
    return { exitCode: 0, stdout: '', stderr: '', ...answer };
  };
}

const KUBECTL = {
  stdout: '{"clientVersion":{"major":"1","minor":"31","gitVersion":"v1.31.2"},"kustomizeVersion":"v5.4.2"}\n',
};

describe('kubelogin detection', () => {
  it('finds the kubectl plugin and reads both versions', async () => {
    const calls: string[][] = [];
    const status = await detectKubelogin({
      runner: fakeRunner({ kubectl: KUBECTL, 'kubectl-oidc_login': { stdout: 'kubelogin version v1.34.0\n' } }, calls),
    });
    assert.deepEqual(status.usable, { command: 'kubectl', argsPrefix: ['oidc-login'] });
    assert.equal(status.plugin.version, 'v1.34.0');
    assert.equal(status.kubectl.version, 'v1.31.2');
    assert.equal(status.standalone.found, false);
    assert.match(describeKubeloginStatus(status), /kubectl oidc-login v1\.34\.0 is installed/);
    assert.ok(calls.some((call) => call.join(' ') === 'kubectl-oidc_login --version'));
  });

  it('falls back to the standalone kubelogin when the plugin is missing', async () => {
    const status = await detectKubelogin({
      runner: fakeRunner({ kubectl: KUBECTL, kubelogin: { stdout: 'kubelogin version v1.28.1\n' } }),
    });
    assert.deepEqual(status.usable, { command: 'kubelogin', argsPrefix: [] });
    assert.match(describeKubeloginStatus(status), /command: kubelogin/);
  });

  it('does not mistake Azure kubelogin for int128/kubelogin', async () => {
    const azure =
      'kubelogin version\ngit hash: v0.1.4/d7f9b2a1\nGo version: go1.22.5\nBuild time: 2024-07-01\nPlatform: linux/amd64\n';
    const status = await detectKubelogin({ runner: fakeRunner({ kubectl: KUBECTL, kubelogin: { stdout: azure } }) });
    assert.equal(status.usable, undefined);
    assert.match(status.standalone.problem ?? '', /Azure kubelogin/);
  });

  it('says the plugin cannot run without kubectl', async () => {
    const status = await detectKubelogin({
      runner: fakeRunner({ 'kubectl-oidc_login': { stdout: 'kubelogin version v1.34.0' } }),
    });
    assert.equal(status.usable, undefined);
    assert.match(status.plugin.problem ?? '', /kubectl is not on PATH/);
    assert.match(describeKubeloginStatus(status), /not installed/);
  });

  it('reports a program that fails or hangs in words', async () => {
    const status = await detectKubelogin({
      runner: fakeRunner({
        kubectl: KUBECTL,
        'kubectl-oidc_login': { exitCode: 1, stderr: 'error: unknown flag: --version\n' },
        kubelogin: { exitCode: null, failure: { kind: 'timeout', message: 'kubelogin did not answer within 5 s' } },
      }),
    });
    assert.match(status.plugin.problem ?? '', /exited with code 1: error: unknown flag/);
    assert.equal(status.standalone.problem, 'kubelogin did not answer within 5 s');
  });

  it('parses the version out of the usual outputs', () => {
    assert.equal(parseVersion('kubelogin version v1.34.0 (go1.25.1 linux_amd64)'), 'v1.34.0');
    assert.equal(parseVersion('kubelogin version 1.25.3'), 'v1.25.3');
    assert.equal(parseVersion('kubelogin version HEAD'), undefined);
  });

  it('runs real programs: a missing one is "not on PATH", a slow one times out', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kubelogin-probe-'));
    try {
      const slow = join(dir, 'kubelogin');
      await writeFile(slow, '#!/bin/sh\nexec sleep 30\n');
      await chmod(slow, 0o755);
      const fast = join(dir, 'kubectl-oidc_login');
      await writeFile(fast, '#!/bin/sh\necho "kubelogin version v1.33.0 (go1.24.0 linux_amd64)"\n');
      await chmod(fast, 0o755);
      const env = { ...process.env, PATH: `${dir}${delimiter}/usr/bin${delimiter}/bin` };
      const status = await detectKubelogin({ runner: nodeProcessRunner, env, timeoutMs: 1500 });
      assert.equal(status.plugin.version, 'v1.33.0');
      assert.match(status.standalone.problem ?? '', /did not answer within/);
      const missing = await nodeProcessRunner('talos-oidc-no-such-program', [], { timeoutMs: 1000 });
      assert.equal(missing.failure?.kind, 'not-found');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('kubelogin install commands', () => {
  it("lists the platform's package managers first and always the release binary", () => {
    assert.deepEqual(
      installOptions('darwin')
        .map((option) => option.command.split('\n')[0])
        .slice(0, 2),
      ['brew install kubelogin', 'kubectl krew install oidc-login'],
    );
    assert.deepEqual(
      installOptions('win32').map((option) => option.method),
      ['chocolatey', 'scoop', 'krew', 'release'],
    );
    assert.equal(installOptions('win32')[0].command, 'choco install kubelogin');
    assert.equal(installOptions('linux')[0].command, 'kubectl krew install oidc-login');
    for (const platform of ['darwin', 'linux', 'win32', 'freebsd']) {
      const release = installOptions(platform).find((option) => option.method === 'release');
      assert.ok(release, platform);
      assert.match(release.command, /kubectl-oidc_login/, 'the release binary must be renamed for kubectl to find it');
    }
  });

  it('names the release archive for the architecture', () => {
    assert.match(
      installOptions('linux', 'arm64').find((option) => option.method === 'release')!.command,
      /kubelogin_linux_arm64\.zip/,
    );
    assert.match(
      installOptions('darwin', 'x64').find((option) => option.method === 'release')!.command,
      /kubelogin_darwin_amd64\.zip/,
    );
    assert.match(
      installOptions('win32', 'x64').find((option) => option.method === 'release')!.command,
      /kubelogin_windows_amd64\.zip/,
    );
  });
});

describe('kubelogin token cache', () => {
  it('builds the clean command for either way of running kubelogin', () => {
    assert.deepEqual(cleanCacheCommand(), ['kubectl', 'oidc-login', 'clean']);
    assert.deepEqual(cleanCacheCommand({ via: 'kubelogin', tokenCacheDir: '/tmp/my cache' }), [
      'kubelogin',
      'clean',
      '--token-cache-dir=/tmp/my cache',
    ]);
  });

  it('reports success, a missing program and a failing one', async () => {
    const calls: string[][] = [];
    const ok = await cleanTokenCache({ runner: fakeRunner({ kubectl: {} }, calls) });
    assert.equal(ok.ok, true);
    assert.deepEqual(calls[0], ['kubectl', 'oidc-login', 'clean']);
    const missing = await cleanTokenCache({ runner: fakeRunner({}) });
    assert.equal(missing.ok, false);
    assert.match(missing.message, /kubectl is not installed/);
    const failing = await cleanTokenCache({
      runner: fakeRunner({ kubectl: { exitCode: 1, stderr: 'error: unknown command "oidc-login" for "kubectl"\n' } }),
    });
    assert.equal(failing.ok, false);
    assert.match(failing.message, /unknown command "oidc-login"/);
  });
});
