import * as vscode from 'vscode';
import { COMMANDS_NEEDING_TRUST } from '../commandIds';
import { DisposableOwner } from '../lifecycle';
import { isRecord } from '../../core/data/record';

/** One palette command: an id and what it does. Arguments make it scriptable (tests, buttons). */
export interface Command {
  readonly id: string;
  execute(...args: unknown[]): unknown;
}

/** Registers commands and owns their registrations; errors become messages, not silent rejections. */
export class CommandManager extends DisposableOwner {
  constructor(private readonly log: vscode.LogOutputChannel) {
    super();
  }

  add(command: Command): void {
    this.register(
      vscode.commands.registerCommand(command.id, async (...args: unknown[]) => {
        try {
          // Restricted Mode: package.json hides these from the palette; a script or link must not run them either.
          if (!vscode.workspace.isTrusted && (COMMANDS_NEEDING_TRUST as readonly string[]).includes(command.id)) {
            throw new UserError(
              'This command runs programs, contacts the network or writes outside the workspace, so it is disabled in Restricted Mode. Trust the workspace to use it.',
            );
          }
          return await command.execute(...args);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          this.log.error(`${command.id}: ${message}`);
          void vscode.window.showErrorMessage(`Talos OIDC: ${message}`);
          return undefined;
        }
      }),
    );
  }
}

/** A problem the user can act on; shown as an error message by the command manager. */
export class UserError extends Error {}

/** The optional argument object of a command, checked loosely: only known string fields are read. */
export function argumentObject(value: unknown): Record<string, unknown> {
  return isRecord(value) && !(value instanceof vscode.Uri) ? value : {};
}

export function stringArg(args: Record<string, unknown>, name: string): string | undefined {
  const value = args[name];
  return typeof value === 'string' ? value : undefined;
}

export function booleanArg(args: Record<string, unknown>, name: string): boolean | undefined {
  const value = args[name];
  return typeof value === 'boolean' ? value : undefined;
}

export function stringListArg(args: Record<string, unknown>, name: string): string[] | undefined {
  const value = args[name];
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
}
