import type * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import type { VsCodeWorkspaceModel } from '../state/workspaceModel';
import { CommandManager } from './commandManager';
import {
  InsertApiServerSettingsCommand,
  InsertClusterRoleBindingCommand,
  InsertKubeconfigUserCommand,
  MigrateCommand,
} from './insertCommands';
import {
  ConfigureClientCommand,
  GeneratePatchCommand,
  OpenWalkthroughCommand,
  RefreshViewCommand,
  ShowProviderSetupCommand,
  VerifyKubectlCommand,
} from './setupCommands';

/** The editor commands: insert settings, bindings and users, generate a patch, and the walkthrough's helpers. */
export function registerEditorCommands(
  services: ExtensionServices,
  model: VsCodeWorkspaceModel,
  refreshView: () => void,
): vscode.Disposable {
  const commands = new CommandManager(services.log);
  commands.add(new InsertApiServerSettingsCommand(services, model));
  commands.add(new InsertClusterRoleBindingCommand(services, model));
  commands.add(new InsertKubeconfigUserCommand(services, model));
  commands.add(new MigrateCommand(services, model));
  commands.add(new GeneratePatchCommand(services, model));
  commands.add(new ConfigureClientCommand(services));
  commands.add(new ShowProviderSetupCommand(services));
  commands.add(new OpenWalkthroughCommand(services.context));
  commands.add(new RefreshViewCommand(refreshView));
  commands.add(new VerifyKubectlCommand(services));
  return commands;
}
