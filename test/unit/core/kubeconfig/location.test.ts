import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { defaultKubeconfigLocation, kubeconfigFiles } from '../../../../src/core/kubeconfig/location';

const home = '/home/ada';
const cwd = '/work/cluster';
const existing =
  (...files: string[]) =>
  (file: string) =>
    files.includes(file);

describe('kubeconfig location (as kubectl resolves it)', () => {
  it('an explicit file wins over KUBECONFIG; blank means none', () => {
    const env = { KUBECONFIG: '/a:/b' };
    assert.deepEqual(defaultKubeconfigLocation({ setting: '/etc/kube/talos', env, home, cwd, listDelimiter: ':' }), {
      path: '/etc/kube/talos',
      source: 'setting',
    });
    assert.deepEqual(
      defaultKubeconfigLocation({ setting: '  ', env, home, cwd, listDelimiter: ':', exists: existing() }),
      { path: '/a', source: 'KUBECONFIG' },
    );
  });

  it('expands a leading ~ in the setting, the flag and KUBECONFIG entries, not elsewhere', () => {
    const at = (setting: string) => defaultKubeconfigLocation({ setting, env: {}, home, cwd }).path;
    assert.equal(at('~/clusters/talos.yaml'), '/home/ada/clusters/talos.yaml');
    assert.equal(at('~'), home);
    assert.equal(at('clusters/~/config'), '/work/cluster/clusters/~/config');
    assert.equal(at('~ada/config'), '/work/cluster/~ada/config', 'no other users’ homes');
    assert.deepEqual(
      defaultKubeconfigLocation({
        env: { KUBECONFIG: '~/one:~/two' },
        home,
        cwd,
        listDelimiter: ':',
        exists: existing(),
      }),
      { path: '/home/ada/one', source: 'KUBECONFIG' },
    );
  });

  it('relative paths resolve against the working directory', () => {
    assert.equal(
      defaultKubeconfigLocation({ setting: 'kubeconfig', env: {}, home, cwd }).path,
      '/work/cluster/kubeconfig',
    );
    assert.equal(
      defaultKubeconfigLocation({ env: { KUBECONFIG: 'kc' }, home, cwd, listDelimiter: ':', exists: existing() }).path,
      '/work/cluster/kc',
    );
  });

  it('several KUBECONFIG files: the first that exists, else the first listed', () => {
    const env = { KUBECONFIG: '/missing/one:/etc/kube/two:/etc/kube/three' };
    const options = { env, home, cwd, listDelimiter: ':' };
    assert.deepEqual(defaultKubeconfigLocation({ ...options, exists: existing('/etc/kube/two', '/etc/kube/three') }), {
      path: '/etc/kube/two',
      source: 'KUBECONFIG',
    });
    assert.deepEqual(defaultKubeconfigLocation({ ...options, exists: existing('/etc/kube/three') }), {
      path: '/etc/kube/three',
      source: 'KUBECONFIG',
    });
    assert.deepEqual(defaultKubeconfigLocation({ ...options, exists: existing() }), {
      path: '/missing/one',
      source: 'KUBECONFIG',
    });
  });

  it('empty entries are skipped; an empty KUBECONFIG means ~/.kube/config', () => {
    const none = existing();
    assert.equal(
      defaultKubeconfigLocation({
        env: { KUBECONFIG: '::/etc/kube/one:' },
        home,
        cwd,
        listDelimiter: ':',
        exists: none,
      }).path,
      '/etc/kube/one',
    );
    for (const KUBECONFIG of [undefined, '', ':', ' : ']) {
      assert.deepEqual(defaultKubeconfigLocation({ env: { KUBECONFIG }, home, cwd, listDelimiter: ':' }), {
        path: join(home, '.kube', 'config'),
        source: 'default',
      });
    }
  });

  it('splits on the platform list delimiter (; on Windows, where : is part of a drive)', () => {
    assert.deepEqual(kubeconfigFiles('C:\\kube\\a;C:\\kube\\b;C:\\kube\\a', ';'), ['C:\\kube\\a', 'C:\\kube\\b']);
    assert.deepEqual(kubeconfigFiles('/a:/b:/a', ':'), ['/a', '/b']);
  });
});
