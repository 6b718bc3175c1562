import type { DiagnosticsFeature } from './diagnostics/diagnosticsFeature';
import type { ExtensionServices } from './services';
import type { VsCodeWorkspaceModel } from './state/workspaceModel';
import type { WorkspaceTreeProvider } from './view/workspaceTree';

/**
 * What `activate` returns: the live objects, for the integration tests and other extensions.
 * Test hooks (not for other extensions): `treeDataProvider.kubelogin.setRunnerForTests(runner)`
 * fakes the kubelogin probes of the side panel; `diagnostics.commandAvailability
 * .setEnvironmentForTests(env)` makes TOIDC413 look programs up on `env.PATH`.
 */
export interface TalosOidcApi {
  readonly services: ExtensionServices;
  readonly model: VsCodeWorkspaceModel;
  readonly diagnostics: DiagnosticsFeature;
  readonly treeDataProvider: WorkspaceTreeProvider;
}
