import * as vscode from 'vscode';
import { cleanTokenCache, type CleanCacheResult } from '../../core/kubelogin/cache';
import { detectKubelogin } from '../../core/kubelogin/detect';
import { argumentObject, stringArg, type Command } from '../commands/commandManager';
import type { ExtensionServices } from '../services';
import { COMMAND } from '../commandIds';

/** `talosOidc.cleanKubeloginCache`: `kubectl oidc-login clean` (or `kubelogin clean`). */
export class CleanKubeloginCacheCommand implements Command {
  readonly id = COMMAND.cleanKubeloginCache;
  constructor(private readonly services: ExtensionServices) {}

  async execute(argument?: unknown): Promise<CleanCacheResult> {
    const args = argumentObject(argument);
    const via = stringArg(args, 'via');
    const result = await cleanTokenCache({
      via: via === 'kubelogin' || via === 'kubectl' ? via : ((await detectKubelogin()).usable?.command ?? 'kubectl'),
      tokenCacheDir: stringArg(args, 'tokenCacheDir'),
    });
    this.services.log.info(`${this.id}: ${result.command.join(' ')} → ${result.message}`);
    if (result.ok) void vscode.window.showInformationMessage(`Talos OIDC: ${result.message}`);
    else void vscode.window.showErrorMessage(`Talos OIDC: ${result.message}`);
    return result;
  }
}
