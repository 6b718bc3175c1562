import * as vscode from 'vscode';
import type { TalosOidcApi } from './api';
import { registerClusterFeature } from './cluster/register';
import { registerEditorCommands } from './commands/register';
import { DiagnosticsFeature } from './diagnostics/diagnosticsFeature';
import { registerCodeActions } from './diagnostics/register';
import { registerKubeconfigFeature } from './kubeconfig/register';
import { registerLoginFeature } from './login/register';
import { createExtensionServices } from './services';
import { registerWorkspaceView, WorkspaceTreeProvider } from './view/workspaceTree';

/** Cheap on purpose: no network, no heavy module; the workspace scan runs in the background. */
export function activate(context: vscode.ExtensionContext): TalosOidcApi {
  const runtime = createExtensionServices(context);
  const { services, model } = runtime;
  const diagnostics = new DiagnosticsFeature(services, model, repositoryUrl(context));
  const treeDataProvider = new WorkspaceTreeProvider(services, model, diagnostics);
  context.subscriptions.push(
    runtime,
    diagnostics,
    registerCodeActions(diagnostics, model),
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

/** The README of the repository named in package.json: each check code has an anchor there. */
function repositoryUrl(context: vscode.ExtensionContext): string | undefined {
  const repository = (context.extension.packageJSON as { repository?: string | { url?: string } }).repository;
  const url = typeof repository === 'string' ? repository : repository?.url;
  return url?.startsWith('http') || url?.startsWith('git+http') ? url : undefined;
}
