import * as vscode from 'vscode';
import { checkParsedFile } from './coreBridge';
import type { ExtensionServices } from './services';
import { readSettings } from './settings';
import { SecretStorageClientSecrets } from './state/clientSecretStore';
import { ProcessHostSystem } from './state/hostSystem';
import { InMemorySessionState } from './state/sessionState';
import { VsCodeWorkspaceModel } from './state/workspaceModel';

/** The services plus the concrete workspace model the editor features need, and their owner. */
export interface ExtensionRuntime {
  services: ExtensionServices;
  model: VsCodeWorkspaceModel;
  system: ProcessHostSystem;
  dispose(): void;
}

/** Builds the services once; cheap (the workspace scan runs in the background). */
export function createExtensionServices(context: vscode.ExtensionContext): ExtensionRuntime {
  const log = vscode.window.createOutputChannel('Talos OIDC', { log: true });
  const model = new VsCodeWorkspaceModel(log);
  const session = new InMemorySessionState();
  const system = new ProcessHostSystem();
  const services: ExtensionServices = {
    context,
    log,
    workspace: model,
    secrets: new SecretStorageClientSecrets(context.secrets, log),
    session,
    system,
    settings: (scope) => readSettings(scope),
    check: (parsed) => checkParsedFile(parsed, model.index, readSettings()),
  };
  const owned = vscode.Disposable.from(system, session, model, log);
  return { services, model, system, dispose: () => owned.dispose() };
}
