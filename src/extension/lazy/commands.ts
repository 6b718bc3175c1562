/**
 * Entry of dist/lazy-commands.js: every command's UI code, with the generators, provider setup
 * guides and check explanations it uses. The extension registers each command's ID at activation
 * (src/extension/commands/register.ts) and requires this bundle on the first run of one, or when
 * VS Code revives a claims panel after a reload; activating the extension never loads it.
 *
 * Modules this bundle shares with the start-up bundle are copies: state that must be one per
 * window (the workspace model, the settings, the secrets, the session) comes in through `host`.
 */
import type * as vscode from 'vscode';
import { COMMAND, type LazyCommandId } from '../commandIds';
import type { Command } from '../commands/commandManager';
import { InsertApiServerSettingsCommand } from '../commands/insertApiServerSettingsCommand';
import { InsertClusterRoleBindingCommand } from '../commands/insertClusterRoleBindingCommand';
import { InsertKubeconfigUserCommand } from '../commands/insertKubeconfigUserCommand';
import { MigrateCommand } from '../commands/migrateCommand';
import { ConfigureClientCommand } from '../commands/configureClientCommand';
import { GeneratePatchCommand } from '../commands/generatePatchCommand';
import { OpenWalkthroughCommand } from '../commands/openWalkthroughCommand';
import { ShowProviderSetupCommand } from '../commands/showProviderSetupCommand';
import { VerifyKubectlCommand } from '../commands/verifyKubectlCommand';
import { ApplyClusterRoleBindingCommand } from '../cluster/applyClusterRoleBindingCommand';
import { ApplyToTalosCommand } from '../cluster/applyToTalosCommand';
import { ShowMatchingBindingsCommand } from '../cluster/showMatchingBindingsCommand';
import { WhoAmICommand } from '../cluster/whoAmICommand';
import { AddKubeconfigUserCommand } from '../kubeconfig/addKubeconfigUserCommand';
import { CheckKubeloginCommand } from '../kubeconfig/checkKubeloginCommand';
import { CleanKubeloginCacheCommand } from '../kubeconfig/cleanKubeloginCacheCommand';
import { ClaimsPanels } from '../login/claimsPanel';
import { TestLoginCommand } from '../login/loginCommand';
import { DeleteClientSecretCommand } from '../login/deleteClientSecretCommand';
import { ShowLoginResultCommand } from '../login/showLoginResultCommand';
import { StoreClientSecretCommand } from '../login/storeClientSecretCommand';
import { DisposableOwner } from '../lifecycle';
import type { ExtensionServices } from '../services';
import type { VsCodeWorkspaceModel } from '../state/workspaceModel';
import { loadCluster, loadLogin } from './load';

/** What the start-up bundle hands over: the window's one copy of each service. */
export interface CommandHost {
  readonly services: ExtensionServices;
  readonly model: VsCodeWorkspaceModel;
}

/** The commands of this bundle, made on first use, and the claims panels they show. */
export class LazyCommandRuntime extends DisposableOwner {
  private readonly panels: ClaimsPanels;
  private readonly made = new Map<LazyCommandId, Command>();
  private readonly factories: Record<LazyCommandId, () => Command>;

  constructor({ services, model }: CommandHost) {
    super();
    const panels = (this.panels = this.register(new ClaimsPanels(services)));
    this.factories = {
      [COMMAND.testLogin]: () => new TestLoginCommand(services, panels, loadLogin),
      [COMMAND.storeClientSecret]: () => new StoreClientSecretCommand(services),
      [COMMAND.deleteClientSecret]: () => new DeleteClientSecretCommand(services),
      [COMMAND.showLoginResult]: () => new ShowLoginResultCommand(panels),
      [COMMAND.insertApiServerSettings]: () => new InsertApiServerSettingsCommand(services, model),
      [COMMAND.insertClusterRoleBinding]: () => new InsertClusterRoleBindingCommand(services, model),
      [COMMAND.insertKubeconfigUser]: () => new InsertKubeconfigUserCommand(services, model),
      [COMMAND.migrateToKubeAuthenticationConfig]: () => new MigrateCommand(services, model),
      [COMMAND.generatePatch]: () => new GeneratePatchCommand(services, model),
      [COMMAND.configureClient]: () => new ConfigureClientCommand(services),
      [COMMAND.showProviderSetup]: () => new ShowProviderSetupCommand(services),
      [COMMAND.openWalkthrough]: () => new OpenWalkthroughCommand(services.context),
      [COMMAND.verifyKubectl]: () => new VerifyKubectlCommand(services),
      [COMMAND.addKubeconfigUser]: () => new AddKubeconfigUserCommand(services),
      [COMMAND.checkKubelogin]: () => new CheckKubeloginCommand(services),
      [COMMAND.cleanKubeloginCache]: () => new CleanKubeloginCacheCommand(services),
      [COMMAND.showMatchingBindings]: () => new ShowMatchingBindingsCommand(services, loadCluster),
      [COMMAND.applyClusterRoleBinding]: () => new ApplyClusterRoleBindingCommand(services, loadCluster),
      [COMMAND.whoAmI]: () => new WhoAmICommand(services, loadCluster),
      [COMMAND.applyToTalos]: () => new ApplyToTalosCommand(services),
    };
  }

  /** The command with this ID; one instance per window (a running test login is remembered). */
  command(id: LazyCommandId): Command {
    let command = this.made.get(id);
    if (!command) this.made.set(id, (command = this.factories[id]()));
    return command;
  }

  /** VS Code revives a claims panel after a reload. */
  deserializeClaimsPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    return this.panels.deserializeWebviewPanel(panel, state);
  }
}

/** A check's explanation page, for the diagnostics' code links. */
export { checkExplanationMarkdown } from '../diagnostics/checkExplanation';

/** The legacy-flags migration, for the code action (the migrate command uses it too). */
export { migrateExtraArgsToKubeAuthenticationConfig } from '../../core/generate/migrate';

export function createCommandRuntime(host: CommandHost): LazyCommandRuntime {
  return new LazyCommandRuntime(host);
}
