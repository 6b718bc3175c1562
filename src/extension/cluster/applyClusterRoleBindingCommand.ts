/** `talosOidc.applyClusterRoleBinding`: apply the ClusterRoleBinding, the server-side dry run shown first. */
import * as vscode from 'vscode';
import type { ClusterRoleBindingSpec } from '../../core/cluster/identity';
import { validateObjectName } from '../../core/cluster/identity';
import { objectNameFrom } from '../../core/generate/index';
import { argumentObject, booleanArg, stringArg, UserError, type Command } from '../commands/commandManager';
import type { ExtensionServices } from '../services';
import { COMMAND } from '../commandIds';
import {
  chooseTarget,
  configuredAdminGroup,
  reportClusterError,
  withProgress,
  type LazyClusterModule,
} from './clusterTarget';

const ROLE_CHOICES = [
  {
    label: 'cluster-admin',
    detail: 'Full control of the cluster. Every member of the group gets it: keep the group small.',
  },
  { label: 'admin', detail: 'Manage most objects, including RBAC inside namespaces.' },
  { label: 'edit', detail: 'Create and change workloads; no RBAC.' },
  { label: 'view', detail: 'Read most objects; no secrets.' },
];

export class ApplyClusterRoleBindingCommand implements Command {
  readonly id = COMMAND.applyClusterRoleBinding;
  constructor(
    private readonly services: ExtensionServices,
    private readonly load: () => LazyClusterModule,
  ) {}

  async execute(argument?: unknown) {
    const args = argumentObject(argument);
    const spec = await this.spec(args);
    if (!spec) return undefined;
    const target = await chooseTarget(this.services, args, 'admin');
    if (!target) return undefined;
    const cluster = this.load();
    const confirm = booleanArg(args, 'confirm');
    try {
      const connection = cluster.openConnection({
        kubeconfigText: target.text,
        kubeconfigPath: target.file,
        context: target.context,
      });
      const plan = await withProgress('server-side dry run…', () =>
        cluster.applyClusterRoleBinding(connection, spec, { dryRun: true }),
      );
      const planText = cluster.describePlan(plan);
      this.services.log.info(`Dry run on ${target.context}:\n${planText}`);
      if (plan.change === 'unchanged') {
        void vscode.window.showInformationMessage(`Talos OIDC: ${planText}`);
        return { dryRun: planText, change: plan.change };
      }
      if (confirm === false) return { dryRun: planText, change: plan.change };
      if (confirm !== true) {
        const apply = 'Apply';
        const answer = await vscode.window.showWarningMessage(
          `Apply this ClusterRoleBinding to the cluster of context "${target.context}"?`,
          { modal: true, detail: `Server-side dry run:\n${planText}` },
          apply,
        );
        if (answer !== apply) return { dryRun: planText, change: plan.change };
      }
      const applied = await withProgress('applying the ClusterRoleBinding…', () =>
        cluster.applyClusterRoleBinding(connection, spec, { dryRun: false }),
      );
      const appliedText = cluster.describePlan(applied);
      this.services.log.info(`Applied on ${target.context}:\n${appliedText}`);
      void vscode.window.showInformationMessage(`Talos OIDC: ${appliedText}`);
      return { dryRun: planText, applied: appliedText, change: applied.change };
    } catch (error) {
      return reportClusterError(this.services, cluster, error, `apply the ClusterRoleBinding "${spec.name}"`);
    }
  }

  private async spec(args: Record<string, unknown>): Promise<ClusterRoleBindingSpec | undefined> {
    const user = stringArg(args, 'user');
    let group = stringArg(args, 'group');
    if (!group && !user) {
      const suggested =
        configuredAdminGroup(this.services) ??
        this.services.session.lastLogin?.review.groups.find((name) => !name.startsWith('system:'));
      group = (
        await vscode.window.showInputBox({
          title: 'Group to bind (as the API server names it, prefix included)',
          value: suggested ?? 'oidc:kubernetes',
          ignoreFocusOut: true,
          validateInput: (value) => (value.trim() ? undefined : 'A group is required'),
        })
      )?.trim();
      if (!group) return undefined;
    }
    let clusterRole = stringArg(args, 'clusterRole');
    if (!clusterRole) {
      clusterRole = (
        await vscode.window.showQuickPick(ROLE_CHOICES, { title: 'Which ClusterRole?', ignoreFocusOut: true })
      )?.label;
      if (!clusterRole) return undefined;
    }
    const subjects: ClusterRoleBindingSpec['subjects'] = [];
    if (group) subjects.push({ kind: 'Group', name: group });
    if (user) subjects.push({ kind: 'User', name: user });
    const name = stringArg(args, 'name') ?? objectNameFrom(`${group ?? user}-${clusterRole}`);
    const problem = validateObjectName(name);
    if (problem) throw new UserError(`"${name}" cannot be a ClusterRoleBinding name: ${problem}.`);
    return { name, clusterRole, subjects };
  }
}
