/**
 * What the parse's fast path cuts (src/core/yaml/elide.ts): the inner items of long lists of plain
 * one-line strings under keys nothing reads, and nothing that could hold a syntax error or be read. Whether the
 * result equals the full parse is fastPath.test.ts's question; this one pins down the rules.
 */
import assert from 'node:assert/strict';
import { parseYamlSource } from '../../../../src/core/yaml/source';

const items = (count: number, item: (i: number) => string, indent = '    ') =>
  Array.from({ length: count }, (_, i) => `${indent}- ${item(i)}\n`).join('');

/** A Talos config with a long `cluster.extraManifests` list. */
const config = (list: string, top = 'version: v1alpha1\n') =>
  `${top}machine:\n  type: controlplane\ncluster:\n  extraManifests:\n${list}  apiServer:\n    extraArgs:\n      oidc-client-id: kubernetes\n`;

function cut(text: string): number {
  return (parseYamlSource(text).elided ?? []).reduce((sum, elision) => sum + elision.end - elision.start, 0);
}

describe('core/yaml: the fast path cuts only plain lists nothing reads', () => {
  const long = items(100, (i) => `https://example.com/${i}.yaml # manifest ${i}`);

  it('cuts a long extraManifests list but its first and last item, and the settings after it keep their places', () => {
    const text = config(long);
    // All but the first and the last item: the list still starts and ends where it did.
    const lines = long.split(/(?<=\n)/);
    assert.equal(cut(text), long.length - lines[0].length - lines[lines.length - 1].length);
    const source = parseYamlSource(text);
    const full = parseYamlSource(text, { full: true });
    const clientId = (s: typeof source) => {
      const cluster = s.documents[0].get('cluster', true) as { getIn(path: string[], keep: true): { range: number[] } };
      return s.toOriginal(cluster.getIn(['apiServer', 'extraArgs', 'oidc-client-id'], true).range[0]);
    };
    assert.equal(clientId(source), text.indexOf('kubernetes\n'));
    assert.equal(clientId(source), clientId(full));
  });

  it('keeps a list with anything YAML could read differently or reject', () => {
    for (const odd of ['oidc:', '&anchor x', '*alias', '!!str x', '"quoted"', 'a: b', '[flow]', '- nested', 'x\ty'])
      assert.equal(cut(config(long + items(1, () => odd))), 0, odd);
  });

  it('keeps a list under a key something reads, or in a document that is no Talos v1alpha1 config', () => {
    assert.equal(cut(config(long).replace('extraManifests', 'inlineManifests')), 0);
    assert.equal(cut(config(long, 'apiVersion: v1\nkind: ConfigMap\n')), 0);
  });

  it('parses the whole text when the file has a syntax error, so the error is the full parse’s', () => {
    const text = config(long) + 'cluster: again\n';
    assert.equal(cut(text), 0);
    assert.deepEqual(parseYamlSource(text).syntaxProblems, parseYamlSource(text, { full: true }).syntaxProblems);
    assert.ok(parseYamlSource(text).syntaxProblems.length > 0);
  });
});
