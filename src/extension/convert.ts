import * as vscode from 'vscode';
import type { Finding, Fix, Severity } from '../core/checks/finding';
import type { SourceRange } from '../core/text/range';
import { LineIndex } from '../core/text/range';
import { COMMAND } from './commandIds';

/** The name the core knows a file by: its path on disk, or the URI of an unsaved document. */
export function fileKey(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString();
}

export function uriOfKey(file: string): vscode.Uri {
  return /^[a-z][a-z0-9+.-]+:/i.test(file) && !/^[a-z]:[\\/]/i.test(file)
    ? vscode.Uri.parse(file)
    : vscode.Uri.file(file);
}

export function toRange(range: SourceRange): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

const SEVERITIES: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export const DIAGNOSTIC_SOURCE = 'talos-oidc';

/** Each code links to its explanation inside VS Code (the project has no public web page to link to). */
export function toDiagnostic(finding: Finding): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toRange(finding.range), finding.message, SEVERITIES[finding.severity]);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = { value: finding.code, target: explainCheckUri(finding.code) };
  return diagnostic;
}

/**
 * Turns a core fix into one workspace edit. Offsets are in the text the finding was computed on;
 * `textOf` gives that text for every file the fix touches (undefined: the fix is stale, skip it).
 */
export function fixToWorkspaceEdit(
  fix: Fix,
  textOf: (file: string) => string | undefined,
): vscode.WorkspaceEdit | undefined {
  const edit = new vscode.WorkspaceEdit();
  const lineIndexes = new Map<string, LineIndex>();
  for (const textEdit of fix.edits) {
    let lines = lineIndexes.get(textEdit.file);
    if (!lines) {
      const text = textOf(textEdit.file);
      if (text === undefined) return undefined;
      lines = new LineIndex(text);
      lineIndexes.set(textEdit.file, lines);
    }
    const start = lines.positionAt(textEdit.startOffset);
    const end = lines.positionAt(textEdit.endOffset);
    edit.replace(
      uriOfKey(textEdit.file),
      new vscode.Range(start.line, start.character, end.line, end.character),
      textEdit.newText,
    );
  }
  for (const created of fix.createFiles ?? []) {
    // Create, then insert: `contents` on createFile does not survive a remote extension host (code-server).
    const uri = uriOfKey(created.file);
    edit.createFile(uri, { ignoreIfExists: false, overwrite: false });
    edit.insert(uri, new vscode.Position(0, 0), created.content);
  }
  return edit;
}

/** The link behind a diagnostic's code: a command URI, so it works offline and needs no website. */
export function explainCheckUri(code: string): vscode.Uri {
  return vscode.Uri.parse(`command:${COMMAND.explainCheck}?${encodeURIComponent(JSON.stringify([code]))}`);
}
