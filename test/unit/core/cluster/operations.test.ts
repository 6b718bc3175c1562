import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { startFakeApiServer, type FakeApiServer, type StoredBinding } from '../../../support/apiserver/server';
import {
  applyClusterRoleBinding,
  ClusterError,
  listMatchingBindings,
  openConnection,
  verifyOidcUser,
  whoAmI,
} from '../../../../src/core/cluster/index';

// What the real kube-apiserver cannot show runs here against the loopback stand-in: clusters too
// old for SelfSubjectReview or server-side apply, list pagination (a real cluster pages at 500
// bindings), and failures before any API server answers. Everything a current API server can
// answer (bindings, dry-run-then-apply, Who Am I, access reviews, 401, 403, TLS) is tested
// against the real one in test/e2e/cluster-operations.test.ts.

const ADMIN = 'admin-token';
const OIDC = 'oidc-token';
const ISSUER_USER = 'oidc:5d6f0c2e-1c1e-4c44-9d44-4a3f4d0b9f00';

function crb(name: string, role: string, subjects: { kind: string; name: string }[]): StoredBinding {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: subjects.map((subject) => ({ ...subject, apiGroup: 'rbac.authorization.k8s.io' })),
  };
}

const predicted = { username: ISSUER_USER, groups: ['oidc:kubernetes'] };

describe('cluster operations against a stand-in API server (what a current real one cannot show)', function () {
  let server: FakeApiServer;

  async function start(options: Partial<Parameters<typeof startFakeApiServer>[0]> = {}) {
    server = await startFakeApiServer({
      tokens: {
        [ADMIN]: { username: 'admin', groups: ['system:masters'] },
        [OIDC]: { username: ISSUER_USER, groups: ['oidc:kubernetes'] },
      },
      ...options,
    });
  }

  afterEach(async () => {
    await server?.stop();
  });

  it('lists the ClusterRoleBindings and RoleBindings that name the identity, across pages', async () => {
    await start({
      pageSize: 1,
      clusterRoleBindings: [
        crb('oidc-admins', 'cluster-admin', [{ kind: 'Group', name: 'oidc:kubernetes' }]),
        crb('unprefixed', 'cluster-admin', [{ kind: 'Group', name: 'kubernetes' }]),
        crb('discovery', 'system:discovery', [{ kind: 'Group', name: 'system:authenticated' }]),
      ],
      roleBindings: [
        {
          ...crb('me', 'edit', [{ kind: 'User', name: ISSUER_USER }]),
          kind: 'RoleBinding',
          metadata: { name: 'me', namespace: 'apps' },
        },
      ],
    });
    const connection = openConnection({ kubeconfigText: server.kubeconfig({ currentContext: ADMIN }) });
    const result = await listMatchingBindings(connection, predicted);
    assert.deepEqual(
      result.clusterRoleBindings.map((match) => [match.name, match.onlyViaAuthenticated]),
      [
        ['oidc-admins', false],
        ['discovery', true],
      ],
    );
    assert.deepEqual(
      result.roleBindings.map((match) => [match.namespace, match.name, match.matchedSubjects[0].kind]),
      [['apps', 'me', 'User']],
    );
    assert.deepEqual(result.scanned, { clusterRoleBindings: 3, roleBindings: 1 });
    assert.ok(
      server.requests.filter((request) => request.path.endsWith('/clusterrolebindings')).length >= 3,
      'followed the continue tokens',
    );
  });

  it('falls back to create when the cluster has no server-side apply (415)', async () => {
    await start({ noServerSideApply: true });
    const connection = openConnection({ kubeconfigText: server.kubeconfig({ currentContext: ADMIN }) });
    const applied = await applyClusterRoleBinding(
      connection,
      { name: 'b', clusterRole: 'cluster-admin', subjects: [{ kind: 'Group', name: 'g' }] },
      { dryRun: false },
    );
    assert.equal(applied.change, 'create');
    assert.ok(server.clusterRoleBindings.has('b'));
    assert.ok(
      server.requests.some((request) => request.method === 'POST' && request.path.endsWith('/clusterrolebindings')),
    );
  });

  it('uses the beta SelfSubjectReview on a 1.27 cluster and says plainly when the cluster is too old', async () => {
    await start({ minorVersion: 27 });
    const oidc = openConnection({ kubeconfigText: server.kubeconfig(), bearerToken: OIDC });
    assert.equal((await whoAmI(oidc)).apiVersion, 'authentication.k8s.io/v1beta1');
    await server.stop();

    await start({ minorVersion: 25 });
    const old = openConnection({ kubeconfigText: server.kubeconfig(), bearerToken: OIDC });
    await assert.rejects(
      whoAmI(old),
      (error: unknown) =>
        error instanceof ClusterError && error.kind === 'unsupported' && /too old/.test(error.message),
    );
    const verification = await verifyOidcUser(old, predicted);
    assert.equal(verification.whoAmI, undefined);
    assert.equal(verification.access.length, 3, 'the access checks still ran');
  });

  it('reports an address nothing listens on as unreachable', async () => {
    await start();
    const closed: Server = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const connection = openConnection({ kubeconfigText: server.kubeconfig({ server: `https://127.0.0.1:${port}` }) });
    await assert.rejects(
      whoAmI(connection),
      (error: unknown) =>
        error instanceof ClusterError && error.kind === 'unreachable' && /connection refused/.test(error.message),
    );
  });

  it('refuses a kubeconfig without the chosen context or with broken YAML, in words', async () => {
    await start();
    assert.throws(
      () => openConnection({ kubeconfigText: server.kubeconfig(), context: 'nope' }),
      (error: unknown) =>
        error instanceof ClusterError &&
        error.kind === 'kubeconfig' &&
        /no context "nope" \(it has: admin-token, oidc-token\)/.test(error.message),
    );
    assert.throws(
      () => openConnection({ kubeconfigText: 'clusters: [unclosed' }),
      (error: unknown) => error instanceof ClusterError && error.kind === 'kubeconfig',
    );
  });
});
