import * as vscode from 'vscode';
import { CLAIMS_VIEW_TYPE } from '../../webview/claims/protocol';
import { COMMAND, LAZY_COMMANDS } from '../commandIds';
import type { CommandHost, LazyCommandRuntime } from '../lazy/commands';
import { loadCommands } from '../lazy/loadCommands';
import { DisposableOwner } from '../lifecycle';
import { CommandManager } from './commandManager';

/**
 * Registers every command at activation; the code of all but the side panel's Refresh is in
 * dist/lazy-commands.js, loaded on the first run of one (or when VS Code revives a claims panel).
 */
export function registerCommands(host: CommandHost, refreshView: () => void): vscode.Disposable {
  const lazy = new LazyCommands(host);
  const commands = new CommandManager(host.services.log);
  for (const id of LAZY_COMMANDS) {
    commands.add({
      id,
      execute: (...args: unknown[]) =>
        lazy
          .runtime()
          .command(id)
          .execute(...args),
    });
  }
  commands.add({ id: COMMAND.refreshView, execute: () => refreshView() });
  const serializer = vscode.window.registerWebviewPanelSerializer(CLAIMS_VIEW_TYPE, {
    deserializeWebviewPanel: (panel, state) => lazy.runtime().deserializeClaimsPanel(panel, state),
  });
  // The registrations go first, so no command reaches a disposed runtime.
  return vscode.Disposable.from(commands, serializer, lazy);
}

/** Owns the lazy bundle's runtime once it is loaded. */
class LazyCommands extends DisposableOwner {
  private loaded: LazyCommandRuntime | undefined;

  constructor(private readonly host: CommandHost) {
    super();
  }

  runtime(): LazyCommandRuntime {
    this.loaded ??= this.register(loadCommands().createCommandRuntime(this.host));
    return this.loaded;
  }
}
