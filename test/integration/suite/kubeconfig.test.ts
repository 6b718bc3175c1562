// talosOidc.addKubeconfigUser on real files through VS Code's command API, driven without
// prompts by its argument object (as the webview and scripts call it).
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { AddKubeconfigUserResult as AddResult } from '../../../src/extension/kubeconfig/addKubeconfigUserCommand';

const ORIGINAL = [
  '# Admin kubeconfig from `talosctl kubeconfig` -- keep this comment',
  'apiVersion: v1',
  'kind: Config',
  'clusters:',
  '  - name: talos   # the cluster',
  '    cluster:',
  '      server: "https://10.0.0.10:6443"',
  '      certificate-authority-data: LS0tLS1CRUdJTg==',
  'contexts:',
  '  - name: admin@talos',
  '    context: {cluster: talos, user: admin@talos}',
  'current-context: admin@talos',
  'users:',
  '  - name: admin@talos',
  '    user:',
  "      client-certificate-data: 'Q0VSVA=='",
  '      client-key-data: S0VZ # quoted differently on purpose',
  'preferences: {}',
  '',
].join('\n');

const ISSUER = 'https://id.example.com';
const CLIENT_ID = '5d6f0c2e-1c1e-4c44-9d44-4a3f4d0b9f00';

/** Lines of `before` must all appear, in order and byte for byte, in `after`; returns the added lines. */
function addedLines(before: string, after: string): string[] {
  const old = before.split('\n');
  const added: string[] = [];
  let index = 0;
  for (const line of after.split('\n')) {
    if (index < old.length && line === old[index]) index++;
    else added.push(line);
  }
  assert.equal(index, old.length, `original line ${index + 1} is missing or changed: ${JSON.stringify(old[index])}`);
  return added;
}

describe('kubeconfig: add the kubelogin user to a file', () => {
  let dir: string;
  let file: string;

  beforeEach(async () => {
    dir = await fs.mkdtemp(join(tmpdir(), 'talos-oidc-kubeconfig-'));
    file = join(dir, 'config');
    await fs.writeFile(file, ORIGINAL, { mode: 0o600 });
  });

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  const add = (extra: Record<string, unknown> = {}) =>
    vscode.commands.executeCommand<AddResult | undefined>('talosOidc.addKubeconfigUser', {
      issuerUrl: ISSUER,
      clientId: CLIENT_ID,
      extraScopes: ['profile', 'email', 'groups'],
      userName: 'oidc',
      kubeconfigPath: file,
      ...extra,
    });

  it('adds the exec user and a context, keeping every other byte', async () => {
    const result = await add({ cluster: 'talos' });
    assert.ok(result, 'the command returned nothing');
    assert.equal(result.changed, true);
    assert.equal(result.contextName, 'oidc@talos');
    const after = await fs.readFile(file, 'utf8');
    const added = addedLines(ORIGINAL, after).join('\n');
    assert.match(added, /name: oidc\b/);
    assert.match(added, /apiVersion: client\.authentication\.k8s\.io\/v1\b/);
    assert.match(added, /--oidc-issuer-url=https:\/\/id\.example\.com/);
    assert.match(added, new RegExp(`--oidc-client-id=${CLIENT_ID}`));
    assert.match(added, /--oidc-extra-scope=groups/);
    assert.match(added, /interactiveMode: Never/);
    assert.doesNotMatch(added, /listen-address|client-secret/, 'defaults and secrets stay out');
    assert.match(after, /^current-context: admin@talos$/m, 'the current context stays unless asked');
    assert.equal(
      result.backupPath && (await fs.readFile(result.backupPath, 'utf8')),
      ORIGINAL,
      'the previous version is kept',
    );
    assert.equal((await fs.stat(file)).mode & 0o777, 0o600, 'permissions are kept');
  });

  it('is idempotent: the same user again changes nothing', async () => {
    await add({ cluster: 'talos' });
    const first = await fs.readFile(file, 'utf8');
    const again = await add({ cluster: 'talos' });
    assert.equal(again?.changed, false);
    assert.equal(await fs.readFile(file, 'utf8'), first);
  });

  it('updates the same user in place when its settings change', async () => {
    await add();
    const before = await fs.readFile(file, 'utf8');
    await add({ extraScopes: ['groups'] });
    const after = await fs.readFile(file, 'utf8');
    assert.equal(after.match(/- name: oidc\b/g)?.length, 1, 'one user, not two');
    assert.doesNotMatch(after, /--oidc-extra-scope=profile/);
    assert.equal(
      after.slice(0, after.indexOf('- name: oidc')),
      before.slice(0, before.indexOf('- name: oidc')),
      'nothing before the user changed',
    );
  });

  it('switches current-context only when asked', async () => {
    const result = await add({ cluster: 'talos', useContext: true });
    assert.equal(result?.switchedContext, true);
    const after = await fs.readFile(file, 'utf8');
    assert.match(after, /^current-context: oidc@talos$/m);
    const added = addedLines(ORIGINAL.replace('current-context: admin@talos\n', ''), after);
    assert.ok(added.includes('current-context: oidc@talos'));
  });

  it('refuses text that is not YAML and leaves the file alone', async () => {
    const broken = 'apiVersion: v1\nusers:\n  - name: [unclosed\n';
    await fs.writeFile(file, broken);
    const result = await add();
    assert.equal(result, undefined);
    assert.equal(await fs.readFile(file, 'utf8'), broken);
  });

  it('writes a client secret only with the explicit plain-text confirmation', async () => {
    const refused = await add({ clientSecret: 'not-in-the-file' });
    assert.equal(refused, undefined);
    assert.equal(await fs.readFile(file, 'utf8'), ORIGINAL);

    const accepted = await add({ clientSecret: 's3cr3t', storeSecretInPlainText: true });
    assert.equal(accepted?.changed, true);
    assert.match(await fs.readFile(file, 'utf8'), /--oidc-client-secret=s3cr3t/);
  });

  it('creates a missing kubeconfig, private to its owner', async () => {
    const fresh = join(dir, 'new', 'kubeconfig');
    const result = await vscode.commands.executeCommand<AddResult | undefined>('talosOidc.addKubeconfigUser', {
      issuerUrl: ISSUER,
      clientId: CLIENT_ID,
      userName: 'oidc',
      kubeconfigPath: fresh,
    });
    assert.equal(result?.changed, true);
    assert.match(await fs.readFile(fresh, 'utf8'), /kind: Config[\s\S]*- name: oidc/);
    assert.equal((await fs.stat(fresh)).mode & 0o077, 0, 'no access for group or others');
  });

  it("refuses a URL as the client ID (the seed guide's mistake)", async () => {
    const result = await add({ clientId: ISSUER });
    assert.equal(result, undefined);
    assert.equal(await fs.readFile(file, 'utf8'), ORIGINAL);
  });
});
