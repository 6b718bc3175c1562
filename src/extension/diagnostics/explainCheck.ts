import * as vscode from 'vscode';
import { CHECKS, listChecks } from '../../core/checks/catalogue';
import { COMMAND } from '../commandIds';
import { loadCommands } from '../lazy/loadCommands';

/** Opens a check's explanation inside VS Code: the target of every diagnostic's code link. */

/** Read-only documents with one check's explanation, e.g. `talos-oidc-check:/TOIDC003.md`. */
const SCHEME = 'talos-oidc-check';

export function registerExplainCheck(): vscode.Disposable {
  const provider: vscode.TextDocumentContentProvider = {
    provideTextDocumentContent(uri) {
      // The prose is in the lazy commands bundle, loaded on the first explanation shown.
      return loadCommands().checkExplanationMarkdown(uri.path.replace(/^\//, '').replace(/\.md$/, ''));
    },
  };
  return vscode.Disposable.from(
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, provider),
    vscode.commands.registerCommand(COMMAND.explainCheck, async (code?: unknown) => {
      let check = typeof code === 'string' ? CHECKS[code] : undefined;
      if (!check) {
        const picked = await vscode.window.showQuickPick(
          listChecks().map((info) => ({ label: info.code, description: info.title, info })),
          { placeHolder: 'Which check should be explained?', matchOnDescription: true },
        );
        check = picked?.info;
      }
      if (!check) return undefined;
      const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${check.code}.md` });
      const document = await vscode.workspace.openTextDocument(uri);
      // The rendered preview where the markdown extension is there; the text itself otherwise.
      try {
        await vscode.commands.executeCommand('markdown.showPreview', uri);
      } catch {
        await vscode.window.showTextDocument(document, { preview: true });
      }
      return check.code;
    }),
  );
}
