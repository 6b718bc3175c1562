import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { startFakeApiServer, type FakeApiServer, type StoredBinding } from '../../support/apiserver/server';
import {
  applyClusterRoleBinding,
  ClusterError,
  describePlan,
  listMatchingBindings,
  openConnection,
  verifyOidcUser,
  whoAmI,
} from '../../../src/core/cluster/index';

// The cluster code runs against a loopback stand-in for the API server (no real one can run here).

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

describe('cluster operations against a stand-in API server', function () {
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
        { ...crb('me', 'edit', [{ kind: 'User', name: ISSUER_USER }]), kind: 'RoleBinding', metadata: { name: 'me', namespace: 'apps' } },
      ],
    });
    const connection = openConnection({ kubeconfigText: server.kubeconfig({ currentContext: ADMIN }) });
    const result = await listMatchingBindings(connection, predicted);
    assert.deepEqual(result.clusterRoleBindings.map((match) => [match.name, match.onlyViaAuthenticated]), [['oidc-admins', false], ['discovery', true]]);
    assert.deepEqual(result.roleBindings.map((match) => [match.namespace, match.name, match.matchedSubjects[0].kind]), [['apps', 'me', 'User']]);
    assert.deepEqual(result.scanned, { clusterRoleBindings: 3, roleBindings: 1 });
    assert.ok(server.requests.filter((request) => request.path.endsWith('/clusterrolebindings')).length >= 3, 'followed the continue tokens');
  });

  it('applies a ClusterRoleBinding with a server-side dry run first, then for real', async () => {
    await start();
    const connection = openConnection({ kubeconfigText: server.kubeconfig({ currentContext: ADMIN }) });
    const spec = { name: 'oidc-cluster-admins', clusterRole: 'cluster-admin', subjects: [{ kind: 'Group' as const, name: 'oidc:kubernetes' }] };

    const plan = await applyClusterRoleBinding(connection, spec, { dryRun: true });
    assert.equal(plan.change, 'create');
    assert.equal(server.clusterRoleBindings.size, 0, 'a dry run stores nothing');
    assert.match(describePlan(plan), /Would create ClusterRoleBinding "oidc-cluster-admins" → ClusterRole "cluster-admin" for Group oidc:kubernetes/);
    const patch = server.requests.find((request) => request.method === 'PATCH');
    assert.equal(patch?.contentType, 'application/apply-patch+yaml');
    assert.equal(patch?.query.dryRun, 'All');
    assert.equal(patch?.query.fieldManager, 'talos-oidc');

    const applied = await applyClusterRoleBinding(connection, spec, { dryRun: false });
    assert.equal(applied.change, 'create');
    assert.deepEqual(server.clusterRoleBindings.get('oidc-cluster-admins')?.subjects?.map((subject) => subject.name), ['oidc:kubernetes']);

    const again = await applyClusterRoleBinding(connection, spec, { dryRun: true });
    assert.equal(again.change, 'unchanged');
  });

  it('says which subjects an update removes, and refuses to change a binding\'s role', async () => {
    await start({ clusterRoleBindings: [crb('admins', 'cluster-admin', [{ kind: 'User', name: 'alice' }])] });
    const connection = openConnection({ kubeconfigText: server.kubeconfig({ currentContext: ADMIN }) });
    const plan = await applyClusterRoleBinding(connection, { name: 'admins', clusterRole: 'cluster-admin', subjects: [{ kind: 'Group', name: 'oidc:kubernetes' }] }, { dryRun: true });
    assert.equal(plan.change, 'update');
    assert.deepEqual(plan.removedSubjects, [{ kind: 'User', name: 'alice' }]);
    assert.match(describePlan(plan), /Removes .*User alice/);

    await assert.rejects(
      applyClusterRoleBinding(connection, { name: 'admins', clusterRole: 'view', subjects: [{ kind: 'Group', name: 'oidc:kubernetes' }] }, { dryRun: true }),
      (error: unknown) => error instanceof ClusterError && error.kind === 'conflict' && /cannot be changed/.test(error.message),
    );
  });

  it('falls back to create when the cluster has no server-side apply (415)', async () => {
    await start({ noServerSideApply: true });
    const connection = openConnection({ kubeconfigText: server.kubeconfig({ currentContext: ADMIN }) });
    const applied = await applyClusterRoleBinding(connection, { name: 'b', clusterRole: 'cluster-admin', subjects: [{ kind: 'Group', name: 'g' }] }, { dryRun: false });
    assert.equal(applied.change, 'create');
    assert.ok(server.clusterRoleBindings.has('b'));
    assert.ok(server.requests.some((request) => request.method === 'POST' && request.path.endsWith('/clusterrolebindings')));
  });

  it('answers who the OIDC user is, compares it with the prediction and checks access', async () => {
    await start({ clusterRoleBindings: [crb('oidc-view', 'view', [{ kind: 'Group', name: 'oidc:kubernetes' }])] });
    const connection = openConnection({ kubeconfigText: server.kubeconfig({ currentContext: ADMIN }), bearerToken: OIDC });
    const result = await verifyOidcUser(connection, predicted);
    assert.equal(result.whoAmI?.userInfo.username, ISSUER_USER);
    assert.equal(result.comparison?.same, true);
    assert.deepEqual(result.access.map((access) => [access.check.verb, access.check.resource, access.allowed]), [['get', 'pods', true], ['list', 'nodes', true], ['*', '*', false]]);

    const wrongPrediction = await verifyOidcUser(connection, { username: 'https://id.example.com#5d6f', groups: ['kubernetes'] });
    assert.equal(wrongPrediction.comparison?.same, false);
    assert.deepEqual(wrongPrediction.comparison?.missingGroups, ['kubernetes']);
    assert.deepEqual(wrongPrediction.comparison?.unexpectedGroups, ['oidc:kubernetes']);
  });

  it('uses the beta SelfSubjectReview on a 1.27 cluster and says plainly when the cluster is too old', async () => {
    await start({ minorVersion: 27 });
    const oidc = openConnection({ kubeconfigText: server.kubeconfig(), bearerToken: OIDC });
    assert.equal((await whoAmI(oidc)).apiVersion, 'authentication.k8s.io/v1beta1');
    await server.stop();

    await start({ minorVersion: 25 });
    const old = openConnection({ kubeconfigText: server.kubeconfig(), bearerToken: OIDC });
    await assert.rejects(whoAmI(old), (error: unknown) => error instanceof ClusterError && error.kind === 'unsupported' && /too old/.test(error.message));
    const verification = await verifyOidcUser(old, predicted);
    assert.equal(verification.whoAmI, undefined);
    assert.equal(verification.access.length, 3, 'the access checks still ran');
  });

  it('turns a 401 into the API server\'s answer plus the likely causes', async () => {
    await start();
    const connection = openConnection({ kubeconfigText: server.kubeconfig(), bearerToken: 'expired-or-foreign-token' });
    await assert.rejects(whoAmI(connection, ['the token\'s aud "abc" is not the API server\'s client ID "def"']), (error: unknown) => {
      assert.ok(error instanceof ClusterError);
      assert.equal(error.kind, 'unauthorized');
      assert.equal(error.status?.message, 'Unauthorized');
      assert.match(error.message, /401 Unauthorized: "Unauthorized"/);
      assert.match(error.describe(), /aud "abc"/);
      assert.match(error.describe(), /oidc-login clean/);
      return true;
    });
  });

  it('turns a 403 for the admin context into a clear message', async () => {
    await start();
    const connection = openConnection({ kubeconfigText: server.kubeconfig({ currentContext: OIDC }) });
    await assert.rejects(listMatchingBindings(connection, predicted), (error: unknown) =>
      error instanceof ClusterError && error.kind === 'forbidden' && /cannot list resource "(cluster)?rolebindings"/.test(error.message) && /cluster-admin/.test(error.describe()));
  });

  it('reports an untrusted certificate as a TLS problem', async () => {
    await start();
    const connection = openConnection({ kubeconfigText: server.kubeconfig({ withCa: false }) });
    await assert.rejects(whoAmI(connection), (error: unknown) => error instanceof ClusterError && error.kind === 'tls' && /certificate-authority-data/.test(error.describe()));
  });

  it('reports an address nothing listens on as unreachable', async () => {
    await start();
    const closed: Server = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const connection = openConnection({ kubeconfigText: server.kubeconfig({ server: `https://127.0.0.1:${port}` }) });
    await assert.rejects(whoAmI(connection), (error: unknown) => error instanceof ClusterError && error.kind === 'unreachable' && /connection refused/.test(error.message));
  });

  it('refuses a kubeconfig without the chosen context or with broken YAML, in words', async () => {
    await start();
    assert.throws(() => openConnection({ kubeconfigText: server.kubeconfig(), context: 'nope' }), (error: unknown) =>
      error instanceof ClusterError && error.kind === 'kubeconfig' && /no context "nope" \(it has: admin-token, oidc-token\)/.test(error.message));
    assert.throws(() => openConnection({ kubeconfigText: 'clusters: [unclosed' }), (error: unknown) => error instanceof ClusterError && error.kind === 'kubeconfig');
  });
});
