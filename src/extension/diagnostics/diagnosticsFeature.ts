import * as vscode from 'vscode';
import type { Finding } from '../../core/checks/finding';
import { DisposableOwner } from '../lifecycle';
import type { ExtensionServices } from '../services';
import type { VsCodeWorkspaceModel } from '../state/workspaceModel';
import { toDiagnostic } from '../convert';
import { checkParsedFile } from '../coreBridge';
import { checkExecCommandsInstalled } from '../../core/checks/commandInstalled';
import { recommendedInstallCommand } from '../../core/kubelogin/install';
import { CommandAvailability } from './commandAvailability';

/** Typing pauses shorter than this do not re-check. */
export const DEBOUNCE_MS = 250;

/** The findings behind one document version's diagnostics; code actions read their fixes here. */
export interface CheckedDocument {
  uri: string;
  version: number;
  text: string;
  findings: Finding[];
  diagnostics: vscode.Diagnostic[];
  /** The workspace's bindings and auth configs this result was computed against. */
  workspaceVersion: string;
}

/**
 * Puts the core's findings on every open YAML document it recognises. Each result belongs to
 * one document version: a result computed for an older version is dropped, never shown.
 */
export class DiagnosticsFeature extends DisposableOwner {
  private readonly collection = this.register(vscode.languages.createDiagnosticCollection('talos-oidc'));
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly checked = new Map<string, CheckedDocument>();
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** Fires after diagnostics of any document changed (the side panel's problem counts). */
  readonly onDidCheck = this.changed.event;
  /** PATH lookups for TOIDC413 (machine-dependent, so added here and not by the core's checkFile). */
  readonly commandAvailability: CommandAvailability;
  /** Open documents with exec users: re-checked when a PATH lookup finishes. */
  private readonly withExecUsers = new Set<string>();

  constructor(
    private readonly services: ExtensionServices,
    private readonly model: VsCodeWorkspaceModel,
  ) {
    super();
    this.commandAvailability = this.register(new CommandAvailability(services.system));
    this.register(vscode.workspace.onDidOpenTextDocument((document) => this.schedule(document, 0)));
    this.register(
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length > 0) this.schedule(event.document, DEBOUNCE_MS);
      }),
    );
    this.register(vscode.workspace.onDidCloseTextDocument((document) => this.closed(document)));
    // A binding or config elsewhere changed: the lockout guard of every open config may change.
    this.register(model.onDidChange(() => this.recheckStale()));
    this.register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('talosOidc')) this.recheckAll(0);
      }),
    );
    this.register(this.commandAvailability.onDidResolve(() => this.recheckExecUsers()));
    this.register({ dispose: () => this.pending.forEach((timer) => clearTimeout(timer)) });
    // The model's first scan decides the lockout guard; check what is open now, then again after it.
    this.recheckAll(0);
    void model.ready.then(() => this.recheckAll(0));
  }

  /** The findings of a document's current version, if it was checked. */
  resultFor(document: vscode.TextDocument): CheckedDocument | undefined {
    const result = this.checked.get(document.uri.toString());
    return result && result.version === document.version ? result : undefined;
  }

  /** Problem counts by file key, for the side panel. */
  problemCount(uri: vscode.Uri): number | undefined {
    return this.checked.get(uri.toString())?.diagnostics.length;
  }

  /** Checks a document now (tests and commands that just edited it). */
  checkNow(document: vscode.TextDocument): CheckedDocument | undefined {
    const timer = this.pending.get(document.uri.toString());
    if (timer) clearTimeout(timer);
    this.pending.delete(document.uri.toString());
    return this.check(document);
  }

  private workspaceVersion(): string {
    return `${this.model.index.bindingsVersion}:${this.model.index.authConfigVersion}`;
  }

  /** Documents checked against an older state of the workspace's bindings and configs. */
  private recheckStale(): void {
    const current = this.workspaceVersion();
    for (const document of vscode.workspace.textDocuments) {
      if (this.checked.get(document.uri.toString())?.workspaceVersion !== current) this.schedule(document, DEBOUNCE_MS);
    }
  }

  private recheckExecUsers(): void {
    for (const document of vscode.workspace.textDocuments) {
      if (this.withExecUsers.has(document.uri.toString())) this.schedule(document, 0);
    }
  }

  private recheckAll(delay: number): void {
    for (const document of vscode.workspace.textDocuments) this.schedule(document, delay);
  }

  private schedule(document: vscode.TextDocument, delay: number): void {
    if (!isYaml(document)) return;
    const key = document.uri.toString();
    const previous = this.pending.get(key);
    if (previous) clearTimeout(previous);
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        if (!document.isClosed) this.check(document);
      }, delay),
    );
  }

  private check(document: vscode.TextDocument): CheckedDocument | undefined {
    const key = document.uri.toString();
    const settings = this.services.settings(document.uri);
    let result: CheckedDocument | undefined;
    try {
      // Synchronous from text to diagnostics: the version read here is the version shown.
      const version = document.version;
      const parsed = this.model.updateFromDocument(document);
      const findings =
        settings.checksEnabled && parsed.kinds.size > 0 ? checkParsedFile(parsed, this.model.index, settings) : [];
      if (parsed.kubeconfigUsers.length > 0) this.withExecUsers.add(key);
      else this.withExecUsers.delete(key);
      if (settings.checksEnabled && parsed.kubeconfigUsers.length > 0) {
        const installHint = recommendedInstallCommand(process.platform, process.arch).command.split('\n')[0];
        findings.push(
          ...checkExecCommandsInstalled(parsed, (program) => this.commandAvailability.isInstalled(program), {
            installHint,
          }),
        );
        findings.sort((a, b) => a.range.startOffset - b.range.startOffset || a.code.localeCompare(b.code));
      }
      const diagnostics = findings.map((finding) => toDiagnostic(finding));
      result = {
        uri: key,
        version,
        text: parsed.text,
        findings,
        diagnostics,
        workspaceVersion: this.workspaceVersion(),
      };
    } catch (error) {
      // A bug in one check must not take the editor down; say where, once per check run.
      this.services.log.error(
        `Checking ${document.uri.fsPath} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      return undefined;
    }
    const before = this.checked.get(key);
    this.checked.set(key, result);
    if (before && sameDiagnostics(before.diagnostics, result.diagnostics)) return result;
    this.collection.set(document.uri, result.diagnostics);
    this.changed.fire();
    return result;
  }

  private closed(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    const timer = this.pending.get(key);
    if (timer) clearTimeout(timer);
    this.pending.delete(key);
    this.checked.delete(key);
    this.withExecUsers.delete(key);
    this.collection.delete(document.uri);
    this.model.documentClosed(document);
    this.changed.fire();
  }
}

/** YAML by language or name; a kubeconfig (`~/.kube/config`) has no extension but is YAML too. */
export function isYaml(document: vscode.TextDocument): boolean {
  return (
    document.languageId === 'yaml' ||
    /\.ya?ml$/i.test(document.uri.path) ||
    /(^|\/)\.kube\/config$/.test(document.uri.path)
  );
}

function sameDiagnostics(a: vscode.Diagnostic[], b: vscode.Diagnostic[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((d, i) => {
    const e = b[i];
    return d.message === e.message && d.severity === e.severity && d.range.isEqual(e.range) && codeOf(d) === codeOf(e);
  });
}

function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' ? String(code.value) : String(code ?? '');
}
