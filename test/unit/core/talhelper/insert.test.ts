/** Insert the API server settings into a talhelper talconfig.yaml: into its apiServer inline patch, or as a new controlPlane patch. */
import * as assert from 'node:assert/strict';
import { checkFiles } from '../../../../src/core/checks';
import { setupWithDefaults } from '../../../../src/core/generate/index';
import { applyTextEdits } from '../../../../src/core/generate/insert';
import { insertOidcEditsInTalconfig } from '../../../../src/core/talhelper/insert';
import { parseYamlFile } from '../../../../src/core/workspace/parse';

const setup = setupWithDefaults({ issuerUrl: 'https://id.example.com', clientId: 'kubectl' });

function insert(text: string): string {
  const parsed = parseYamlFile('/repo/talos/talconfig.yaml', text);
  return applyTextEdits(text, insertOidcEditsInTalconfig(parsed, setup).edits);
}

function oidcOf(text: string) {
  const parsed = parseYamlFile('/repo/talos/talconfig.yaml', text);
  assert.deepEqual(parsed.yamlProblems, []);
  const patch = parsed.embedded!.find((entry) =>
    entry.parsed.talos?.extraArgs.some((arg) => arg.name === 'oidc-issuer-url'),
  );
  assert.ok(patch, 'an inline patch holds the flags');
  return { parsed, patch: patch! };
}

describe('insert into a talhelper talconfig.yaml', () => {
  it('adds the flags to the inline controlPlane patch that configures the API server, inside the block string', () => {
    const text = [
      'clusterName: c',
      'nodes: []',
      'controlPlane:',
      '  patches:',
      '    - |-',
      '      cluster:',
      '        apiServer:',
      '          extraArgs:',
      '            enable-aggregator-routing: true',
      'worker: {}',
      '',
    ].join('\n');
    const result = insert(text);
    assert.ok(result.startsWith(text.split('worker:')[0].replace(/\n$/, '')), 'nothing before is changed');
    assert.ok(result.endsWith('worker: {}\n'));
    const { patch } = oidcOf(result);
    assert.equal(patch.label, 'controlPlane.patches[0]');
    assert.match(result, /\n {12}oidc-issuer-url: https:\/\/id\.example\.com\n/);
    // The inserted settings are clean for the checks (the binding is another file).
    const findings = checkFiles([parseYamlFile('/repo/talos/talconfig.yaml', result)]).filter(
      (finding) => finding.code !== 'TOIDC301',
    );
    assert.deepEqual(
      findings.map((finding) => finding.code),
      [],
    );
  });

  it('appends a new controlPlane patch when none configures the API server', () => {
    const text = [
      'clusterName: c',
      'nodes: []',
      'controlPlane:',
      '  patches:',
      '    - "@./patches/kubelet.yaml"',
      'worker: {}',
      '',
    ].join('\n');
    const result = insert(text);
    const { patch } = oidcOf(result);
    assert.equal(patch.label, 'controlPlane.patches[1]');
    assert.match(result, /\n {4}- "@\.\/patches\/kubelet\.yaml"\n {4}- \|-\n {6}cluster:\n/);
  });

  it('creates controlPlane.patches when the talconfig has none', () => {
    const result = insert('clusterName: c\nnodes: []\n');
    assert.equal(oidcOf(result).patch.label, 'controlPlane.patches[0]');
  });
});
