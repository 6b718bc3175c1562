// Shared by the editor suites: the extension's API, fixture files, and waits on VS Code's events.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TalosOidcApi } from '../../../src/extension/api';
import { SHARED_WORKSPACE_FILES } from '../../../scripts/lib/fixture-workspace.mjs';

export const EXTENSION_ID = 'talos-oidc.talos-oidc';
export const SOURCE = 'talos-oidc';
/** A guard against waiting forever; reaching it fails the test with what was seen instead. */
const GUARD_MS = 20_000;

export async function activateExtension(): Promise<TalosOidcApi> {
  const extension = vscode.extensions.getExtension<TalosOidcApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  const api = await extension.activate();
  await api.model.ready;
  return api;
}

export function fixtureUri(...segments: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the fixture workspace is not open');
  return vscode.Uri.joinPath(folder.uri, ...segments);
}

export async function openFixture(...segments: string[]): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(fixtureUri(...segments));
  return vscode.window.showTextDocument(document);
}

export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === SOURCE);
}

export function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' ? String(code.value) : String(code);
}

/** Resolves with the diagnostics once `predicate` holds, checking now and on every change. */
export function waitForDiagnostics(
  uri: vscode.Uri,
  predicate: (diagnostics: vscode.Diagnostic[]) => boolean,
  what: string,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const diagnostics = ours(uri);
      if (!predicate(diagnostics)) return false;
      cleanup();
      resolve(diagnostics);
      return true;
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((changed) => changed.toString() === uri.toString())) check();
    });
    const guard = setTimeout(() => {
      cleanup();
      reject(
        new Error(
          `waited for ${what} on ${uri.path}; diagnostics are: ${
            ours(uri)
              .map((d) => `${codeOf(d)}@${d.range.start.line}`)
              .join(', ') || 'none'
          }`,
        ),
      );
    }, GUARD_MS);
    const cleanup = () => {
      subscription.dispose();
      clearTimeout(guard);
    };
    check();
  });
}

export const hasCode = (code: string) => (diagnostics: vscode.Diagnostic[]) =>
  diagnostics.some((d) => codeOf(d) === code);
export const lacksCode = (code: string) => (diagnostics: vscode.Diagnostic[]) =>
  !diagnostics.some((d) => codeOf(d) === code);

/** The range of the first occurrence of `text` on the line that contains `lineMarker`. */
export function rangeOf(document: vscode.TextDocument, lineMarker: string, text: string = lineMarker): vscode.Range {
  for (let line = 0; line < document.lineCount; line++) {
    const content = document.lineAt(line).text;
    if (!content.includes(lineMarker)) continue;
    const start = content.indexOf(text);
    assert.ok(start >= 0, `"${text}" is not on the line with "${lineMarker}"`);
    return new vscode.Range(line, start, line, start + text.length);
  }
  assert.fail(`no line contains "${lineMarker}"`);
}

export async function quickFixes(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider',
    uri,
    range,
    vscode.CodeActionKind.QuickFix.value,
  );
  return actions.filter(
    (action): action is vscode.CodeAction =>
      'title' in action && !('command' in action && typeof action.command === 'string'),
  );
}

/** The fixture file as it is in the repository (the workspace is a copy the tests may change). */
async function pristineText(uri: vscode.Uri): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!folder || !extension || !uri.path.startsWith(`${folder.path}/`)) return undefined;
  const relative = uri.path.slice(folder.path.length + 1);
  const source = SHARED_WORKSPACE_FILES[relative] ?? `workspace/${relative}`;
  try {
    return new TextDecoder().decode(
      await vscode.workspace.fs.readFile(
        vscode.Uri.joinPath(extension.extensionUri, 'test', 'fixtures', ...source.split('/')),
      ),
    );
  } catch {
    return undefined;
  }
}

/**
 * Puts every fixture back as it is in the repository, in the editor and on disk, and closes the
 * editors with nothing left unsaved (a dirty editor would ask to be saved), so each test starts
 * from the fixtures whatever the previous one did.
 */
export async function revertAll(): Promise<void> {
  for (const document of vscode.workspace.textDocuments) {
    if (document.uri.scheme !== 'file' || document.isClosed) continue;
    const original = await pristineText(document.uri);
    if (original !== undefined && document.getText() !== original) {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), original);
      await vscode.workspace.applyEdit(edit);
    }
    if (document.isDirty) await document.save();
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (folder) {
    for (const uri of await vscode.workspace.findFiles('{editor,seed-guide}/**/*.{yaml,yml}')) {
      const original = await pristineText(uri);
      if (original === undefined) continue;
      const onDisk = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      if (onDisk !== original) await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(original));
    }
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** A new empty YAML file in the workspace (removed by the returned function), open in an editor. */
export async function scratchFile(
  name: string,
): Promise<{ document: vscode.TextDocument; remove: () => Promise<void> }> {
  const uri = fixtureUri('editor', name);
  await vscode.workspace.fs.writeFile(uri, new Uint8Array());
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document);
  return {
    document,
    remove: () => deleteWorkspaceFile(uri),
  };
}

/** Deletes a file as the explorer does, and waits until the extension's index has let it go. */
export async function deleteWorkspaceFile(uri: vscode.Uri): Promise<void> {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
  if (open?.isDirty) await open.save();
  const edit = new vscode.WorkspaceEdit();
  edit.deleteFile(uri, { ignoreIfNotExists: true });
  await vscode.workspace.applyEdit(edit);
  const api = await activateExtension();
  await new Promise<void>((resolve) => {
    const subscription = api.model.onDidChange(() => {
      if (api.model.get(uri.fsPath)) return;
      subscription.dispose();
      resolve();
    });
    if (!api.model.get(uri.fsPath)) {
      subscription.dispose();
      resolve();
    }
  });
}

/** Resolves when the document's text satisfies `predicate` (edits apply asynchronously). */
export function waitForText(
  document: vscode.TextDocument,
  predicate: (text: string) => boolean,
  what: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    if (predicate(document.getText())) return resolve(document.getText());
    const subscription = vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document !== document || !predicate(document.getText())) return;
      subscription.dispose();
      clearTimeout(guard);
      resolve(document.getText());
    });
    const guard = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`waited for ${what}; the text is:\n${document.getText()}`));
    }, GUARD_MS);
  });
}
