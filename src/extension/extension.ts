import type * as vscode from 'vscode';
import type { TalosOidcApi } from './api';
import { registerCommands } from './commands/register';
import { DiagnosticsFeature } from './diagnostics/diagnosticsFeature';
import { registerExplainCheck } from './diagnostics/explainCheck';
import { registerCodeActions } from './diagnostics/register';
import { createExtensionServices } from './runtime';
import { registerTestHooks } from './testHooks';
import { registerWorkspaceView, WorkspaceTreeProvider } from './view/workspaceTree';

/**
 * Cheap on purpose: no network, no heavy module; the workspace scan runs in the background and
 * every command's code is loaded on its first run (dist/lazy-commands.js).
 */
export function activate(context: vscode.ExtensionContext): TalosOidcApi {
  const runtime = createExtensionServices(context);
  const { services, model, system } = runtime;
  const diagnostics = new DiagnosticsFeature(services, model);
  const treeDataProvider = new WorkspaceTreeProvider(services, model, diagnostics);
  context.subscriptions.push(
    runtime,
    diagnostics,
    registerCodeActions(diagnostics, model),
    registerExplainCheck(),
    registerWorkspaceView(treeDataProvider, model),
    registerCommands({ services, model }, () => treeDataProvider.refresh()),
    registerTestHooks(system),
  );
  return { services, model, diagnostics, treeDataProvider };
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions.
}
