import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { setupWithDefaults } from '../../../../src/core/generate/index';
import { applyTextEdits, insertOidcEdits } from '../../../../src/core/generate/insert';

const FIXTURES = join(__dirname, '..', '..', '..', 'fixtures', 'configs');
const setup = setupWithDefaults({ issuerUrl: 'https://new.example.com', clientId: 'new-client' });

function insert(text: string, layout?: 'legacy' | 'multi-document') {
  const plan = insertOidcEdits({ file: 'cp.yaml', text }, setup, { layout });
  for (const edit of plan.edits) assert.equal(edit.file, 'cp.yaml');
  return { plan, text: applyTextEdits(text, plan.edits) };
}

/** Lines of `before` must appear in `after` in order (nothing removed or rewritten). */
function assertKeptLines(before: string, after: string, except: RegExp = /$^/) {
  const afterLines = after.split('\n');
  let at = 0;
  for (const line of before.split('\n')) {
    if (except.test(line)) continue;
    const found = afterLines.indexOf(line, at);
    assert.ok(found >= 0, `line kept: ${JSON.stringify(line)}`);
    at = found + 1;
  }
}

function extraArgsCount(text: string): number {
  return (text.match(/^\s*extraArgs:/gm) ?? []).length;
}

describe('inserting the OIDC settings into an existing Talos config', () => {
  it('legacy: merges into the existing extraArgs map, keeping other flags and comments', () => {
    const text = `version: v1alpha1 # top
machine:
  type: controlplane
cluster:
  apiServer:
    image: registry.k8s.io/kube-apiserver:v1.33.1 # pinned
    extraArgs:
      # audit first
      audit-log-path: "-"
      feature-gates: X=true # trailing
  clusterName: demo
`;
    const { text: out } = insert(text);
    assertKeptLines(text, out);
    assert.equal(extraArgsCount(out), 1, 'no second extraArgs key');
    const args = parse(out).cluster.apiServer.extraArgs;
    assert.equal(args['audit-log-path'], '-');
    assert.equal(args['feature-gates'], 'X=true');
    assert.equal(args['oidc-issuer-url'], 'https://new.example.com');
    assert.equal(args['oidc-groups-prefix'], 'oidc:');
    assert.match(out, /oidc-groups-prefix: "oidc:"/);
    assert.equal(parse(out).cluster.clusterName, 'demo');
  });

  it('legacy: updates flags that exist instead of adding them again, and is idempotent', () => {
    const text = readFileSync(join(FIXTURES, 'legacy', 'controlplane.yaml'), 'utf8');
    const { text: out } = insert(text);
    assert.equal(extraArgsCount(out), extraArgsCount(text));
    assert.equal((out.match(/oidc-issuer-url:/g) ?? []).length, 1);
    assert.equal(parse(out).cluster.apiServer.extraArgs['oidc-client-id'], 'new-client');
    assertKeptLines(text, out, /oidc-(issuer-url|client-id):/);
    const again = insertOidcEdits({ file: 'cp.yaml', text: out }, setup);
    assert.deepEqual(again.edits, []);
  });

  it("legacy: creates apiServer.extraArgs where missing, at the file's own indentation, with CRLF kept", () => {
    const text =
      'version: v1alpha1\r\nmachine:\r\n    type: controlplane # cp\r\ncluster:\r\n    clusterName: x # name\r\n';
    const { text: out } = insert(text);
    assert.ok(!/[^\r]\n/.test(out), 'every line break stays CRLF');
    assert.ok(out.startsWith(text.slice(0, text.indexOf('cluster:'))));
    assert.match(out, /\r\n {4}apiServer:\r\n {8}extraArgs:\r\n {12}oidc-issuer-url: https:\/\/new.example.com\r\n/);
    assert.equal(parse(out).cluster.clusterName, 'x');
  });

  it('legacy: fills an empty or {} extraArgs in place', () => {
    for (const empty of ['extraArgs:', 'extraArgs: {}', 'extraArgs: null']) {
      const text = `version: v1alpha1\ncluster:\n  apiServer:\n    ${empty}\n    image: foo\n`;
      const { text: out } = insert(text);
      assert.equal(extraArgsCount(out), 1, empty);
      const apiServer = parse(out).cluster.apiServer;
      assert.equal(apiServer.image, 'foo');
      assert.equal(apiServer.extraArgs['oidc-client-id'], 'new-client');
    }
  });

  it('legacy: a flow-style apiServer or extraArgs keeps its entries and gains the flags', () => {
    const text =
      'version: v1alpha1\ncluster:\n  apiServer: {image: "registry.k8s.io/kube-apiserver:v1.33.1", extraArgs: {audit-log-path: "-"}} # flow\n  clusterName: demo\n';
    const { text: out } = insert(text);
    const apiServer = parse(out).cluster.apiServer;
    assert.equal(apiServer.image, 'registry.k8s.io/kube-apiserver:v1.33.1');
    assert.equal(apiServer.extraArgs['audit-log-path'], '-');
    assert.equal(apiServer.extraArgs['oidc-issuer-url'], 'https://new.example.com');
    assert.equal(extraArgsCount(out), 1);
    assert.ok(out.endsWith('  clusterName: demo\n'));
    assert.deepEqual(insertOidcEdits({ file: 'cp.yaml', text: out }, setup).edits, [], 'idempotent');
  });

  it('multi-document: adds the issuer to the KubeAuthenticationConfig jwt list, keeping the anonymous block and the other issuer', () => {
    const text = readFileSync(join(FIXTURES, 'multidoc', 'controlplane.yaml'), 'utf8');
    const { plan, text: out } = insert(text);
    assert.equal(plan.layout, 'multi-document');
    assert.ok(out.startsWith(text.replace(/\n$/, '')), 'an append after the last entry');
    const docs = parseAllDocuments(out) as ReturnType<typeof parseAllDocuments> & unknown[];
    const kac = (docs as { toJS(): Record<string, unknown> }[])
      .map((d) => d.toJS())
      .find((d) => d.kind === 'KubeAuthenticationConfig') as {
      configuration: { anonymous: unknown; jwt: { issuer: { url: string } }[] };
    };
    assert.deepEqual(
      kac.configuration.jwt.map((j) => j.issuer.url),
      ['https://id.example.com', 'https://new.example.com'],
    );
    assert.ok(kac.configuration.anonymous);
    assert.deepEqual(insertOidcEdits({ file: 'cp.yaml', text: out }, setup).edits, [], 'idempotent');
    // The legacy layout must not be touched in a 1.14 file: no cluster.apiServer appears.
    assert.doesNotMatch(out, /apiServer:/);
  });

  it('multi-document: updates the entry of the same issuer in place', () => {
    const text = `apiVersion: v1alpha1
kind: KubeAuthenticationConfig
configuration:
  jwt:
    - issuer:
        url: https://new.example.com
        audiences: [old-client]
      claimMappings:
        username: {claim: email, prefix: ""}
    - issuer: {url: https://other.example.com, audiences: [x]}
      claimMappings: {username: {claim: sub, prefix: "o:"}}
`;
    const { text: out } = insert(text);
    const jwt = parse(out).configuration.jwt;
    assert.equal(jwt.length, 2);
    assert.deepEqual(jwt[0].issuer.audiences, ['new-client']);
    assert.equal(jwt[1].issuer.url, 'https://other.example.com');
    assert.ok(
      out.endsWith(
        '    - issuer: {url: https://other.example.com, audiences: [x]}\n      claimMappings: {username: {claim: sub, prefix: "o:"}}\n',
      ),
    );
  });

  it('multi-document: appends a KubeAuthenticationConfig document when there is none', () => {
    const text =
      'version: v1alpha1\nmachine:\n  type: controlplane\n---\napiVersion: v1alpha1\nkind: KubeAPIServerConfig\nimage: x';
    const { text: out } = insert(text);
    assert.ok(out.startsWith(text + '\n---\n'));
    const last = (parseAllDocuments(out) as { toJS(): Record<string, unknown> }[]).at(-1)!.toJS() as {
      kind: string;
      configuration: { anonymous: unknown };
    };
    assert.equal(last.kind, 'KubeAuthenticationConfig');
    assert.ok(last.configuration.anonymous);
  });

  it('refuses text that is not valid YAML, and a non-map extraArgs', () => {
    assert.throws(() => insertOidcEdits({ file: 'x', text: 'cluster: [\n' }, setup), /not valid YAML/);
    assert.throws(
      () => insertOidcEdits({ file: 'x', text: 'cluster:\n  apiServer:\n    extraArgs: [a, b]\n' }, setup),
      /not a map/,
    );
  });
});
