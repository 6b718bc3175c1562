import * as vscode from 'vscode';
import { type Command } from '../commands/commandManager';
import type { ExtensionServices } from '../services';
import { resolveLoginTarget } from './loginCommand';
import { COMMAND } from '../commandIds';

/** Stores a confidential client's secret in VS Code's secret storage (never in settings). */
export class StoreClientSecretCommand implements Command {
  readonly id = COMMAND.storeClientSecret;
  constructor(private readonly services: ExtensionServices) {}

  async execute(): Promise<void> {
    const target = await resolveLoginTarget(this.services, this.services.settings());
    if (!target) return;
    const secret = await vscode.window.showInputBox({
      title: `Client secret for ${target.clientId}`,
      prompt:
        'Stored in VS Code’s secret storage (the OS keychain), never in settings. A public client with PKCE needs no secret and is the safer choice: nothing to leak.',
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() ? undefined : 'Enter the secret, or press Escape'),
    });
    if (!secret) return;
    await this.services.secrets.set(target.issuerUrl, target.clientId, secret.trim());
    void vscode.window.showInformationMessage(`Talos OIDC: client secret stored for ${target.clientId}.`);
  }
}
