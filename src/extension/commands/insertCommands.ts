import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  generateClusterRoleBinding,
  insertOidcEdits,
  kubeconfigExec,
  setupWithDefaults,
  type InsertLayout,
  type OidcSetup,
} from '../../core/generate/index';
import { migrateExtraArgsToKubeAuthenticationConfig } from '../../core/generate/migrate';
import { insertOidcEditsInTalconfig } from '../../core/talhelper/insert';
import { isProviderId } from '../../core/providers/presets';
import type { ParsedFile } from '../../core/workspace/types';
import { fileKey, fixToWorkspaceEdit } from '../convert';
import type { ExtensionServices } from '../services';
import type { VsCodeWorkspaceModel } from '../state/workspaceModel';
import { summarizeConfig } from '../view/configSummary';
import { argumentObject, booleanArg, stringArg, UserError, type Command } from './commandManager';
import { resolveSetup } from './setupInput';
import { kubeconfigUserEdits } from './kubeconfigEdits';
import { appendDocumentEdit, applyEditsToDocument, targetDocument, uriFrom } from './targets';
import { COMMAND } from '../commandIds';

/** What an insert command reports back (scripts and tests read it; people see a message). */
export interface InsertResult {
  uri: string;
  summary: string;
}

function isTalos(parsed: ParsedFile): boolean {
  return parsed.kinds.has('talos-config') || parsed.kinds.has('talos-patch') || parsed.kinds.has('talhelper');
}

function layoutArg(args: Record<string, unknown>): InsertLayout | undefined {
  const value = stringArg(args, 'layout');
  if (value === undefined) return undefined;
  if (value === 'legacy' || value === 'extraArgs') return 'legacy';
  if (value === 'multi-document' || value === 'KubeAuthenticationConfig') return 'multi-document';
  throw new UserError(`Unknown layout "${value}": use extraArgs or KubeAuthenticationConfig.`);
}

/** Insert the API server OIDC settings into the open Talos config, in the place its layout uses. */
export class InsertApiServerSettingsCommand implements Command {
  readonly id = COMMAND.insertApiServerSettings;

  constructor(
    private readonly services: ExtensionServices,
    private readonly model: VsCodeWorkspaceModel,
  ) {}

