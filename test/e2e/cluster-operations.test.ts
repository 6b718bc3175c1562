// The extension's cluster operations (src/core/cluster: matching bindings, the dry-run-then-apply
// of the ClusterRoleBinding, Who Am I / SelfSubjectReview, access reviews, and its error
// messages) against the real kube-apiserver, started with the OIDC flags the project generates.
// The stand-in server (test/support/apiserver) remains only for what a current API server cannot
// show: clusters too old for SelfSubjectReview or server-side apply, and list pagination.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalCluster, type LocalCluster } from '../../scripts/lib/kube-cluster.mjs';
import { makeTempDir } from '../../scripts/lib/processes.mjs';
import {
  applyClusterRoleBinding,
  ClusterError,
  describePlan,
  listMatchingBindings,
  openConnection,
  verifyOidcUser,
  whoAmI,
} from '../../src/core/cluster/index';
import { startTestProvider, type TestProvider } from '../support/provider';
import {
  apiServerInputFromTalos,
  buildClientTools,
  presentToken,
  runProgram,
  talosOidc,
  type E2eTools,
} from './lib/harness';

const log = (line: string) => console.log(`      [e2e] ${line}`);

describe('e2e: cluster operations against the real kube-apiserver', function () {
  this.timeout(10 * 60_000);
  let tools: E2eTools;
  let provider: TestProvider;
  let cluster: LocalCluster;
  let adminKubeconfigText: string;
  let work: string;

  function token(sub: string, groups: string[]): string {
    const now = Math.floor(Date.now() / 1000);
    return provider.signIdToken({
      iss: provider.issuer,
      aud: provider.clients.public.clientId,
      sub,
      groups,
      iat: now,
      exp: now + 600,
    });
  }

  async function kubectlApply(yamlText: string): Promise<void> {
    const file = join(work, `apply-${Date.now()}.yaml`);
    writeFileSync(file, yamlText);
    const result = await runProgram(tools.kubectl!, ['--kubeconfig', cluster.adminKubeconfig, 'apply', '-f', file]);
    assert.equal(result.code, 0, result.stderr);
  }

  async function kubectlAdmin(args: string[]) {
    return runProgram(tools.kubectl!, ['--kubeconfig', cluster.adminKubeconfig, ...args]);
  }

  before(async function () {
    tools = await buildClientTools(log);
    if (!tools.kubectl) throw new Error(`kubectl could not be built:\n${tools.errors.kubectl}`);
    provider = await startTestProvider();
    work = makeTempDir('talos-oidc-e2e-ops-');
    const generated = await talosOidc([
      'generate',
      'extra-args',
      '--issuer',
      provider.issuer,
      '--client-id',
      provider.clients.public.clientId,
      '--ca-file',
      provider.caFile,
    ]);
    assert.equal(generated.code, 0, generated.stderr);
    cluster = await startLocalCluster({ ...apiServerInputFromTalos(generated.stdout), log });
    adminKubeconfigText = readFileSync(cluster.adminKubeconfig, 'utf8');
    const ready = await presentToken(tools.kubectl!, cluster, token('probe', []));
    assert.equal(ready.code, 0, `the API server did not accept a good token: ${ready.stderr}\n${ready.logged}`);
  });

  after(async () => {
    await cluster?.stop();
    await provider?.stop();
  });

  it("lists the ClusterRoleBindings and RoleBindings that name the OIDC identity, among the cluster's own", async () => {
    const user = `oidc:${provider.accounts.alice.sub}`;
    await kubectlApply(
      [
        'apiVersion: v1',
        'kind: Namespace',
        'metadata: {name: apps}',
        '---',
        'apiVersion: rbac.authorization.k8s.io/v1',
        'kind: ClusterRoleBinding',
        'metadata: {name: oidc-admins}',
        'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}',
        'subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: "oidc:kubernetes"}]',
        '---',
        'apiVersion: rbac.authorization.k8s.io/v1',
        'kind: ClusterRoleBinding',
        'metadata: {name: unprefixed}',
        'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}',
        'subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: kubernetes}]',
        '---',
        'apiVersion: rbac.authorization.k8s.io/v1',
        'kind: RoleBinding',
        'metadata: {name: me, namespace: apps}',
        'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}',
        `subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: "${user}"}]`,
      ].join('\n'),
    );
    const connection = openConnection({ kubeconfigText: adminKubeconfigText });
    const result = await listMatchingBindings(connection, { username: user, groups: ['oidc:kubernetes'] });
    const own = result.clusterRoleBindings.filter((match) => !match.onlyViaAuthenticated).map((match) => match.name);
    assert.deepEqual(own, ['oidc-admins']);
    // The API server's bootstrap policy binds system:authenticated (discovery, basic user): true of everyone.
    const everyone = result.clusterRoleBindings
      .filter((match) => match.onlyViaAuthenticated)
      .map((match) => match.name);
    assert.ok(everyone.includes('system:discovery') && everyone.includes('system:basic-user'), everyone.join(', '));
    assert.deepEqual(
      result.roleBindings.map((match) => [match.namespace, match.name, match.matchedSubjects[0].kind]),
      [['apps', 'me', 'User']],
    );
    assert.ok(
      result.scanned.clusterRoleBindings > 40,
      `the bootstrap bindings were scanned too (${result.scanned.clusterRoleBindings})`,
    );
  });

  it('applies the ClusterRoleBinding with a server-side dry run first (nothing stored), then for real', async () => {
    const connection = openConnection({ kubeconfigText: adminKubeconfigText });
    const spec = {
      name: 'oidc-cluster-admins',
      clusterRole: 'cluster-admin',
      subjects: [{ kind: 'Group' as const, name: 'oidc:kubernetes' }],
    };

    const plan = await applyClusterRoleBinding(connection, spec, { dryRun: true });
    assert.equal(plan.change, 'create');
    assert.match(
      describePlan(plan),
      /Would create ClusterRoleBinding "oidc-cluster-admins" → ClusterRole "cluster-admin" for Group oidc:kubernetes/,
    );
    const afterDryRun = await kubectlAdmin(['get', 'clusterrolebinding', 'oidc-cluster-admins']);
    assert.notEqual(afterDryRun.code, 0, 'a dry run stores nothing');
    assert.match(afterDryRun.stderr, /NotFound|not found/);

    const applied = await applyClusterRoleBinding(connection, spec, { dryRun: false });
    assert.equal(applied.change, 'create');
    const stored = await kubectlAdmin([
      'get',
      'clusterrolebinding',
      'oidc-cluster-admins',
      '-o',
      'json',
      '--show-managed-fields',
    ]);
    assert.equal(stored.code, 0, stored.stderr);
    const object = JSON.parse(stored.stdout) as {
      subjects: { name: string }[];
      metadata: { managedFields: { manager: string; operation: string }[] };
    };
    assert.deepEqual(
      object.subjects.map((subject) => subject.name),
      ['oidc:kubernetes'],
    );
    assert.ok(
      object.metadata.managedFields.some((field) => field.manager === 'talos-oidc' && field.operation === 'Apply'),
      'server-side apply by the talos-oidc field manager',
    );

    const again = await applyClusterRoleBinding(connection, spec, { dryRun: true });
    assert.equal(again.change, 'unchanged');
  });

  it("says which subjects an update removes, and refuses to change a binding's role", async () => {
    await kubectlApply(
      [
        'apiVersion: rbac.authorization.k8s.io/v1',
        'kind: ClusterRoleBinding',
        'metadata: {name: admins}',
        'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}',
        'subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: alice}]',
      ].join('\n'),
    );
    const connection = openConnection({ kubeconfigText: adminKubeconfigText });
    const plan = await applyClusterRoleBinding(
      connection,
      { name: 'admins', clusterRole: 'cluster-admin', subjects: [{ kind: 'Group', name: 'oidc:kubernetes' }] },
      { dryRun: true },
    );
    assert.equal(plan.change, 'update');
    assert.deepEqual(plan.removedSubjects, [{ kind: 'User', name: 'alice' }]);
    assert.match(describePlan(plan), /Removes .*User alice/);
    await assert.rejects(
      applyClusterRoleBinding(
        connection,
        { name: 'admins', clusterRole: 'view', subjects: [{ kind: 'Group', name: 'oidc:kubernetes' }] },
        { dryRun: true },
      ),
      (error: unknown) =>
        error instanceof ClusterError && error.kind === 'conflict' && /cannot be changed/.test(error.message),
    );
  });

  it('Who Am I (SelfSubjectReview) and the access reviews answer for the OIDC token as RBAC decides', async () => {
    // Not the built-in `view`: it is an aggregated role, filled by kube-controller-manager, which
    // this control plane does not run.
    await kubectlApply(
      [
        'apiVersion: rbac.authorization.k8s.io/v1',
        'kind: ClusterRole',
        'metadata: {name: pod-reader}',
        'rules: [{apiGroups: [""], resources: [pods], verbs: [get, list, watch]}]',
        '---',
        'apiVersion: rbac.authorization.k8s.io/v1',
        'kind: ClusterRoleBinding',
        'metadata: {name: oidc-viewers}',
        'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-reader}',
        'subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: "oidc:viewers"}]',
      ].join('\n'),
    );
    const sub = provider.accounts.bob.sub;
    const connection = openConnection({ kubeconfigText: adminKubeconfigText, bearerToken: token(sub, ['viewers']) });
    const predicted = { username: `oidc:${sub}`, groups: ['oidc:viewers'] };
    const result = await verifyOidcUser(connection, predicted);
    assert.equal(result.whoAmI?.apiVersion, 'authentication.k8s.io/v1');
    assert.equal(result.whoAmI?.userInfo.username, `oidc:${sub}`);
    assert.equal(result.comparison?.same, true, result.comparison?.differences.join('; '));
    assert.deepEqual(
      result.access.map((access) => [access.check.verb, access.check.resource, access.allowed]),
      [
        ['get', 'pods', true],
        ['list', 'nodes', false],
        ['*', '*', false],
      ],
    );
    assert.match(result.access[0].reason ?? '', /oidc-viewers/, 'RBAC names the binding that allowed it');

    const wrongPrediction = await verifyOidcUser(connection, {
      username: `https://id.example.com#${sub}`,
      groups: ['viewers'],
    });
    assert.equal(wrongPrediction.comparison?.same, false);
    assert.deepEqual(wrongPrediction.comparison?.missingGroups, ['viewers']);
    assert.deepEqual(wrongPrediction.comparison?.unexpectedGroups, ['oidc:viewers']);
  });

  it("turns the API server's 401 into its answer plus the likely causes", async () => {
    const foreign = provider.signIdToken({
      iss: provider.issuer,
      aud: 'someone-else',
      sub: 'x',
      exp: Math.floor(Date.now() / 1000) + 600,
    });
    const connection = openConnection({ kubeconfigText: adminKubeconfigText, bearerToken: foreign });
    await assert.rejects(
      whoAmI(connection, ['the token\'s aud "someone-else" is not the API server\'s client ID']),
      (error: unknown) => {
        assert.ok(error instanceof ClusterError);
        assert.equal(error.kind, 'unauthorized');
        assert.equal(error.status?.message, 'Unauthorized');
        assert.match(error.message, /401 Unauthorized: "Unauthorized"/);
        assert.match(error.describe(), /aud "someone-else"/);
        assert.match(error.describe(), /oidc-login clean/);
        return true;
      },
    );
  });

  it('turns a 403 (listing bindings without rights) into a clear message', async () => {
    const connection = openConnection({ kubeconfigText: adminKubeconfigText, bearerToken: token('nobody', []) });
    await assert.rejects(
      listMatchingBindings(connection, { username: 'oidc:nobody', groups: [] }),
      (error: unknown) =>
        error instanceof ClusterError &&
        error.kind === 'forbidden' &&
        /cannot list resource "(cluster)?rolebindings"/.test(error.message) &&
        /cluster-admin/.test(error.describe()),
    );
  });

  it("reports the API server's certificate from an unknown CA as a TLS problem", async () => {
    const withoutCa = adminKubeconfigText.replace(/^\s*certificate-authority-data: .*\n/m, '');
    assert.notEqual(withoutCa, adminKubeconfigText);
    const connection = openConnection({ kubeconfigText: withoutCa });
    await assert.rejects(
      whoAmI(connection),
      (error: unknown) =>
        error instanceof ClusterError && error.kind === 'tls' && /certificate-authority-data/.test(error.describe()),
    );
  });
});
