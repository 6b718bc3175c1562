import * as path from 'node:path';
import * as vscode from 'vscode';
import { ParseCache, parseYamlFile } from '../../core/workspace/parse';
import { WorkspaceIndex } from '../../core/workspace/workspaceIndex';
import type { ParsedFile } from '../../core/workspace/types';
import { DisposableOwner } from '../lifecycle';
import type { WorkspaceModel } from '../services';
import { fileKey } from '../convert';

/** Bounds that keep a huge monorepo from stalling the extension host. */
const MAX_INDEXED_FILES = 5000;
const MAX_FILE_BYTES = 1024 * 1024;
// Jinja templates of machine configs (`controlplane.yaml.j2`) are read too.
const YAML_GLOB = '**/*.{yaml,yml,yaml.j2,yml.j2}';
const EXCLUDE_GLOB = '**/{node_modules,.git}/**';

/**
 * The parsed YAML files of the workspace that the core recognises (Talos configs and patches,
 * AuthenticationConfigurations, RBAC, kubeconfigs). Indexed once, kept current by a file watcher;
 * an open document's text wins over the file on disk until it is closed.
 */
export class VsCodeWorkspaceModel extends DisposableOwner implements WorkspaceModel {
  readonly index = new WorkspaceIndex();
  /** Open documents are parsed as they are typed in: a document of a file whose text did not change is reused. */
  private readonly parseCache = new ParseCache();
  private readonly files = new Map<string, { uri: vscode.Uri; parsed: ParsedFile; summary: string }>();
  private readonly openDocuments = new Set<string>();
  /** Files deleted on disk whose editors may still be open: they no longer count for the workspace. */
  private readonly deleted = new Set<string>();
  /** Counts watcher events per file, so a slow read never overwrites what a later event decided. */
  private readonly diskEvents = new Map<string, number>();
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  /** Resolves when the first scan of the workspace is done. */
  readonly ready: Promise<void>;

  constructor(private readonly log: vscode.LogOutputChannel) {
    super();
    const watcher = this.register(vscode.workspace.createFileSystemWatcher(YAML_GLOB));
    this.register(watcher.onDidCreate((uri) => this.created(uri)));
    this.register(
      watcher.onDidChange((uri) => {
        this.diskEvent(uri);
        void this.refreshFromDisk(uri);
      }),
    );
    this.register(watcher.onDidDelete((uri) => this.deletedOnDisk(uri)));
    // Explorer and workspace-edit operations are reported here at once, before the watcher's batch.
    this.register(
      vscode.workspace.onDidCreateFiles((event) => event.files.filter(isYamlUri).forEach((uri) => this.created(uri))),
    );
    this.register(vscode.workspace.onDidDeleteFiles((event) => event.files.forEach((uri) => this.deletedOnDisk(uri))));
    this.register(
      vscode.workspace.onDidRenameFiles((event) =>
        event.files.forEach(({ oldUri, newUri }) => {
          this.deletedOnDisk(oldUri);
          if (isYamlUri(newUri)) this.created(newUri);
        }),
      ),
    );
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
      .filter(
        (parsed) =>
          parsed.kinds.has('talos-config') ||
          parsed.kinds.has('talos-patch') ||
          parsed.kinds.has('authentication-config'),
      )
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
    const known = this.files.get(key);
    const text = document.getText();
    if (known && known.parsed.text === text) return known.parsed;
    const parsed = this.parseCache.parse(key, text);
    // The editor of a deleted file still shows its text, but the workspace no longer has it.
    if (this.deleted.has(key)) return parsed;
    this.openDocuments.add(key);
    return this.store(document.uri, parsed);
  }

  /** The document was closed: the file on disk is the truth again. */
  documentClosed(document: vscode.TextDocument): void {
    const key = fileKey(document.uri);
    this.parseCache.forget(key);
    if (!this.openDocuments.delete(key)) return;
    if (this.deleted.delete(key)) return;
    if (document.uri.scheme === 'file') void this.refreshFromDisk(document.uri);
    else this.forget(document.uri);
  }

  private created(uri: vscode.Uri): void {
    this.diskEvent(uri);
    this.deleted.delete(fileKey(uri));
    void this.refreshFromDisk(uri, true, true);
  }

  private deletedOnDisk(uri: vscode.Uri): void {
    this.diskEvent(uri);
    // A deleted folder takes its files along.
    const prefix = `${fileKey(uri)}${uri.scheme === 'file' ? path.sep : '/'}`;
    for (const [key, entry] of [...this.files]) {
      if (key.startsWith(prefix)) this.deletedOnDisk(entry.uri);
    }
    this.deleted.add(fileKey(uri));
    this.forget(uri);
  }

  private diskEvent(uri: vscode.Uri): void {
    const key = fileKey(uri);
    this.diskEvents.set(key, (this.diskEvents.get(key) ?? 0) + 1);
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

  private async refreshFromDisk(uri: vscode.Uri, notify = true, created = false): Promise<ParsedFile | undefined> {
    const key = fileKey(uri);
    // An open editor's text wins over the disk, unless the file was just (re)created under it.
    if (this.openDocuments.has(key) && !created) return this.files.get(key)?.parsed;
    if (created) {
      const open = vscode.workspace.textDocuments.find((document) => fileKey(document.uri) === key);
      if (open) return this.updateFromDocument(open);
    }
    const eventsBefore = this.diskEvents.get(key);
    const superseded = () => this.diskEvents.get(key) !== eventsBefore || this.deleted.has(key);
    let text: string;
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_FILE_BYTES || stat.type & vscode.FileType.Directory) {
        if (!superseded()) this.forget(uri, notify);
        return undefined;
      }
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      if (!superseded()) this.forget(uri, notify);
      return undefined;
    }
    // A later watcher event (a change, a deletion) has its own read and stores its result; until
    // it lands, a caller asking now still gets what this read saw rather than nothing.
    if (superseded())
      return this.files.get(key)?.parsed ?? (this.deleted.has(key) ? undefined : parseYamlFile(key, text));
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

function isYamlUri(uri: vscode.Uri): boolean {
  return /\.ya?ml$/i.test(uri.path);
}

/** What other files' checks and the side panel read from a file; text edits elsewhere do not count. */
function summarize(parsed: ParsedFile): string {
  return JSON.stringify({
    kinds: [...parsed.kinds].sort(),
    bindings: parsed.bindings.map((binding) => [
      binding.kind,
      binding.name,
      binding.namespace,
      binding.roleRef,
      binding.subjects.map((s) => [s.kind, s.name, s.namespace, s.range.start.line]),
    ]),
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
