// The cluster commands through VS Code's command API, against a real kube-apiserver that
// scripts/run-integration.mjs starts (scripts/lib/kube-cluster.mjs) and names in the environment:
// an admin kubeconfig and a bearer token for a user named and grouped like an OIDC user. Also the
// Talos apply command's lockout guard. The commands load dist/lazy-cluster.js on first use, as for
// a user.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';

const ADMIN = 'local-admin';
const clusterEnv = {
  kubeconfigPath: process.env.TALOS_OIDC_IT_KUBECONFIG ?? '',
  token: process.env.TALOS_OIDC_IT_TOKEN ?? '',
  username: process.env.TALOS_OIDC_IT_USER ?? '',
  group: process.env.TALOS_OIDC_IT_GROUP ?? '',
};

interface Found {
  clusterRoleBindings: { name: string; onlyViaAuthenticated: boolean }[];
}

describe('cluster commands against the real kube-apiserver', () => {
  const { kubeconfigPath, token: OIDC, username: USERNAME, group: GROUP } = clusterEnv;
  const own = (found: Found) =>
    found.clusterRoleBindings.filter((binding) => !binding.onlyViaAuthenticated).map((binding) => binding.name);

  before(() => {
    assert.ok(
      kubeconfigPath && OIDC,
      `no real kube-apiserver was started for this suite: ${process.env.TALOS_OIDC_IT_CLUSTER_ERROR ?? 'run it through npm run test:integration'}`,
    );
  });

  it('finds no binding at first, applies one after a dry run, then finds it', async () => {
    const identity = { kubeconfigPath, context: ADMIN, username: USERNAME, groups: [GROUP] };
    const before = await vscode.commands.executeCommand<Found>('talosOidc.showMatchingBindings', identity);
    assert.deepEqual(own(before), [], 'only the bootstrap bindings every user gets');

    const dryRunOnly = await vscode.commands.executeCommand<{ dryRun: string; applied?: string }>(
      'talosOidc.applyClusterRoleBinding',
      {
        kubeconfigPath,
        context: ADMIN,
        group: GROUP,
        clusterRole: 'cluster-admin',
        confirm: false,
      },
    );
    assert.match(dryRunOnly.dryRun, /Would create ClusterRoleBinding "oidc-kubernetes-cluster-admin"/);
    assert.equal(dryRunOnly.applied, undefined);
    const afterDryRun = await vscode.commands.executeCommand<Found>('talosOidc.showMatchingBindings', identity);
    assert.deepEqual(own(afterDryRun), [], 'the dry run stored nothing');

    const applied = await vscode.commands.executeCommand<{ applied?: string }>('talosOidc.applyClusterRoleBinding', {
      kubeconfigPath,
      context: ADMIN,
      group: GROUP,
      clusterRole: 'cluster-admin',
      confirm: true,
    });
    assert.match(applied.applied ?? '', /Created ClusterRoleBinding/);
    const after = await vscode.commands.executeCommand<Found>('talosOidc.showMatchingBindings', identity);
    assert.deepEqual(own(after), ['oidc-kubernetes-cluster-admin']);
  });

  it('answers who the token is and what it may do', async () => {
    const result = await vscode.commands.executeCommand<{
      username?: string;
      matchesPrediction?: boolean;
      access: { label: string; allowed: boolean }[];
    }>('talosOidc.whoAmI', {
      kubeconfigPath,
      context: ADMIN,
      token: OIDC,
      username: USERNAME,
      groups: [GROUP],
    });
    assert.equal(result.username, USERNAME);
    assert.equal(result.matchesPrediction, true);
    // The previous test bound the group to cluster-admin.
    assert.deepEqual(
      result.access.map((access) => access.allowed),
      [true, true, true],
    );
  });

  it('turns a refused token into a clear 401 message, not a stack trace', async () => {
    const result = await vscode.commands.executeCommand<{ error?: { kind: string; message: string; hints: string[] } }>(
      'talosOidc.whoAmI',
      {
        kubeconfigPath,
        context: ADMIN,
        token: 'a-token-the-api-server-refuses',
        username: USERNAME,
        groups: [],
      },
    );
    assert.equal(result.error?.kind, 'unauthorized');
    assert.match(result.error?.message ?? '', /401 Unauthorized/);
    assert.doesNotMatch(result.error?.message ?? '', /\n\s+at /);
    assert.ok((result.error?.hints.length ?? 0) > 0);
  });
});

describe('applying to Talos behind the lockout guard', () => {
  let dir: string;
  let patch: string;

  before(async () => {
    dir = await fs.mkdtemp(join(tmpdir(), 'talos-oidc-apply-'));
    patch = join(dir, 'oidc-patch.yaml');
    // A prefix no binding anywhere uses, so the guard has no binding for this identity.
    await fs.writeFile(
      patch,
      [
        'cluster:',
        '  apiServer:',
        '    extraArgs:',
        '      oidc-issuer-url: https://id.lockout-test.example.com',
        '      oidc-client-id: 5d6f0c2e-1c1e-4c44-9d44-4a3f4d0b9f00',
        '      oidc-username-claim: sub',
        '      oidc-username-prefix: "lockouttest:"',
        '      oidc-groups-claim: groups',
        '      oidc-groups-prefix: "lockouttest:"',
        '',
      ].join('\n'),
    );
  });

  after(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('refuses while no binding names the identity, saying which', async () => {
    const result = await vscode.commands.executeCommand<{ refused?: string[]; applySent: boolean }>(
      'talosOidc.applyToTalos',
      {
        file: patch,
        nodes: ['10.0.0.2'],
        onLockout: 'refuse',
      },
    );
    assert.ok(result.refused && result.refused.length > 0, 'the guard did not refuse');
    assert.match(result.refused.join(' '), /lockouttest:/);
    assert.equal(result.applySent, false);
  });

  it('with an override, runs the talosctl dry run as a process with an argument vector, and no apply when it fails', async () => {
    // talosctl is not installed here: the task starts, the program cannot, so nothing is applied.
    const started = new Promise<vscode.ProcessExecution>((resolve) => {
      const listener = vscode.tasks.onDidStartTask((event) => {
        const execution = event.execution.task.execution;
        if (execution instanceof vscode.ProcessExecution && execution.process === 'talosctl') {
          listener.dispose();
          resolve(execution);
        }
      });
    });
    const result = await vscode.commands.executeCommand<{
      dryRun?: string;
      apply?: string;
      applySent: boolean;
      dryRunExitCode?: number;
    }>('talosOidc.applyToTalos', {
      file: patch,
      nodes: ['10.0.0.2', '10.0.0.3'],
      onLockout: 'override',
      confirmApply: true,
    });
    const execution = await started;
    assert.deepEqual(execution.args, [
      'patch',
      'machineconfig',
      '--nodes',
      '10.0.0.2,10.0.0.3',
      '--patch',
      `@${patch}`,
      '--dry-run',
    ]);
    assert.notEqual(result.dryRunExitCode, 0);
    assert.equal(result.applySent, false);
    assert.match(
      result.dryRun ?? '',
      /^talosctl patch machineconfig --nodes 10\.0\.0\.2,10\.0\.0\.3 --patch @\S*oidc-patch\.yaml --dry-run$/,
    );
    assert.equal(result.apply, result.dryRun?.replace(/ --dry-run$/, ''));
  });
});
