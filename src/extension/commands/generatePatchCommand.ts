import * as vscode from 'vscode';
import { generatePatch, type PatchLayout } from '../../core/generate/index';
import type { ExtensionServices } from '../services';
import type { VsCodeWorkspaceModel } from '../state/workspaceModel';
import { summarizeConfig } from '../view/configSummary';
import { argumentObject, booleanArg, stringArg, UserError, type Command } from './commandManager';
import { resolveSetup } from './setupInput';
import { uriFrom } from './targets';
import { COMMAND } from '../commandIds';

/** Write a Talos patch file (either layout) for `talosctl patch machineconfig -p @file`. */
export class GeneratePatchCommand implements Command {
  readonly id = COMMAND.generatePatch;

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
