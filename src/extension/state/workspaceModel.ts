import * as vscode from 'vscode';
import { parseYamlFile } from '../../core/workspace/parse';
import { WorkspaceIndex } from '../../core/workspace/index';
import type { ParsedFile } from '../../core/workspace/types';
import { DisposableOwner } from '../lifecycle';
import type { WorkspaceModel } from '../services';
import { fileKey } from '../convert';

/** Bounds that keep a huge monorepo from stalling the extension host. */
const MAX_INDEXED_FILES = 5000;
const MAX_FILE_BYTES = 1024 * 1024;
const YAML_GLOB = '**/*.{yaml,yml}';
const EXCLUDE_GLOB = '**/{node_modules,.git}/**';

/**
 * The parsed YAML files of the workspace that the core recognises (Talos configs and patches,
 * AuthenticationConfigurations, RBAC, kubeconfigs). Indexed once, kept current by a file watcher;
 * an open document's text wins over the file on disk until it is closed.
 */
export class VsCodeWorkspaceModel extends DisposableOwner implements WorkspaceModel {
  readonly index = new WorkspaceIndex();
  private readonly files = new Map<string, { uri: vscode.Uri; parsed: ParsedFile; summary: string }>();
  private readonly openDocuments = new Set<string>();
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  /** Resolves when the first scan of the workspace is done. */
  readonly ready: Promise<void>;

  constructor(private readonly log: vscode.LogOutputChannel) {
    super();
    const watcher = this.register(vscode.workspace.createFileSystemWatcher(YAML_GLOB));
    this.register(watcher.onDidCreate((uri) => void this.refreshFromDisk(uri)));
    this.register(watcher.onDidChange((uri) => void this.refreshFromDisk(uri)));
    this.register(watcher.onDidDelete((uri) => this.forget(uri)));
    this.register(vscode.workspace.onDidChangeWorkspaceFolders(() => void this.scan()));
    this.ready = this.scan();
  }

  async parsed(uri: vscode.Uri): Promise<ParsedFile | undefined> {
    const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
    if (open) return this.updateFromDocument(open);
    const known = this.files.get(fileKey(uri));
    if (known) return known.parsed;
    return this.refreshFromDisk(uri);
  }

  authConfigs(): ParsedFile[] {
    return [...this.files.values()]
      .map((entry) => entry.parsed)
      .filter((parsed) => parsed.kinds.has('talos-config') || parsed.kinds.has('talos-patch') || parsed.kinds.has('authentication-config'))
      .sort((a, b) => a.file.localeCompare(b.file));
  }

  /** Every indexed file the core recognises. */
  all(): ParsedFile[] {
    return [...this.files.values()].map((entry) => entry.parsed);
  }

  /** The indexed version of a file, by the name the core knows it by. */
  get(file: string): ParsedFile | undefined {
    return this.files.get(file)?.parsed;
  }

  uriOf(file: string): vscode.Uri | undefined {
    return this.files.get(file)?.uri;
  }

  /** Parses an open document's current text and makes it the indexed version of that file. */
  updateFromDocument(document: vscode.TextDocument): ParsedFile {
    const key = fileKey(document.uri);
    this.openDocuments.add(key);
    const known = this.files.get(key);
    const text = document.getText();
    if (known && known.parsed.text === text) return known.parsed;
    return this.store(document.uri, parseYamlFile(key, text));
  }

  /** The document was closed: the file on disk is the truth again. */
  documentClosed(document: vscode.TextDocument): void {
    const key = fileKey(document.uri);
    if (!this.openDocuments.delete(key)) return;
    if (document.uri.scheme === 'file') void this.refreshFromDisk(document.uri);
    else this.forget(document.uri);
  }

  private async scan(): Promise<void> {
    try {
      const uris = await vscode.workspace.findFiles(YAML_GLOB, EXCLUDE_GLOB, MAX_INDEXED_FILES);
      if (uris.length >= MAX_INDEXED_FILES) {
        this.log.warn(`Indexed the first ${MAX_INDEXED_FILES} YAML files of the workspace only.`);
      }
      // A few files at a time: enough to overlap reads, few enough not to flood the host.
      for (let i = 0; i < uris.length; i += 16) {
        await Promise.all(uris.slice(i, i + 16).map((uri) => this.refreshFromDisk(uri, false)));
      }
      this.log.info(`Indexed ${this.files.size} Talos/RBAC/kubeconfig file(s) of ${uris.length} YAML file(s).`);
    } catch (error) {
      this.log.error(`Could not index the workspace: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.changed.fire();
  }

  private async refreshFromDisk(uri: vscode.Uri, notify = true): Promise<ParsedFile | undefined> {
    const key = fileKey(uri);
    if (this.openDocuments.has(key)) return this.files.get(key)?.parsed;
    let text: string;
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_FILE_BYTES || stat.type & vscode.FileType.Directory) {
        this.forget(uri, notify);
        return undefined;
      }
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      this.forget(uri, notify);
      return undefined;
    }
    // The document may have been opened while the file was read.
    if (this.openDocuments.has(key)) return this.files.get(key)?.parsed;
    return this.store(uri, parseYamlFile(key, text), notify);
  }

  private store(uri: vscode.Uri, parsed: ParsedFile, notify = true): ParsedFile {
    const key = parsed.file;
    const before = this.files.get(key);
    if (parsed.kinds.size === 0) {
      if (before) this.forget(uri, notify);
      return parsed;
    }
    const summary = summarize(parsed);
    this.files.set(key, { uri, parsed, summary });
    this.index.update(parsed);
    // Only what other files' checks and the view depend on is worth a change event.
    if (notify && before?.summary !== summary) this.changed.fire();
    return parsed;
  }

  private forget(uri: vscode.Uri, notify = true): void {
    const key = fileKey(uri);
    if (!this.files.delete(key)) return;
    this.index.remove(key);
    if (notify) this.changed.fire();
  }
}

/** What other files' checks and the side panel read from a file; text edits elsewhere do not count. */
function summarize(parsed: ParsedFile): string {
  return JSON.stringify({
    kinds: [...parsed.kinds].sort(),
    bindings: parsed.bindings.map((binding) => [binding.kind, binding.name, binding.namespace, binding.roleRef, binding.subjects.map((s) => [s.kind, s.name, s.namespace, s.range.start.line])]),
    users: parsed.kubeconfigUsers.map((user) => [user.name, user.kubelogin, user.range.start.line]),
    talos: parsed.talos && {
      layout: parsed.talos.layout,
      machineType: parsed.talos.machineType?.value,
      extraArgs: parsed.talos.extraArgs.map((arg) => [arg.name, arg.values, arg.origin, arg.keyRange.start.line]),
      authn: parsed.talos.kubeAuthenticationConfig?.configuration,
    },
    authenticationConfig: parsed.authenticationConfig?.body,
  });
}
