import * as vscode from 'vscode';
import { migrateExtraArgsToKubeAuthenticationConfig } from '../../core/generate/migrate';
import { fixToWorkspaceEdit } from '../convert';
import type { ExtensionServices } from '../services';
import type { VsCodeWorkspaceModel } from '../state/workspaceModel';
import { argumentObject, booleanArg, UserError, type Command } from './commandManager';
import { targetDocument } from './targets';
import { COMMAND } from '../commandIds';
import type { InsertResult } from './targets';

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
