import * as vscode from 'vscode';
import { generatePatch, type PatchLayout } from '../../core/generate/index';
import { PROVIDER_PRESETS, getPreset, isProviderId } from '../../core/providers/presets';
import { SETTINGS_SECTION } from '../settings';
import type { ExtensionServices } from '../services';
import type { VsCodeWorkspaceModel } from '../state/workspaceModel';
import { summarizeConfig } from '../view/configSummary';
import { argumentObject, booleanArg, stringArg, UserError, type Command } from './commandManager';
import { isPlaceholder, pickProvider, resolveSetup, validateIssuer } from './setupInput';
import { uriFrom } from './targets';
import { runProcessTask } from '../tasks/processTask';
import { defaultKubeconfigLocation } from '../../core/kubeconfig/location';

/** Write a Talos patch file (either layout) for `talosctl patch machineconfig -p @file`. */
export class GeneratePatchCommand implements Command {
  readonly id = 'talosOidc.generatePatch';

  constructor(
    private readonly services: ExtensionServices,
    private readonly model: VsCodeWorkspaceModel,
  ) {}

  async execute(first?: unknown): Promise<{ uri: string } | undefined> {
    const args = argumentObject(first);
    const configs = this.model.authConfigs().filter((parsed) => summarizeConfig(parsed).layout !== 'none');
    const existing = configs.length === 1 ? configs[0] : undefined;
    const setup = await resolveSetup(this.services, args, { parsed: existing }, { askClaims: true });
    if (!setup) return undefined;
    const layout = await this.layout(args);
    if (!layout) return undefined;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    let target = uriFrom(args.target);
    if (!target) {
      target = await vscode.window.showSaveDialog({
        title: 'Talos OIDC: save the patch',
        defaultUri: folder ? vscode.Uri.joinPath(folder, 'patches', 'oidc.yaml') : undefined,
        filters: { YAML: ['yaml', 'yml'] },
      });
      if (!target) return undefined;
    } else if (!booleanArg(args, 'overwrite') && (await exists(target))) {
      throw new UserError(`${target.fsPath} exists already; pass overwrite or pick another file.`);
    }
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(generatePatch(setup, layout)));
    await vscode.window.showTextDocument(target, { preview: false });
    return { uri: target.toString() };
  }

  private async layout(args: Record<string, unknown>): Promise<PatchLayout | undefined> {
    const given = stringArg(args, 'layout');
    if (given === 'legacy' || given === 'extraArgs') return 'legacy';
    if (given === 'multi-document' || given === 'KubeAuthenticationConfig') return 'multi-document';
    if (given !== undefined)
      throw new UserError(`Unknown layout "${given}": use extraArgs or KubeAuthenticationConfig.`);
    // Talos reads a KubeAuthenticationConfig only on configs with a KubeAPIServerConfig (made by 1.14's gen config);
    // configs made earlier keep `.cluster.apiServer`, take the extraArgs patch and ignore the document.
    const multi = this.model.authConfigs().some((parsed) => (parsed.talos?.kubeApiServerConfigs.length ?? 0) > 0);
    const picked = await vscode.window.showQuickPick(
      [
        {
          label: 'extraArgs (configs with .cluster.apiServer: made by Talos 1.13 or earlier)',
          description: multi ? undefined : 'matches your configs',
          layout: 'legacy' as const,
        },
        {
          label: 'KubeAuthenticationConfig (configs with a KubeAPIServerConfig: made by Talos 1.14)',
          description: multi ? 'matches your configs' : undefined,
          layout: 'multi-document' as const,
        },
      ],
      { title: 'Talos OIDC: patch layout', ignoreFocusOut: true },
    );
    return picked?.layout;
  }
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** Remember the issuer and client ID in the workspace settings (they are not secret). */
export class ConfigureClientCommand implements Command {
  readonly id = 'talosOidc.configureClient';

  constructor(private readonly services: ExtensionServices) {}

  async execute(first?: unknown): Promise<boolean> {
    const args = argumentObject(first);
    const settings = this.services.settings();
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    const target = vscode.workspace.workspaceFolders?.length
      ? vscode.ConfigurationTarget.Workspace
      : vscode.ConfigurationTarget.Global;
    const provider =
      stringArg(args, 'provider') ??
      (args.issuerUrl !== undefined ? settings.provider : await pickProvider(settings.provider));
    if (!provider) return false;
    if (!isProviderId(provider)) throw new UserError(`Unknown provider preset "${provider}".`);
    const preset = getPreset(provider);
    const issuerUrl =
      stringArg(args, 'issuerUrl') ??
      (await vscode.window.showInputBox({
        title: `Talos OIDC: ${preset.label} issuer URL`,
        value: settings.issuerUrl || preset.issuer.pattern,
        validateInput: validateIssuer,
        ignoreFocusOut: true,
      }));
    if (issuerUrl === undefined) return false;
    const problem = validateIssuer(issuerUrl);
    if (problem) throw new UserError(problem);
    const clientId =
      stringArg(args, 'clientId') ??
      (await vscode.window.showInputBox({
        title: `Talos OIDC: ${preset.label} client ID`,
        value: settings.clientId,
        validateInput: (value) =>
          value.trim() === '' || isPlaceholder(value) ? 'Enter the client ID shown by the provider.' : undefined,
        ignoreFocusOut: true,
      }));
    if (clientId === undefined) return false;
    await config.update('provider', provider, target);
    await config.update('issuerUrl', issuerUrl, target);
    await config.update('clientId', clientId.trim(), target);
    if (!booleanArg(args, 'quiet')) {
      void vscode.window
        .showInformationMessage(
          `Saved issuer and client ID for ${preset.label}. Keep the client secret (if any) in secret storage, not in settings.`,
          'Store Client Secret',
        )
        .then((choice) => choice && vscode.commands.executeCommand('talosOidc.storeClientSecret'));
      // The secret command belongs to the test-login feature; it reads the settings saved here.
    }
    return true;
  }
}

