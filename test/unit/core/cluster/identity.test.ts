import * as assert from 'node:assert/strict';
import {
  compareIdentity,
  effectiveGroups,
  matchBinding,
  validateObjectName,
} from '../../../../src/core/cluster/identity';
import { connectionFailure, httpFailure } from '../../../../src/core/cluster/errors';

describe('cluster identity matching', () => {
  const identity = { username: 'oidc:alice', groups: ['oidc:kubernetes', 'oidc:ops'] };

  it('matches users and groups exactly, case included, and adds system:authenticated', () => {
    assert.deepEqual(effectiveGroups(identity), ['oidc:kubernetes', 'oidc:ops', 'system:authenticated']);
    const binding = {
      metadata: { name: 'b' },
      roleRef: { kind: 'ClusterRole', name: 'view' },
      subjects: [
        { kind: 'Group', name: 'OIDC:kubernetes' },
        { kind: 'Group', name: 'kubernetes' },
        { kind: 'ServiceAccount', name: 'oidc:alice', namespace: 'default' },
      ],
    };
    assert.equal(matchBinding('ClusterRoleBinding', binding, identity), undefined, 'no subject names this identity');
    const match = matchBinding(
      'RoleBinding',
      { ...binding, metadata: { name: 'b', namespace: 'apps' }, subjects: [{ kind: 'User', name: 'oidc:alice' }] },
      identity,
    );
    assert.deepEqual(match?.matchedSubjects, [{ kind: 'User', name: 'oidc:alice' }]);
    assert.equal(match?.namespace, 'apps');
  });

  it("names each difference between the prediction and the API server's answer", () => {
    const same = compareIdentity(identity, {
      username: 'oidc:alice',
      groups: ['oidc:ops', 'oidc:kubernetes', 'system:authenticated'],
    });
    assert.equal(same.same, true);
    const stale = compareIdentity(identity, {
      username: 'oidc:alice',
      groups: ['oidc:kubernetes', 'system:authenticated'],
    });
    assert.deepEqual(stale.missingGroups, ['oidc:ops']);
    assert.match(stale.differences.join(), /oidc:ops/);
    const other = compareIdentity(identity, { username: 'https://id.example.com#alice', groups: identity.groups });
    assert.match(
      other.differences[0],
      /username: predicted "oidc:alice", the API server says "https:\/\/id\.example\.com#alice"/,
    );
  });

  it('validates object names as the API server does', () => {
    assert.equal(validateObjectName('oidc-kubernetes-cluster-admin'), undefined);
    assert.ok(validateObjectName('oidc:kubernetes'));
    assert.ok(validateObjectName('Admins'));
    assert.ok(validateObjectName(''));
  });
});

describe('cluster failure messages', () => {
  it('explains a certificate that does not name the server', () => {
    const error = connectionFailure(
      Object.assign(new Error("Hostname/IP does not match certificate's altnames"), {
        code: 'ERR_TLS_CERT_ALTNAME_INVALID',
      }),
      'https://10.0.0.10:6443',
    );
    assert.equal(error.kind, 'tls');
    assert.match(error.describe(), /certSANs/);
  });

  it("keeps the API server's Status message and says a roleRef cannot change", () => {
    const status = {
      kind: 'Status',
      status: 'Failure',
      reason: 'Invalid',
      code: 422,
      message:
        'ClusterRoleBinding.rbac.authorization.k8s.io "x" is invalid: roleRef: Invalid value: ...: cannot change roleRef',
    };
    const error = httpFailure(422, status, { action: 'apply the binding', as: 'admin' });
    assert.equal(error.kind, 'conflict');
    assert.equal(error.status?.message, status.message);
    assert.match(error.describe(), /roleRef cannot be changed/);
    const unknown = httpFailure(502, '<html>bad gateway</html>', { action: 'list bindings', as: 'admin' });
    assert.equal(unknown.kind, 'server');
    assert.match(unknown.message, /could not list bindings right now \(502\)/);
  });
});
