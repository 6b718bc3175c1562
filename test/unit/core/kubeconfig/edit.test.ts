/**
 * setKubeconfigUser over a corpus of kubeconfig shapes: every byte outside the edited user,
 * context and current-context stays as it was; the result is what kubectl and
 * @kubernetes/client-node read; running it again changes nothing.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { isMap, isSeq, parseDocument, type Node, type Pair, type YAMLMap } from 'yaml';
import {
  KubeconfigEditError,
  setKubeconfigUser,
  type SetKubeconfigUserOptions,
} from '../../../../src/core/kubeconfig/edit';

const DIR = join(__dirname, '..', '..', '..', 'fixtures', 'kubeconfigs');
const read = (name: string) => readFileSync(join(DIR, name), 'utf8');

const exec = {
  apiVersion: 'client.authentication.k8s.io/v1',
  command: 'kubectl',
  args: [
    'oidc-login',
    'get-token',
    '--oidc-issuer-url=https://id.example.com',
    '--oidc-client-id=a60960a8-c856-43b7-add7-50d83bf7eeab',
    '--oidc-extra-scope=groups',
  ],
  interactiveMode: 'Never',
};

/** Fixtures that a user can be added to, with a cluster that exists in each. */
const EDITABLE: Record<string, string | undefined> = {
  'kubectl-style.yaml': 'uk-rg-01',
  'talosctl-indented.yaml': 'homelab',
  'comments.yaml': 'lab',
  'flow.yaml': 'lab',
  'anchors.yaml': 'b',
  'json.yaml': 'lab',
  'null-lists.yaml': 'lab',
  'no-users-key.yaml': 'lab',
  'seed-guide-user.yaml': 'testing',
  'empty.yaml': undefined,
  'comments-only.yaml': undefined,
};

/** Line numbers (0-based) covered by the named list items and the current-context pair. */
function editableLines(text: string, names: { users?: string; contexts?: string }): Set<number> {
  const lines = new Set<number>();
  const doc = parseDocument(text);
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length - 1;
  const cover = (start: number, end: number) => {
    for (let line = lineOf(start); line <= lineOf(Math.max(start, end - 1)); line++) lines.add(line);
  };
  if (!isMap(doc.contents)) return lines;
  for (const [key, name] of Object.entries(names)) {
    const pair = (doc.contents.items as Pair<Node, Node | null>[]).find(
      (p) => String((p.key as { value?: unknown }).value) === key,
    );
    if (!pair) continue;
    const list = pair.value;
    // The key line itself: it changes when a missing or null list is written (`users: null` → `users:`).
    cover(pair.key.range![0], pair.key.range![1]);
    if (!isSeq(list) || list.items.length === 0 || list.flow)
      cover(pair.key.range![0], (list?.range ?? pair.key.range!)[1]);
    if (!isSeq(list)) continue;
    for (const item of list.items) {
      if (isMap(item) && (item as YAMLMap).get('name') === name) cover(item.range![0], item.range![1]);
    }
  }
  const current = (doc.contents.items as Pair<Node, Node | null>[]).find(
    (p) => String((p.key as { value?: unknown }).value) === 'current-context',
  );
  if (current) cover(current.key.range![0], (current.value?.range ?? current.key.range!)[1]);
  return lines;
}

