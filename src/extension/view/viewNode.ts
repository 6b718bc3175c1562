import type * as vscode from 'vscode';
import type { SourceRange } from '../../core/text/range';

/** One row of the side panel. `contextValue` selects the inline actions in package.json. */
export interface ViewNode {
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  icon?: vscode.ThemeIcon;
  contextValue?: string;
  location?: { uri: vscode.Uri; range?: SourceRange };
  children?: ViewNode[];
  expanded?: boolean;
  /** The config a row belongs to; inline actions read it from their argument. */
  configUri?: string;
  /** A command (Command object) run on click, when the row opens no file. */
  command?: vscode.Command;
  /** Text the row's copy action puts on the clipboard (an install command). */
  copyText?: string;
}
