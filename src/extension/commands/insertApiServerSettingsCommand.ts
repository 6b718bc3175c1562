import * as path from 'node:path';
import * as vscode from 'vscode';
import { insertOidcEdits, type InsertLayout } from '../../core/generate/index';
import { insertOidcEditsInTalconfig } from '../../core/talhelper/insert';
import type { ParsedFile } from '../../core/workspace/types';
import { fileKey } from '../convert';
import type { ExtensionServices } from '../services';
import type { VsCodeWorkspaceModel } from '../state/workspaceModel';
import { argumentObject, stringArg, UserError, type Command } from './commandManager';
import { resolveSetup } from './setupInput';
import { applyEditsToDocument, targetDocument } from './targets';
import { COMMAND } from '../commandIds';
import type { InsertResult } from './targets';

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
