import * as path from 'node:path';
import * as vscode from 'vscode';
import { generateClusterRoleBinding, setupWithDefaults, type OidcSetup } from '../../core/generate/index';
import { isProviderId } from '../../core/providers/presets';
import type { ParsedFile } from '../../core/workspace/types';
import { fileKey } from '../convert';
import type { ExtensionServices } from '../services';
import type { VsCodeWorkspaceModel } from '../state/workspaceModel';
import { summarizeConfig } from '../view/configSummary';
import { argumentObject, stringArg, UserError, type Command } from './commandManager';
import { appendDocumentEdit, applyEditsToDocument, uriFrom } from './targets';
import { COMMAND } from '../commandIds';
import type { InsertResult } from './targets';

const ROLES = [
  {
    label: 'cluster-admin',
    description: 'full control',
    detail:
      '$(warning) Every member of the group can do anything in the cluster, including reading secrets and changing RBAC. Use it for the admins group only.',
  },
  {
    label: 'admin',
    description: 'namespaced admin',
    detail: 'Read/write within namespaces, including roles and bindings; no cluster-scoped objects.',
  },
  {
    label: 'edit',
    description: 'read/write workloads',
    detail: 'Read/write most namespaced objects; no roles or bindings.',
  },
  { label: 'view', description: 'read-only', detail: 'Read most namespaced objects; no secrets.' },
];

/** Insert a ClusterRoleBinding for the group the workspace's Talos config produces. */
export class InsertClusterRoleBindingCommand implements Command {
  readonly id = COMMAND.insertClusterRoleBinding;

  constructor(
    private readonly services: ExtensionServices,
    private readonly model: VsCodeWorkspaceModel,
  ) {}

  async execute(first?: unknown): Promise<InsertResult | undefined> {
    const args = argumentObject(first);
    const config = await this.identitySource(args);
    if (config === null) return undefined;
    const settings = this.services.settings(config ? this.model.uriOf(config.file) : undefined);
    const summary = config ? summarizeConfig(config) : undefined;
    if (summary && summary.layout !== 'none' && !summary.groupsClaim) {
      throw new UserError(
        `${path.basename(config!.file)} sets no groups claim, so no group can ever match a binding. Set the groups claim (oidc-groups-claim) first.`,
      );
    }
    const provider = isProviderId(settings.provider) ? settings.provider : undefined;
    const setup: OidcSetup = setupWithDefaults({
      issuerUrl: summary?.issuer ?? settings.issuerUrl,
      clientId: summary?.clientId ?? settings.clientId,
      provider,
      groupsClaim: summary?.groupsClaim,
      ...(summary && summary.layout !== 'none' ? { groupsPrefix: summary.groupsPrefix ?? '' } : {}),
      adminGroup: stringArg(args, 'adminGroup') ?? settings.adminGroup,
    });
    let role = stringArg(args, 'role');
    if (role === undefined) {
      const picked = await vscode.window.showQuickPick(ROLES, {
        title: `Talos OIDC: role for group ${setup.groupsPrefix ?? ''}${setup.adminGroup}`,
        placeHolder: 'cluster-admin gives full control of the cluster',
        ignoreFocusOut: true,
      });
      if (!picked) return undefined;
      role = picked.label;
    }
    if (!/^[a-z0-9]([-a-z0-9.:]*[a-z0-9])?$/.test(role))
      throw new UserError(`"${role}" is not a valid ClusterRole name.`);
    const yaml = generateClusterRoleBinding(setup, { role, name: stringArg(args, 'name') });

    const target = await this.targetFor(args, first);
    const text = target.getText();
    const edit = { ...appendDocumentEdit(text, yaml), file: fileKey(target.uri) };
    await applyEditsToDocument(target, text, [edit]);
    if (role === 'cluster-admin') {
      void vscode.window.showWarningMessage(
        `The binding gives cluster-admin to every member of "${setup.adminGroup}" at your provider. Apply it (kubectl apply -f) with your current admin credentials before switching the API server to OIDC.`,
      );
    }
    return {
      uri: target.uri.toString(),
      summary: `ClusterRoleBinding ${role} for ${setup.groupsPrefix ?? ''}${setup.adminGroup}`,
    };
  }

  /** The config whose identity the binding is for: undefined when there is none (settings and preset decide), null when the user cancelled. */
  private async identitySource(args: Record<string, unknown>): Promise<ParsedFile | undefined | null> {
    const configUri = uriFrom(args.configUri) ?? uriFrom((args.location as { uri?: unknown } | undefined)?.uri);
    if (configUri) return (await this.model.parsed(configUri)) ?? undefined;
    const active = vscode.window.activeTextEditor?.document;
    if (active) {
      const parsed = this.model.updateFromDocument(active);
      if (
        parsed.kinds.has('talos-config') ||
        parsed.kinds.has('talos-patch') ||
        parsed.kinds.has('authentication-config')
      )
        return parsed;
    }
    const configs = this.model.authConfigs().filter((parsed) => summarizeConfig(parsed).layout !== 'none');
    if (configs.length <= 1) return configs[0];
    const picked = await vscode.window.showQuickPick(
      configs.map((parsed) => ({
        label: path.basename(parsed.file),
        description: vscode.workspace.asRelativePath(parsed.file),
        parsed,
      })),
      { title: "Talos OIDC: which config's users is the binding for?", ignoreFocusOut: true },
    );
    return picked ? picked.parsed : null;
  }

  /** The open RBAC/YAML editor, else a new YAML document (never inside a Talos config or kubeconfig). */
  private async targetFor(args: Record<string, unknown>, first: unknown): Promise<vscode.TextDocument> {
    const explicit = uriFrom(args.uri);
    if (explicit) return vscode.workspace.openTextDocument(explicit);
    const active = vscode.window.activeTextEditor?.document;
    if (active && (active.languageId === 'yaml' || /\.ya?ml$/i.test(active.uri.path))) {
      const parsed = this.model.updateFromDocument(active);
      const ours =
        parsed.kinds.has('talos-config') ||
        parsed.kinds.has('talos-patch') ||
        parsed.kinds.has('kubeconfig') ||
        parsed.kinds.has('authentication-config');
      if (!ours) return active;
    }
    void first;
    return vscode.workspace.openTextDocument({ language: 'yaml', content: '' });
  }
}
