import * as vscode from 'vscode';
import type { TextEdit } from '../../core/checks/finding';
import { LineIndex } from '../../core/text/range';

/**
 * The document a command works on: `uri` in its arguments, the file of a side-panel row it was
 * run from, a URI (explorer menu), else the active editor.
 */
export async function targetDocument(
  args: Record<string, unknown>,
  first: unknown,
): Promise<vscode.TextDocument | undefined> {
  const uri = uriFrom(args.uri) ?? uriFrom((args.location as { uri?: unknown } | undefined)?.uri) ?? uriFrom(first);
  if (uri) return vscode.workspace.openTextDocument(uri);
  return vscode.window.activeTextEditor?.document;
}

export function uriFrom(value: unknown): vscode.Uri | undefined {
  if (value instanceof vscode.Uri) return value;
  if (typeof value === 'string' && value.length > 0)
    return /^[a-z][a-z0-9+.-]+:/i.test(value) && !/^[a-z]:[\\/]/i.test(value)
      ? vscode.Uri.parse(value)
      : vscode.Uri.file(value);
  return undefined;
}

/**
 * Applies core text edits, computed on `text`, to an open document, then shows what changed.
 * Refuses when the document changed in between (the offsets would land in the wrong place).
 */
export async function applyEditsToDocument(
  document: vscode.TextDocument,
  text: string,
  edits: readonly TextEdit[],
): Promise<boolean> {
  if (document.getText() !== text) throw new Error('The document changed while the command ran; run it again.');
  if (edits.length === 0) return true;
  const lines = new LineIndex(text);
  const workspaceEdit = new vscode.WorkspaceEdit();
  const toPosition = (offset: number) => {
    const position = lines.positionAt(offset);
    return new vscode.Position(position.line, position.character);
  };
  for (const edit of edits)
    workspaceEdit.replace(
      document.uri,
      new vscode.Range(toPosition(edit.startOffset), toPosition(edit.endOffset)),
      edit.newText,
    );
  const applied = await vscode.workspace.applyEdit(workspaceEdit);
  if (applied) {
    const first = [...edits].sort((a, b) => a.startOffset - b.startOffset)[0];
    const editor = await vscode.window.showTextDocument(document, { preserveFocus: false });
    const start = toPosition(first.startOffset);
    editor.revealRange(new vscode.Range(start, start), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
  return applied;
}

/** Appends a YAML document (with `---` when the text already has content) to an open document. */
export function appendDocumentEdit(text: string, yaml: string): TextEdit {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const hasContent = text.trim().length > 0;
  const lead = hasContent ? `${text.endsWith('\n') ? '' : eol}---${eol}` : '';
  return { file: '', startOffset: text.length, endOffset: text.length, newText: lead + yaml.replace(/\r?\n/g, eol) };
}

/** What an insert command reports back (scripts and tests read it; people see a message). */
export interface InsertResult {
  uri: string;
  summary: string;
}
