/** TOIDC301-302: the lockout guard. */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { parseYamlFile } from '../../../../src/core/workspace/parse';
import { applyFix, at, findingsOf, fixture, inline, only, summary } from './helpers';

function crb(subjects: string[], file = '/ws/crb.yaml') {
  return inline(
    file,
    [
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: ClusterRoleBinding',
      'metadata:',
      '  name: admins',
      'roleRef:',
      '  apiGroup: rbac.authorization.k8s.io',
      '  kind: ClusterRole',
      '  name: cluster-admin',
      'subjects:',
      ...subjects,
      '',
    ].join('\n'),
  );
}
// Subject i's name is on line 9 + 3i + 2, after `    name: ` (column 10).
const group = (name: string) => [`  - kind: Group`, `    apiGroup: rbac.authorization.k8s.io`, `    name: ${name}`];
const user = (name: string) => [`  - kind: User`, `    apiGroup: rbac.authorization.k8s.io`, `    name: ${name}`];

describe('TOIDC301 lockout guard', () => {
  it('OIDC configured and no binding at all', () => {
    const config = fixture('legacy/controlplane.yaml');
    const findings = only(findingsOf(config), 'TOIDC301');
    assert.deepEqual(summary(findings), ['TOIDC301@15:6-15:21']);
    assert.equal(findings[0].severity, 'warning');
    assert.match(findings[0].message, /`oidc:kubernetes`/);
    assert.match(findings[0].message, /a user `oidc:<sub>`/);
    assert.equal(findings[0].fixes, undefined, 'no group to bind without adminGroup');
  });

  it('offers a new ClusterRoleBinding file for the admin group, which satisfies the guard', () => {
    const config = fixture('legacy/controlplane.yaml');
    const finding = only(findingsOf(config, [], { adminGroup: 'kubernetes' }), 'TOIDC301')[0];
    const created = finding.fixes![0].createFiles![0];
    assert.equal(created.file, join(config.file, '..', 'oidc-cluster-admins.yaml'));
    const binding = parseYamlFile(created.file, created.content);
    assert.deepEqual(
      binding.bindings[0].subjects.map((subject) => [subject.kind, subject.name]),
      [['Group', 'oidc:kubernetes']],
    );
    assert.equal(binding.bindings[0].roleRef.name, 'cluster-admin');
    assert.deepEqual(only(findingsOf(config, [binding]), 'TOIDC301'), []);
    assert.deepEqual(findingsOf(binding, [config]), []);
  });

  it('a binding to the unprefixed group: the fix adds the prefix in the binding file', () => {
    const config = fixture('legacy/controlplane.yaml');
    const binding = crb(group('kubernetes'));
    const finding = only(findingsOf(config, [binding]), 'TOIDC301')[0];
    assert.match(finding.message, /`kubernetes` \(in crb\.yaml\) lacks the prefix/);
    const edit = finding.fixes![0].edits[0];
    assert.equal(edit.file, binding.file);
    const after = parseYamlFile(binding.file, applyFix(binding, finding.fixes![0]));
    assert.equal(after.bindings[0].subjects[0].name, 'oidc:kubernetes');
    assert.deepEqual(only(findingsOf(config, [after]), 'TOIDC301'), []);
  });

  it('a binding naming a prefixed user is enough', () => {
    assert.deepEqual(only(findingsOf(fixture('legacy/controlplane.yaml'), [crb(user('oidc:alice'))]), 'TOIDC301'), []);
  });

  it('without a username prefix, users are `<issuer>#<sub>`: a binding in that form is enough', () => {
    const config = inline(
      '/ws/p.yaml',
      'cluster:\n  apiServer:\n    extraArgs:\n      oidc-issuer-url: https://id.example.com\n      oidc-client-id: k8s\n',
    );
    assert.equal(only(findingsOf(config, [crb(user('oidc:alice'))]), 'TOIDC301').length, 1);
    assert.deepEqual(
      only(
        findingsOf(config, [crb(user('"https://id.example.com#643c3fba-370a-4738-92a6-9ergec96cd99"'))]),
        'TOIDC301',
      ),
      [],
    );
  });

  it('system: groups do not count as OIDC bindings, even with an empty groups prefix', () => {
    const config = inline(
      '/ws/p.yaml',
      'cluster:\n  apiServer:\n    extraArgs:\n      oidc-issuer-url: https://id.example.com\n      oidc-client-id: k8s\n      oidc-username-prefix: "oidc:"\n      oidc-groups-claim: groups\n',
    );
    assert.equal(only(findingsOf(config, [crb(group('system:masters'))]), 'TOIDC301').length, 1);
    assert.deepEqual(only(findingsOf(config, [crb(group('admins'))]), 'TOIDC301'), []);
  });

  it('for a Talos 1.14 KubeAuthenticationConfig and a standalone AuthenticationConfiguration', () => {
    assert.deepEqual(summary(only(findingsOf(fixture('multidoc/controlplane.yaml')), 'TOIDC301')), [
      'TOIDC301@30:13-30:35',
    ]);
    assert.deepEqual(
      only(findingsOf(fixture('multidoc/controlplane.yaml'), [fixture('multidoc/rbac.yaml')]), 'TOIDC301'),
      [],
    );
  });

  it('not for a worker config, nor a config without OIDC', () => {
    assert.deepEqual(only(findingsOf(fixture('misc/worker.yaml')), 'TOIDC301'), []);
    const plain = inline(
      '/ws/c.yaml',
      'version: v1alpha1\nmachine:\n  type: controlplane\ncluster:\n  apiServer:\n    image: x\n',
    );
    assert.deepEqual(findingsOf(plain), []);
  });
});

