import * as vscode from 'vscode';
import type { Finding } from '../../core/checks/finding';
import { legacyOidcArgs, MIGRATION_TITLE } from '../../core/generate/migrate';
import { DIAGNOSTIC_SOURCE, fileKey, fixToWorkspaceEdit, toRange } from '../convert';
import { loadCommands } from '../lazy/loadCommands';
import { readSettings } from '../settings';
import type { VsCodeWorkspaceModel } from '../state/workspaceModel';
import type { DiagnosticsFeature } from './diagnosticsFeature';

export { MIGRATION_TITLE as MIGRATE_TITLE };

/** Quick fixes for every mechanical fix the core offers, plus the legacy-to-1.14 migration. */
export class FindingCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, vscode.CodeActionKind.RefactorRewrite],
  };

  constructor(
    private readonly diagnostics: DiagnosticsFeature,
    private readonly model: VsCodeWorkspaceModel,
  ) {}

  provideCodeActions(
    document: vscode.TextDocument,
    range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const result = this.diagnostics.resultFor(document) ?? this.diagnostics.checkNow(document);
    if (!result || result.version !== document.version) return [];
    const actions: vscode.CodeAction[] = [];
    const wantsQuickFix =
      !context.only ||
      context.only.contains(vscode.CodeActionKind.QuickFix) ||
      vscode.CodeActionKind.QuickFix.contains(context.only);
    if (wantsQuickFix) {
      for (const diagnostic of context.diagnostics) {
        if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
        const finding = result.findings.find((candidate) => matches(candidate, diagnostic));
        for (const fix of finding?.fixes ?? []) {
          const edit = fixToWorkspaceEdit(fix, (file) => this.textOf(file, document, result.text));
          if (!edit) continue;
          const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
          action.edit = edit;
          action.diagnostics = [diagnostic];
          action.isPreferred = fix.preferred === true;
          actions.push(action);
        }
      }
    }
    const migrate = this.migrateAction(document, range, context, result.text);
    if (migrate) actions.push(migrate);
    return actions;
  }

  /** Offered wherever the legacy block is: as a quick fix beside its diagnostics, else as a rewrite. */
  private migrateAction(
    document: vscode.TextDocument,
    range: vscode.Range,
    context: vscode.CodeActionContext,
    text: string,
  ): vscode.CodeAction | undefined {
    const parsed = this.model.get(fileKey(document.uri));
    if (!parsed || parsed.text !== text) return undefined;
    const args = legacyOidcArgs(parsed);
    if (args.length === 0) return undefined;
    const block = args.map((arg) => toRange(arg.keyRange).union(toRange(arg.valueRange))).reduce((a, b) => a.union(b));
    const nearBlock =
      block.intersection(range) !== undefined ||
      context.diagnostics.some((d) => d.source === DIAGNOSTIC_SOURCE && block.intersection(d.range));
    if (!nearBlock) return undefined;
    const kind = context.diagnostics.some((d) => d.source === DIAGNOSTIC_SOURCE)
      ? vscode.CodeActionKind.QuickFix
      : vscode.CodeActionKind.RefactorRewrite;
    if (context.only && !context.only.contains(kind) && !kind.contains(context.only)) return undefined;
    // The migration is a generator: its code is in the lazy commands bundle, loaded here on first use.
    const migration = loadCommands().migrateExtraArgsToKubeAuthenticationConfig(parsed, {
      talosVersion: readSettings(document.uri).talosVersion || undefined,
    });
    if ('error' in migration) {
      const action = new vscode.CodeAction(MIGRATION_TITLE, kind);
      action.disabled = { reason: migration.error };
      return action;
    }
    const edit = fixToWorkspaceEdit(migration.fix, (file) => this.textOf(file, document, text));
    if (!edit) return undefined;
    const action = new vscode.CodeAction(MIGRATION_TITLE, kind);
    action.edit = edit;
    return action;
  }

  private textOf(file: string, document: vscode.TextDocument, documentText: string): string | undefined {
    if (file === fileKey(document.uri)) return documentText;
    const indexed = this.model.get(file)?.text;
    const open = vscode.workspace.textDocuments.find((candidate) => fileKey(candidate.uri) === file);
    // Offsets into another open document are only valid if it has not changed since it was indexed.
    if (open && open.getText() !== indexed) return undefined;
    return indexed;
  }
}

function matches(finding: Finding, diagnostic: vscode.Diagnostic): boolean {
  const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
  return (
    finding.code === code && finding.message === diagnostic.message && toRange(finding.range).isEqual(diagnostic.range)
  );
}
