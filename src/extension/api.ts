import type { DiagnosticsFeature } from './diagnostics/diagnosticsFeature';
import type { ExtensionServices } from './services';
import type { VsCodeWorkspaceModel } from './state/workspaceModel';
import type { WorkspaceTreeProvider } from './view/workspaceTree';

/**
 * What `activate` returns: the live objects, for the integration tests and other extensions.
 * (The tests swap the programs and the PATH the extension probes through test-only commands,
 * see testHooks.ts; nothing here is for tests only.)
 */
export interface TalosOidcApi {
  readonly services: ExtensionServices;
  readonly model: VsCodeWorkspaceModel;
  readonly diagnostics: DiagnosticsFeature;
  readonly treeDataProvider: WorkspaceTreeProvider;
}
