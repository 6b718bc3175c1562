import type { DiagnosticsFeature } from './diagnostics/diagnosticsFeature';
import type { ExtensionServices } from './services';
import type { VsCodeWorkspaceModel } from './state/workspaceModel';
import type { WorkspaceTreeProvider } from './view/workspaceTree';

/** What `activate` returns: the live objects, for the integration tests and other extensions. */
export interface TalosOidcApi {
  readonly services: ExtensionServices;
  readonly model: VsCodeWorkspaceModel;
  readonly diagnostics: DiagnosticsFeature;
  readonly treeDataProvider: WorkspaceTreeProvider;
}