/** A line diff (LCS): lines removed from `before` and lines added in `after`, by line number. */
function lineDiff(before: string[], after: string[]): { removed: number[]; added: number[] } {
  const n = before.length;
  const m = after.length;
  const table = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      table[i][j] = before[i] === after[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
  const removed: number[] = [];
  const added: number[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (before[i] === after[j]) {
      i++;
      j++;
    } else if (table[i + 1][j] >= table[i][j + 1]) removed.push(i++);
    else added.push(j++);
  }
  while (i < n) removed.push(i++);
  while (j < m) added.push(j++);
  return { removed, added };
}

/** Every changed line lies inside the edited user/context/current-context, before and after. */
function assertOnlyEditedChanged(before: string, after: string, options: SetKubeconfigUserOptions) {
  const names = { users: options.name, contexts: options.context?.name };
  const { removed, added } = lineDiff(before.split('\n'), after.split('\n'));
  const allowedBefore = editableLines(before, names);
  const allowedAfter = editableLines(after, names);
  const beforeLines = before.split('\n');
  const afterLines = after.split('\n');
  for (const line of removed)
    assert.ok(allowedBefore.has(line), `changed a line outside the edit: ${JSON.stringify(beforeLines[line])}`);
  for (const line of added)
    assert.ok(allowedAfter.has(line), `added a line outside the edit: ${JSON.stringify(afterLines[line])}`);
  // And the other entries' own source text is still there, byte for byte (this covers flow style too).
  const doc = parseDocument(before);
  if (!isMap(doc.contents)) return;
  for (const key of ['clusters', 'users', 'contexts']) {
    const list = doc.contents.get(key, true);
    if (!isSeq(list)) continue;
    for (const item of list.items) {
      if (!isMap(item)) continue;
      const name = item.get('name');
      if ((key === 'users' && name === options.name) || (key === 'contexts' && name === options.context?.name))
        continue;
      assert.ok(
        after.includes(before.slice(item.range![0], item.range![1]).trimEnd()),
        `${key} entry "${String(name)}" kept verbatim`,
      );
    }
  }
}

let kubectlFound: boolean | undefined;
function kubectlAvailable(): boolean {
  kubectlFound ??= spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
  return kubectlFound;
}

function kubectlView(text: string): { status: number | null; stdout: string; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'talos-oidc-kubectl-'));
  try {
    const file = join(dir, 'config');
    writeFileSync(file, text, { mode: 0o600 });
    const result = spawnSync('kubectl', ['config', 'view', '--kubeconfig', file, '-o', 'json'], {
      encoding: 'utf8',
      env: { ...process.env, KUBECONFIG: '' },
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('kubeconfig: setKubeconfigUser over a corpus of shapes', () => {
  it('the corpus covers every fixture in the folder', () => {
    const expected = new Set([...Object.keys(EDITABLE), 'duplicate-users.yaml', 'invalid.yaml']);
    assert.deepEqual(new Set(readdirSync(DIR)), expected);
  });

  for (const [fixture, cluster] of Object.entries(EDITABLE)) {
    const options: SetKubeconfigUserOptions = cluster
      ? { name: 'pass-key', exec, context: { name: 'oidc@cluster', cluster }, useContext: true }
      : { name: 'pass-key', exec };

    it(`${fixture}: only the user${cluster ? ', the context and current-context' : ''} change`, () => {
      const before = read(fixture);
      const { text, changed } = setKubeconfigUser(before, options);
      assert.equal(changed, true);
      if (parseDocument(before).contents === null) assert.ok(text.startsWith(before), 'comments of an empty file kept');
      else assertOnlyEditedChanged(before, text, options);

      const kc = new KubeConfig();
      kc.loadFromString(text);
      const user = kc.getUser('pass-key');
      assert.ok(user?.exec, 'client-node sees the exec user');
      assert.deepEqual(user.exec.args, exec.args);
      assert.equal(user.exec.command, 'kubectl');
      if (cluster) {
        assert.equal(kc.getCurrentContext(), 'oidc@cluster');
        assert.equal(kc.getContextObject('oidc@cluster')?.user, 'pass-key');
        assert.equal(kc.getContextObject('oidc@cluster')?.cluster, cluster);
      }
    });

    it(`${fixture}: running it again changes nothing`, () => {
      const once = setKubeconfigUser(read(fixture), options).text;
      const twice = setKubeconfigUser(once, options);
      assert.equal(twice.changed, false);
      assert.equal(twice.text, once);
    });

    // An empty file has no line ending to keep.
    if (read(fixture).includes('\n'))
      it(`${fixture}: CRLF line endings are kept`, () => {
        const before = read(fixture).replace(/\n/g, '\r\n');
        const { text } = setKubeconfigUser(before, options);
        assert.ok(!/(^|[^\r])\n/.test(text), 'no bare LF');
        assert.equal(text.replace(/\r\n/g, '\n'), setKubeconfigUser(read(fixture), options).text);
      });

    it(`${fixture}: kubectl config view reads the result${kubectlAvailable() ? '' : ' (SKIPPED: kubectl is not installed; install Debian package kubernetes-client)'}`, function () {
      if (!kubectlAvailable()) this.skip();
      const { status, stdout, stderr } = kubectlView(setKubeconfigUser(read(fixture), options).text);
      assert.equal(status, 0, stderr);
      const view = JSON.parse(stdout) as {
        users: { name: string; user: { exec?: { args?: string[]; apiVersion?: string } } }[];
        'current-context'?: string;
      };
      const user = view.users.find((entry) => entry.name === 'pass-key');
      assert.deepEqual(user?.user.exec?.args, exec.args);
      assert.equal(user?.user.exec?.apiVersion, 'client.authentication.k8s.io/v1');
      if (cluster) assert.equal(view['current-context'], 'oidc@cluster');
    });
  }

  it("updates the seed guide's broken user in place: other users and their order stay", () => {
    const before = read('seed-guide-user.yaml');
    const { text } = setKubeconfigUser(before, { name: 'pass-key', exec });
    const doc = parseDocument(text).toJS() as { users: { name: string; user: { exec?: { args: string[] } } }[] };
    assert.deepEqual(
      doc.users.map((u) => u.name),
      ['admin@testing', 'pass-key', 'zz-last'],
    );
    assert.ok(
      !doc.users[1].user.exec!.args.some((arg) => arg.startsWith('--oidc-client-secret')),
      'the URL-valued secret is gone',
    );
    assert.ok(text.startsWith(before.slice(0, before.indexOf('- name: pass-key'))));
    assert.ok(text.endsWith(before.slice(before.indexOf('- name: zz-last'))));
  });

  it('a changed exec updates the same user; keys in another order are the same user', () => {
    const once = setKubeconfigUser(read('kubectl-style.yaml'), { name: 'pass-key', exec }).text;
    const changed = setKubeconfigUser(once, {
      name: 'pass-key',
      exec: { ...exec, args: [...exec.args, '--listen-address=127.0.0.1:9090'] },
    });
    assert.equal(changed.changed, true);
    assert.equal((changed.text.match(/name: pass-key/g) ?? []).length, 1);
    const reordered = once
      .replace('      command: kubectl\n', '')
      .replace('      interactiveMode: Never\n', '      interactiveMode: Never\n      command: kubectl\n');
    assert.notEqual(reordered, once);
    assert.equal(setKubeconfigUser(reordered, { name: 'pass-key', exec }).changed, false);
  });

  it('refuses several users with the same name, naming them and their lines', () => {
    assert.throws(
      () => setKubeconfigUser(read('duplicate-users.yaml'), { name: 'pass-key', exec }),
      (error: unknown) =>
        error instanceof KubeconfigEditError && /2 users named "pass-key" \(lines 4, 10\)/.test(error.message),
    );
    // Another name in the same file is fine: the duplicates are not ours to touch.
    assert.equal(setKubeconfigUser(read('duplicate-users.yaml'), { name: 'new', exec }).changed, true);
  });

  it('refuses invalid YAML with the position of the problem', () => {
    assert.throws(
      () => setKubeconfigUser(read('invalid.yaml'), { name: 'pass-key', exec }),
      (error: unknown) =>
        error instanceof KubeconfigEditError && /not valid YAML \(line \d+, column \d+\)/.test(error.message),
    );
  });

  it('refuses a context on a cluster the file does not have, and a top level that is not a map', () => {
    assert.throws(
      () => setKubeconfigUser(read('kubectl-style.yaml'), { name: 'x', exec, context: { name: 'c', cluster: 'nope' } }),
      /cluster "nope" is not in the kubeconfig \(clusters in the file: uk-rg-01, kind-dev\)/,
    );
    assert.throws(() => setKubeconfigUser('- a\n- b\n', { name: 'x', exec }), /not a YAML mapping/);
    assert.throws(
      () => setKubeconfigUser('users: 3\n', { name: 'x', exec }),
      /"users" in the kubeconfig is not a list/,
    );
  });

  it('refuses to rewrite a value other entries alias', () => {
    assert.throws(() => setKubeconfigUser(read('anchors.yaml'), { name: 'shared-token', exec }), /anchor &tok/);
  });

  it('keeps the anchors other entries use', () => {
    const { text } = setKubeconfigUser(read('anchors.yaml'), { name: 'same-token', exec });
    const kc = new KubeConfig();
    kc.loadFromString(text);
    assert.equal(kc.getUser('shared-token')?.token, 't0ken', 'the anchored user is unchanged');
    assert.ok(kc.getUser('same-token')?.exec, 'the alias user was replaced by the exec user');
    assert.equal(kc.getCluster('b')?.caData, kc.getCluster('a')?.caData);
  });
});

describe('kubeconfig: setKubeconfigUser on small shapes', () => {
  it('an empty flow map at the top level gets all new keys in one flow map', () => {
    const { text } = setKubeconfigUser('{}\n', {
      name: 'pass-key',
      exec,
    });
    const kc = new KubeConfig();
    kc.loadFromString(text);
    assert.deepEqual(kc.getUser('pass-key')?.exec?.args, exec.args);
    assert.match(text, /^\{"users":\[/);
  });
});

describe('kubeconfig: empty lists', () => {
  it('`users: []` in a block file becomes a block list; other keys untouched', () => {
    const before = 'apiVersion: v1\nkind: Config\nusers: []\ncontexts: [] # none yet\n';
    const { text } = setKubeconfigUser(before, { name: 'pass-key', exec });
    assert.ok(text.startsWith('apiVersion: v1\nkind: Config\nusers:\n- name: pass-key\n  user:\n    exec:\n'), text);
    assert.ok(text.endsWith('contexts: [] # none yet\n'));
    assert.equal(setKubeconfigUser(text, { name: 'pass-key', exec }).changed, false);
  });
});

describe('kubeconfig: updating an existing context', () => {
  it('rewrites only the context value of a kubectl-style entry (context before name)', () => {
    const before = read('kubectl-style.yaml');
    const options = { name: 'pass-key', exec, context: { name: 'kind-dev', cluster: 'uk-rg-01', namespace: 'team' } };
    const { text } = setKubeconfigUser(before, options);
    assertOnlyEditedChanged(before, text, options);
    assert.ok(
      text.includes('- context:\n    cluster: uk-rg-01\n    namespace: team\n    user: pass-key\n  name: kind-dev\n'),
      text,
    );
    const kc = new KubeConfig();
    kc.loadFromString(text);
    assert.equal(kc.getCurrentContext(), 'admin@uk-rg-01', 'current-context untouched without useContext');
    assert.equal(kc.getContextObject('kind-dev')?.namespace, 'team');
  });
});

describe('kubeconfig: no YAML library warnings on stderr', () => {
  it('a collection used as a key is kept, and the edit prints no library warning', async () => {
    const before = 'apiVersion: v1\nkind: Config\n? [a, b]\n: kept\nusers: []\n';
    const warnings: string[] = [];
    const listen = (warning: Error) => warnings.push(warning.message);
    process.on('warning', listen);
    try {
      const { text } = setKubeconfigUser(before, { name: 'pass-key', exec });
      assert.ok(text.startsWith('apiVersion: v1\nkind: Config\n? [a, b]\n: kept\nusers:\n- name: pass-key\n'), text);
      // process.emitWarning reports on a later tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', listen);
    }
    assert.deepEqual(warnings, []);
  });
});
