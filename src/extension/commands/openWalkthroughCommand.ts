/** `talosOidc.openWalkthrough`: open the extension's setup walkthrough. */
import * as vscode from 'vscode';
import { type Command } from './commandManager';
import { COMMAND } from '../commandIds';

export class OpenWalkthroughCommand implements Command {
  readonly id = COMMAND.openWalkthrough;

  constructor(private readonly context: vscode.ExtensionContext) {}

  async execute(): Promise<void> {
    await vscode.commands.executeCommand(
      'workbench.action.openWalkthrough',
      `${this.context.extension.id}#talosOidc.setup`,
      false,
    );
  }
}
