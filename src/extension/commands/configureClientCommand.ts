import * as vscode from 'vscode';
import { getPreset, isProviderId } from '../../core/providers/presets';
import { SETTINGS_SECTION } from '../settings';
import type { ExtensionServices } from '../services';
import { argumentObject, booleanArg, stringArg, UserError, type Command } from './commandManager';
import { isPlaceholder, pickProvider } from './setupInput';
import { COMMAND } from '../commandIds';
import { describeIssuerUrlProblem } from '../../core/authn/issuerUrl';

/** Remember the issuer and client ID in the workspace settings (they are not secret). */
export class ConfigureClientCommand implements Command {
  readonly id = COMMAND.configureClient;

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
        validateInput: describeIssuerUrlProblem,
        ignoreFocusOut: true,
      }));
    if (issuerUrl === undefined) return false;
    const problem = describeIssuerUrlProblem(issuerUrl);
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
        .then((choice) => choice && vscode.commands.executeCommand(COMMAND.storeClientSecret));
      // The secret command belongs to the test-login feature; it reads the settings saved here.
    }
    return true;
  }
}
