/** `talosOidc.deleteClientSecret`: forget the client secret; the test login then runs as a public client. */
import * as vscode from 'vscode';
import { type Command } from '../commands/commandManager';
import type { ExtensionServices } from '../services';
import { resolveLoginTarget } from './loginCommand';
import { COMMAND } from '../commandIds';

export class DeleteClientSecretCommand implements Command {
  readonly id = COMMAND.deleteClientSecret;
  constructor(private readonly services: ExtensionServices) {}

  async execute(): Promise<void> {
    const target = await resolveLoginTarget(this.services, this.services.settings());
    if (!target) return;
    await this.services.secrets.delete(target.issuerUrl, target.clientId);
    void vscode.window.showInformationMessage(
      `Talos OIDC: no client secret stored for ${target.clientId} now; the test login runs as a public client with PKCE.`,
    );
  }
}
