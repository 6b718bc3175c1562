/**
 * What the live-cluster commands share: the kubeconfig and context to talk to, the identity to
 * look for, and how a cluster failure is shown. `@kubernetes/client-node` lives in
 * dist/lazy-cluster.js, required on first use; these files import only its types.
 */
import * as vscode from 'vscode';
import type * as LazyCluster from '../lazy/cluster';
import type { ClusterError } from '../../core/cluster/errors';
import type { PredictedIdentity } from '../../core/cluster/identity';
import { identitiesOf } from '../../core/checks/identity';
import { stringArg, stringListArg, UserError } from '../commands/commandManager';
import { chooseKubeconfigFile, kubeconfigNames, readKubeconfig } from '../kubeconfig/kubeconfigFile';
import type { ExtensionServices } from '../services';

export type LazyClusterModule = typeof LazyCluster;

export interface Target {
  file: string;
  text: string;
  context: string;
}

/** The kubeconfig and context to use: from the argument, else asked (admin or OIDC user). */
export async function chooseTarget(
  services: ExtensionServices,
  args: Record<string, unknown>,
  purpose: 'admin' | 'oidc',
): Promise<Target | undefined> {
  const given = stringArg(args, 'kubeconfigPath');
  const file = await chooseKubeconfigFile(services.settings(), {
    given,
    ask: !given,
    title: purpose === 'admin' ? 'Kubeconfig with the admin context' : 'Kubeconfig with the OIDC user',
  });
  if (!file) return undefined;
  const text = await readKubeconfig(file);
  if (text === null)
    throw new UserError(`${file} does not exist. Get an admin kubeconfig with \`talosctl kubeconfig\`.`);
  const names = kubeconfigNames(text, file);
  const givenContext = stringArg(args, 'context');
  if (givenContext) return { file, text, context: givenContext };
  if (names.contexts.length === 0) throw new UserError(`${file} has no contexts.`);
  if (given && names.currentContext) return { file, text, context: names.currentContext };
  const picked = await vscode.window.showQuickPick(
    names.contexts.map((context) => ({
      label: context.name,
      description: `${context.name === names.currentContext ? 'current · ' : ''}user ${context.user ?? '?'} · cluster ${context.cluster ?? '?'}`,
      context: context.name,
    })),
    {
      title:
        purpose === 'admin'
          ? 'Which context has cluster-admin rights (e.g. admin@<cluster>)?'
          : 'Which context uses the OIDC user?',
      ignoreFocusOut: true,
    },
  );
  return picked ? { file, text, context: picked.context } : undefined;
}

/** Shows a cluster failure as one message; details (hints, the API server's answer) in the log. */
export function reportClusterError(
  services: ExtensionServices,
  cluster: LazyClusterModule,
  error: unknown,
  action: string,
): ClusterFailureSummary {
  const failure = cluster.toClusterError(error, action) as ClusterError;
  services.log.error(
    `${action}: ${failure.describe()}${failure.status ? `\nAPI server answer: ${JSON.stringify(failure.status)}` : ''}`,
  );
  const details = 'Show details';
  void vscode.window
    .showErrorMessage(`Talos OIDC: ${failure.message}`, ...(failure.hints.length > 0 ? [details] : []))
    .then((answer) => {
      if (answer === details) services.log.show(true);
    });
  return { error: { kind: failure.kind, message: failure.message, hints: failure.hints } };
}

export interface ClusterFailureSummary {
  error: { kind: string; message: string; hints: string[] };
}

export function withProgress<T>(title: string, task: () => Promise<T>): Thenable<T> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Talos OIDC: ${title}` },
    task,
  );
}

/** The identity to look for: the argument, else the last test login's verdict, else the workspace config's group. */
export function predictedIdentity(
  services: ExtensionServices,
  args: Record<string, unknown>,
): PredictedIdentity | undefined {
  const username = stringArg(args, 'username');
  const groups = stringListArg(args, 'groups');
  if (username !== undefined || groups !== undefined) return { username: username ?? '', groups: groups ?? [] };
  const review = services.session.lastLogin?.review;
  if (review?.authenticated && review.username) return { username: review.username, groups: review.groups };
  const group = configuredAdminGroup(services);
  return group ? { username: '', groups: [group] } : undefined;
}

/** The admin group as the API server will name it: the configured groups prefix + the setting's group. */
export function configuredAdminGroup(services: ExtensionServices): string | undefined {
  const adminGroup = services.settings().adminGroup;
  if (!adminGroup) return undefined;
  for (const parsed of services.workspace.authConfigs()) {
    for (const identity of identitiesOf(parsed)) {
      if (identity.groups && identity.groups.expression === undefined) return `${identity.groups.prefix}${adminGroup}`;
    }
  }
  return undefined;
}

export function describeIdentity(identity: PredictedIdentity): string {
  const parts = [];
  if (identity.username) parts.push(`user "${identity.username}"`);
  if (identity.groups.length > 0) parts.push(`groups ${identity.groups.map((group) => `"${group}"`).join(', ')}`);
  return parts.join(' and ') || 'an identity with no groups';
}