describe('TOIDC302 binding without the prefix', () => {
  const config = fixture('legacy/controlplane.yaml');

  it('a group without the groups prefix: warning at the name, fix adds the prefix', () => {
    const binding = crb(group('kubernetes'));
    const findings = findingsOf(binding, [config]);
    assert.deepEqual(summary(findings), ['TOIDC302@11:10-11:20']);
    assert.match(findings[0].message, /`oidc:kubernetes`/);
    const after = applyFix(binding, findings[0].fixes![0]);
    assert.match(after, /name: oidc:kubernetes\n/);
    assert.deepEqual(findingsOf(parseYamlFile(binding.file, after), [config]), []);
  });

  it('a quoted name keeps its quotes', () => {
    const binding = crb(group('"kubernetes"'));
    const finding = findingsOf(binding, [config])[0];
    assert.equal(at(finding.range), '11:10-11:22');
    assert.match(applyFix(binding, finding.fixes![0]), /name: "oidc:kubernetes"\n/);
  });

  it('a user that looks like a provider `sub` without the username prefix', () => {
    const binding = crb(user('643c3fba-370a-4738-92a6-9ergec96cd99'));
    assert.deepEqual(summary(findingsOf(binding, [config])), ['TOIDC302@11:10-11:46']);
  });

  it('not for prefixed names, system: groups, ordinary user names, or without an OIDC config', () => {
    assert.deepEqual(findingsOf(crb(group('oidc:kubernetes')), [config]), []);
    assert.deepEqual(findingsOf(crb(group('system:masters')), [config]), []);
    assert.deepEqual(findingsOf(crb(user('admin')), [config]), []);
    assert.deepEqual(findingsOf(crb(group('kubernetes'))), []);
  });

  it('the guide crb.yaml with the guide config: nothing to say', () => {
    assert.deepEqual(findingsOf(fixture('guide/crb.yaml'), [fixture('guide/controlplane.yaml')]), []);
  });
});

describe('bindings in Talos inline manifests', () => {
  it('are found with exact ranges in a literal block, and checked like any binding', () => {
    const config = fixture('legacy/controlplane-inline-crb.yaml');
    assert.deepEqual(
      config.bindings.map((binding) => [
        binding.name,
        binding.subjects.map((subject) => [subject.name, at(subject.nameRange)]),
      ]),
      [['oidc-admins', [['kubernetes', '28:18-28:28']]]],
    );
    const findings = findingsOf(config);
    assert.deepEqual(summary(findings), ['TOIDC301@9:6-9:21', 'TOIDC302@28:18-28:28']);
    const after = parseYamlFile(config.file, applyFix(config, only(findings, 'TOIDC302')[0].fixes![0]));
    assert.match(after.text, /\n {12}name: oidc:kubernetes\n$/);
    assert.deepEqual(findingsOf(after), []);
  });

  it('a quoted contents string: found for the lockout guard, but no edits inside it', () => {
    const text = fixture('legacy/controlplane-inline-crb.yaml').text.replace(
      /contents: \|\n[\s\S]*$/,
      'contents: "apiVersion: rbac.authorization.k8s.io/v1\\nkind: ClusterRoleBinding\\nmetadata: {name: a}\\nroleRef: {kind: ClusterRole, name: view}\\nsubjects: [{kind: Group, name: kubernetes}]\\n"\n',
    );
    const config = inline('/ws/c.yaml', text);
    assert.equal(config.bindings[0].approximateRanges, true);
    const findings = findingsOf(config);
    assert.deepEqual(
      only(findings, 'TOIDC302').map((finding) => finding.fixes),
      [undefined],
    );
    assert.equal(only(findings, 'TOIDC301')[0].fixes, undefined);
  });
});
