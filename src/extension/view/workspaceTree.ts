import * as vscode from 'vscode';
import { DisposableOwner } from '../lifecycle';
import type { ViewNode } from './viewNode';
import type { ExtensionServices } from '../services';
import type { VsCodeWorkspaceModel } from '../state/workspaceModel';
import type { DiagnosticsFeature } from '../diagnostics/diagnosticsFeature';
import { toRange } from '../convert';
import { loadView } from '../lazy/load';
import { KubeloginDetection, registerKubeloginViewCommands } from './kubeloginNode';

export type { ViewNode } from './viewNode';

export const WORKSPACE_VIEW_ID = 'talosOidc.workspace';

/**
 * The workspace as the side panel shows it: each Talos config (or AuthenticationConfiguration),
 * what it configures, the bindings and kubeconfig users that go with it, the last test login.
 */
export class WorkspaceTreeProvider extends DisposableOwner implements vscode.TreeDataProvider<ViewNode> {
  private readonly changed = this.register(new vscode.EventEmitter<ViewNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  /** kubelogin's version, detected the first time the tree is drawn and on Refresh (never in activate). */
  readonly kubelogin: KubeloginDetection;

  constructor(
    private readonly services: ExtensionServices,
    private readonly model: VsCodeWorkspaceModel,
    private readonly diagnostics: DiagnosticsFeature,
  ) {
    super();
    this.kubelogin = this.register(new KubeloginDetection(services.system));
    this.register(model.onDidChange(() => this.refreshSoon()));
    this.register(services.session.onDidChange(() => this.refreshSoon()));
    this.register(diagnostics.onDidCheck(() => this.refreshSoon()));
    this.register(vscode.languages.onDidChangeDiagnostics(() => this.refreshSoon()));
    this.register(this.kubelogin.onDidChange(() => this.redraw()));
    this.register({ dispose: () => clearTimeout(this.refreshTimer) });
  }

  /** The view's Refresh: detect kubelogin again and forget which programs are on PATH (TOIDC413). */
  refresh(): void {
    this.kubelogin.forget();
    this.diagnostics.commandAvailability.clear();
    this.redraw();
  }

  private redraw(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    this.changed.fire(undefined);
  }

  /** Bursts of changes (a checkout, typing) redraw once. */
  private refreshSoon(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => this.redraw(), 200);
  }

  getTreeItem(node: ViewNode): vscode.TreeItem {
    const state =
      node.children === undefined
        ? vscode.TreeItemCollapsibleState.None
        : node.expanded
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(node.label, state);
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.iconPath = node.icon;
    item.contextValue = node.contextValue;
    if (node.location) {
      item.resourceUri = node.children ? node.location.uri : undefined;
      const options: vscode.TextDocumentShowOptions = node.location.range
        ? { selection: toRange(node.location.range) }
        : {};
      item.command = { title: 'Open', command: 'vscode.open', arguments: [node.location.uri, options] };
    } else if (node.command) {
      item.command = node.command;
    }
    return item;
  }

  getChildren(node?: ViewNode): ViewNode[] {
    if (node) return node.children ?? [];
    // What the rows say is built by dist/lazy-view.js, loaded the first time the panel is drawn.
    return loadView().workspaceTreeRoots({
      services: this.services,
      model: this.model,
      kubelogin: this.kubelogin.current(),
    });
  }
}

export function registerWorkspaceView(provider: WorkspaceTreeProvider, model: VsCodeWorkspaceModel): vscode.Disposable {
  const view = vscode.window.createTreeView(WORKSPACE_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  // The welcome view ("no config found") waits for the first scan, so it does not flash at start-up.
  void model.ready.then(() => vscode.commands.executeCommand('setContext', 'talosOidc.indexed', true));
  return vscode.Disposable.from(view, provider, registerKubeloginViewCommands());
}