  async execute(first?: unknown): Promise<InsertResult | undefined> {
    const args = argumentObject(first);
    const document = (await targetDocument(args, first)) ?? (await this.pickConfig());
    if (!document) return undefined;
    const parsed = this.model.updateFromDocument(document);
    const empty = document.getText().trim() === '';
    if (!empty && !isTalos(parsed))
      throw new UserError(`${path.basename(document.uri.path)} is not a Talos machine config or patch.`);
    if (parsed.talos?.machineType?.value === 'worker') {
      throw new UserError(
        `${path.basename(document.uri.path)} is a worker config: the API server runs only on control-plane nodes, so open controlplane.yaml instead.`,
      );
    }
    if (
      parsed.talos?.extraArgs.some((arg) => arg.name === 'authentication-config') &&
      layoutArg(args) !== 'multi-document'
    ) {
      throw new UserError(
        'This config passes authentication-config to the API server, which cannot be combined with oidc-* flags: add the issuer to that AuthenticationConfiguration file instead.',
      );
    }
    const setup = await resolveSetup(this.services, args, { uri: document.uri, parsed }, { askClaims: true });
    if (!setup) return undefined;
    const text = document.getText();
    let plan;
    try {
      // A talconfig.yaml gets the settings in a controlPlane inline patch (talhelper merges it into each control-plane node).
      plan = parsed.talhelper
        ? insertOidcEditsInTalconfig(parsed, setup)
        : insertOidcEdits({ file: fileKey(document.uri), text }, setup, { layout: layoutArg(args) });
    } catch (error) {
      throw new UserError(
        `Cannot insert into ${path.basename(document.uri.path)}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    await applyEditsToDocument(document, text, plan.edits);
    if (plan.edits.length > 0) {
      void vscode.window
        .showInformationMessage(
          `${plan.summary}. Create the ClusterRoleBinding for ${setup.groupsPrefix ?? ''}${setup.adminGroup} and apply it before you apply this config, or you can lock yourself out.`,
          'Insert ClusterRoleBinding',
        )
        .then(
          (choice) =>
            choice &&
            vscode.commands.executeCommand(COMMAND.insertClusterRoleBinding, {
              configUri: document.uri.toString(),
            }),
        );
    } else void vscode.window.showInformationMessage(plan.summary);
    return { uri: document.uri.toString(), summary: plan.summary };
  }

  /** No editor to insert into (a welcome-view button): offer the workspace's configs or a file. */
  private async pickConfig(): Promise<vscode.TextDocument | undefined> {
    const configs = this.model
      .authConfigs()
      .filter((parsed) => parsed.kinds.has('talos-config') || parsed.kinds.has('talos-patch'));
    const browse = { label: '$(folder-opened) Open a file…', parsed: undefined };
    const picked =
      configs.length === 0
        ? browse
        : await vscode.window.showQuickPick(
            [
              ...configs.map((parsed) => ({
                label: path.basename(parsed.file),
                description: vscode.workspace.asRelativePath(parsed.file),
                parsed,
              })),
              browse,
            ],
            {
              title: 'Talos OIDC: which Talos config gets the API server settings?',
              ignoreFocusOut: true,
            },
          );
    if (!picked) return undefined;
    if (picked.parsed)
      return vscode.workspace.openTextDocument(
        this.model.uriOf(picked.parsed.file) ?? vscode.Uri.file(picked.parsed.file),
      );
    const [file] =
      (await vscode.window.showOpenDialog({
        title: 'Talos OIDC: open the Talos machine config (controlplane.yaml)',
        filters: { YAML: ['yaml', 'yml'] },
        canSelectMany: false,
      })) ?? [];
    return file ? vscode.workspace.openTextDocument(file) : undefined;
  }
}

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

/** Insert a kubelogin exec user into the kubeconfig open in the editor. */
export class InsertKubeconfigUserCommand implements Command {
  readonly id = COMMAND.insertKubeconfigUser;

  constructor(
    private readonly services: ExtensionServices,
    private readonly model: VsCodeWorkspaceModel,
  ) {}

  async execute(first?: unknown): Promise<InsertResult | undefined> {
    const args = argumentObject(first);
    const document = await targetDocument(args, first);
    if (!document)
      throw new UserError(
        'Open a kubeconfig file in the editor first (to write ~/.kube/config directly, use "Add kubeconfig user").',
      );
    const parsed = this.model.updateFromDocument(document);
    if (document.getText().trim() !== '' && !parsed.kinds.has('kubeconfig')) {
      throw new UserError(
        `${path.basename(document.uri.path)} is not a kubeconfig (no kind: Config, users or clusters).`,
      );
    }
    if (parsed.yamlProblems.length > 0)
      throw new UserError(`${path.basename(document.uri.path)} has YAML errors; fix them before adding a user.`);
    const configs = this.model.authConfigs().filter((candidate) => summarizeConfig(candidate).layout !== 'none');
    const setup = await resolveSetup(
      this.services,
      args,
      { parsed: configs.length === 1 ? configs[0] : undefined },
      { askClaims: false },
    );
    if (!setup) return undefined;
    let name = stringArg(args, 'name');
    if (name === undefined) {
      name = await vscode.window.showInputBox({
        title: 'Talos OIDC: kubeconfig user name',
        value: 'oidc',
        prompt: 'The name of the user entry; point a context at it with --user.',
        validateInput: (value) => (value.trim() ? undefined : 'The name cannot be empty.'),
        ignoreFocusOut: true,
      });
      if (name === undefined) return undefined;
      name = name.trim();
    }
    const text = document.getText();
    const current = this.model.updateFromDocument(document);
    const { edits, replaced } = kubeconfigUserEdits(current, name, kubeconfigExec(setup));
    await applyEditsToDocument(document, text, edits);
    return { uri: document.uri.toString(), summary: `${replaced ? 'Updated' : 'Added'} user ${name}` };
  }
}

/** Run the legacy-to-1.14 migration on a config from the palette (the same edit as the quick fix). */
export class MigrateCommand implements Command {
  readonly id = COMMAND.migrateToKubeAuthenticationConfig;

  constructor(
    private readonly services: ExtensionServices,
    private readonly model: VsCodeWorkspaceModel,
  ) {}

  async execute(first?: unknown): Promise<InsertResult | undefined> {
    const args = argumentObject(first);
    const document = await targetDocument(args, first);
    if (!document) throw new UserError('Open the Talos machine config to migrate first.');
    const parsed = this.model.updateFromDocument(document);
    const settings = this.services.settings(document.uri);
    const result = migrateExtraArgsToKubeAuthenticationConfig(parsed, {
      provider: settings.provider,
      talosVersion: settings.talosVersion || undefined,
    });
    if ('error' in result) throw new UserError(result.error);
    const edit = fixToWorkspaceEdit(result.fix, (file) => (file === parsed.file ? parsed.text : undefined));
    if (!edit || document.getText() !== parsed.text)
      throw new UserError('The document changed while migrating; run the command again.');
    if (!booleanArg(args, 'confirmed')) {
      const choice = await vscode.window.showWarningMessage(
        'Talos 1.14+ only: the OIDC flags move into a KubeAuthenticationConfig document. Older Talos versions reject that document. Continue?',
        { modal: true },
        'Migrate',
      );
      if (choice !== 'Migrate') return undefined;
    }
    await vscode.workspace.applyEdit(edit);
    return { uri: document.uri.toString(), summary: result.fix.title };
  }
}
