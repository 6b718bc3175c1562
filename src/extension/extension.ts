import type * as vscode from 'vscode';
import type { TalosOidcApi } from './api';
import { registerClusterFeature } from './cluster/register';
import { registerEditorCommands } from './commands/register';
import { DiagnosticsFeature } from './diagnostics/diagnosticsFeature';
import { registerExplainCheck } from './diagnostics/explainCheck';
import { registerCodeActions } from './diagnostics/register';
import { registerKubeconfigFeature } from './kubeconfig/register';
import { registerLoginFeature } from './login/register';
import { createExtensionServices } from './services';
import { registerWorkspaceView, WorkspaceTreeProvider } from './view/workspaceTree';

/** Cheap on purpose: no network, no heavy module; the workspace scan runs in the background. */
export function activate(context: vscode.ExtensionContext): TalosOidcApi {
  const runtime = createExtensionServices(context);
  const { services, model } = runtime;
  const diagnostics = new DiagnosticsFeature(services, model);
  const treeDataProvider = new WorkspaceTreeProvider(services, model, diagnostics);
  context.subscriptions.push(
    runtime,
    diagnostics,
    registerCodeActions(diagnostics, model),
    registerExplainCheck(),
    registerWorkspaceView(treeDataProvider, model),
    registerEditorCommands(services, model, () => treeDataProvider.refresh()),
    registerLoginFeature(services),
    registerKubeconfigFeature(services),
    registerClusterFeature(services),
  );
  return { services, model, diagnostics, treeDataProvider };
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions.
}
