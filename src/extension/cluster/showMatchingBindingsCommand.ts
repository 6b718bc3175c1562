/** `talosOidc.showMatchingBindings`: which bindings on the cluster match the OIDC identity. */
import * as vscode from 'vscode';
import { argumentObject, type Command } from '../commands/commandManager';
import type { ExtensionServices } from '../services';
import { COMMAND } from '../commandIds';
import {
  chooseTarget,
  describeIdentity,
  predictedIdentity,
  reportClusterError,
  withProgress,
  type LazyClusterModule,
} from './clusterTarget';

export class ShowMatchingBindingsCommand implements Command {
  readonly id = COMMAND.showMatchingBindings;
  constructor(
    private readonly services: ExtensionServices,
    private readonly load: () => LazyClusterModule,
  ) {}

  async execute(argument?: unknown) {
    const args = argumentObject(argument);
    let identity = predictedIdentity(this.services, args);
    if (!identity) {
      const group = await vscode.window.showInputBox({
        title: 'Which group should the bindings name?',
        prompt:
          'No test login and no OIDC groups settings in the workspace: enter the group as the API server names it (with its prefix).',
        value: 'oidc:kubernetes',
        ignoreFocusOut: true,
      });
      if (!group) return undefined;
      identity = { username: '', groups: [group.trim()] };
    }
    const target = await chooseTarget(this.services, args, 'admin');
    if (!target) return undefined;
    const cluster = this.load();
    try {
      const found = await withProgress('looking for matching bindings…', async () => {
        const connection = cluster.openConnection({
          kubeconfigText: target.text,
          kubeconfigPath: target.file,
          context: target.context,
        });
        return cluster.listMatchingBindings(connection, identity);
      });
      const own = [...found.clusterRoleBindings, ...found.roleBindings].filter((match) => !match.onlyViaAuthenticated);
      const lines = [...found.clusterRoleBindings, ...found.roleBindings].map(
        (match) =>
          `${match.kind} ${match.namespace ? `${match.namespace}/` : ''}${match.name} → ${match.roleRef.kind} ${match.roleRef.name} (via ${match.matchedSubjects.map((subject) => `${subject.kind} ${subject.name}`).join(', ')})`,
      );
      this.services.log.info(
        `Bindings on the cluster (${target.context}) for ${describeIdentity(identity)}:\n${lines.join('\n') || '(none)'}`,
      );
      const details = 'Show details';
      if (own.length === 0) {
        const apply = 'Apply a ClusterRoleBinding…';
        void vscode.window
          .showWarningMessage(
            `Talos OIDC: no binding on the cluster names ${describeIdentity(identity)} (checked ${found.scanned.clusterRoleBindings} ClusterRoleBindings, ${found.scanned.roleBindings} RoleBindings). OIDC users would be allowed nothing.`,
            apply,
            details,
          )
          .then((answer) => {
            if (answer === apply)
              void vscode.commands.executeCommand(COMMAND.applyClusterRoleBinding, {
                kubeconfigPath: target.file,
                context: target.context,
              });
            if (answer === details) this.services.log.show(true);
          });
      } else {
        void vscode.window
          .showInformationMessage(
            `Talos OIDC: ${own.length} binding(s) on the cluster name ${describeIdentity(identity)}: ${own.map((match) => `${match.name} (${match.roleRef.name})`).join(', ')}.`,
            details,
          )
          .then((answer) => {
            if (answer === details) this.services.log.show(true);
          });
      }
      return found;
    } catch (error) {
      return reportClusterError(this.services, cluster, error, 'list the bindings on the cluster');
    }
  }
}
