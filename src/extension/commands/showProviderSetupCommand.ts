import * as vscode from 'vscode';
import { PROVIDER_PRESETS, getPreset, isProviderId } from '../../core/providers/presets';
import type { ExtensionServices } from '../services';
import { argumentObject, stringArg, UserError, type Command } from './commandManager';
import { COMMAND } from '../commandIds';
import { getProviderGuide } from '../../core/providers/guides';

/** The provider-specific part of the walkthrough: what to create and register, as a document. */
export class ShowProviderSetupCommand implements Command {
  readonly id = COMMAND.showProviderSetup;

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
  const guide = getProviderGuide(provider);
  const lines = [
    `# Create the OIDC client in ${preset.label}`,
    '',
    `1. Create an OIDC client for kubectl (for example named after the cluster).`,
    `2. Register the callback URL${guide.callback.register.length > 1 ? 's' : ''} under **${guide.callback.where}**:`,
    ...guide.callback.register.map((url) => `   - \`${url}\``),
    ...(guide.callback.note ? ['', `   ${guide.callback.note}`] : []),
    `3. Note the **client ID** (and the client secret if you create a confidential client; a public client with PKCE is safer).`,
    `4. Create a group named \`${adminGroup}\`, add yourself to it, and allow it on the client.`,
    `5. Scopes kubelogin must request: ${preset.scopes.length ? preset.scopes.map((s) => `\`${s}\``).join(', ') : '(none beyond openid)'}.`,
    '',
    `Issuer: \`${preset.issuer.pattern}\` (for example \`${preset.issuer.example}\`)${preset.issuer.trailingSlash ? ' — with the trailing slash' : ''}.`,
    `Username claim: \`${preset.claims.username}\`; groups claim: ${preset.claims.groups ? `\`${preset.claims.groups}\`` : 'none by default'}.`,
    '',
    '## Hints',
    '',
    ...guide.hints.map((hint) => `- ${hint}`),
    `- ${preset.emailVerifiedNote}`,
    ...(preset.signing.note ? [`- ${preset.signing.note}`] : []),
    '',
  ];
  return lines.join('\n');
}