/** The provider-specific part of the walkthrough: what to create and register, as a document. */
export class ShowProviderSetupCommand implements Command {
  readonly id = 'talosOidc.showProviderSetup';

  constructor(private readonly services: ExtensionServices) {}

  async execute(first?: unknown): Promise<vscode.TextDocument | undefined> {
    const args = argumentObject(first);
    const settings = this.services.settings();
    const provider = stringArg(args, 'provider') ?? settings.provider;
    if (!isProviderId(provider))
      throw new UserError(
        `Unknown provider preset "${provider}"; pick one of ${PROVIDER_PRESETS.map((p) => p.id).join(', ')}.`,
      );
    const document = await vscode.workspace.openTextDocument({
      language: 'markdown',
      content: providerSetupMarkdown(provider, settings.adminGroup),
    });
    await vscode.window.showTextDocument(document, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    return document;
  }
}

export function providerSetupMarkdown(provider: string, adminGroup: string): string {
  if (!isProviderId(provider)) return '';
  const preset = getPreset(provider);
  const lines = [
    `# Create the OIDC client in ${preset.label}`,
    '',
    `1. Create an OIDC client for kubectl (for example named after the cluster).`,
    `2. Register the callback URL${preset.callback.register.length > 1 ? 's' : ''} under **${preset.callback.where}**:`,
    ...preset.callback.register.map((url) => `   - \`${url}\``),
    ...(preset.callback.note ? ['', `   ${preset.callback.note}`] : []),
    `3. Note the **client ID** (and the client secret if you create a confidential client; a public client with PKCE is safer).`,
    `4. Create a group named \`${adminGroup}\`, add yourself to it, and allow it on the client.`,
    `5. Scopes kubelogin must request: ${preset.scopes.length ? preset.scopes.map((s) => `\`${s}\``).join(', ') : '(none beyond openid)'}.`,
    '',
    `Issuer: \`${preset.issuer.pattern}\` (for example \`${preset.issuer.example}\`)${preset.issuer.trailingSlash ? ' — with the trailing slash' : ''}.`,
    `Username claim: \`${preset.claims.username}\`; groups claim: ${preset.claims.groups ? `\`${preset.claims.groups}\`` : 'none by default'}.`,
    '',
    '## Hints',
    '',
    ...preset.hints.map((hint) => `- ${hint}`),
    `- ${preset.emailVerifiedNote}`,
    ...(preset.signing.note ? [`- ${preset.signing.note}`] : []),
    '',
  ];
  return lines.join('\n');
}

export class OpenWalkthroughCommand implements Command {
  readonly id = 'talosOidc.openWalkthrough';

  constructor(private readonly context: vscode.ExtensionContext) {}

  async execute(): Promise<void> {
    await vscode.commands.executeCommand(
      'workbench.action.openWalkthrough',
      `${this.context.extension.id}#talosOidc.setup`,
      false,
    );
  }
}

export class RefreshViewCommand implements Command {
  readonly id = 'talosOidc.refreshView';

  constructor(private readonly refresh: () => void) {}

  execute(): void {
    this.refresh();
  }
}

/**
 * The walkthrough's last step: run `kubectl get pods` in a terminal the user can watch, against
 * the kubeconfig that **Add kubeconfig User** writes when `talosOidc.kubeconfigPath` names one
 * (otherwise kubectl's own choice: KUBECONFIG, then ~/.kube/config).
 */
export class VerifyKubectlCommand implements Command {
  readonly id = 'talosOidc.verifyKubectl';

  constructor(private readonly services: ExtensionServices) {}

  async execute(): Promise<void> {
    const location = defaultKubeconfigLocation({ setting: this.services.settings().kubeconfigPath });
    const args =
      location.source === 'setting'
        ? ['kubectl', '--kubeconfig', location.path, 'get', 'pods']
        : ['kubectl', 'get', 'pods'];
    // A process with an argument vector (a task), not text typed into the user's shell.
    await runProcessTask('kubectl get pods', args);
  }
}
