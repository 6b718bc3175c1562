import * as path from 'node:path';
import * as vscode from 'vscode';
import { kubeconfigExec } from '../../core/generate/index';
import type { ExtensionServices } from '../services';
import type { VsCodeWorkspaceModel } from '../state/workspaceModel';
import { summarizeConfig } from '../view/configSummary';
import { argumentObject, stringArg, UserError, type Command } from './commandManager';
import { resolveSetup } from './setupInput';
import { kubeconfigUserEdits } from './kubeconfigEdits';
import { applyEditsToDocument, targetDocument } from './targets';
import { COMMAND } from '../commandIds';
import type { InsertResult } from './targets';

/** Insert a kubelogin exec user into the kubeconfig open in the editor. */
export class InsertKubeconfigUserCommand implements Command {
  readonly id = COMMAND.insertKubeconfigUser;

  constructor(
    private readonly services: ExtensionServices,
    private readonly model: VsCodeWorkspaceModel,
  ) {}

  async execute(first?: unknown): Promise<InsertResult | undefined> {
    const args = argumentObject(first);
    const document = await targetDocument(args, first);
    if (!document)
      throw new UserError(
        'Open a kubeconfig file in the editor first (to write ~/.kube/config directly, use "Add kubeconfig user").',
      );
    const parsed = this.model.updateFromDocument(document);
    if (document.getText().trim() !== '' && !parsed.kinds.has('kubeconfig')) {
      throw new UserError(
        `${path.basename(document.uri.path)} is not a kubeconfig (no kind: Config, users or clusters).`,
      );
    }
    if (parsed.yamlProblems.length > 0)
      throw new UserError(`${path.basename(document.uri.path)} has YAML errors; fix them before adding a user.`);
    const configs = this.model.authConfigs().filter((candidate) => summarizeConfig(candidate).layout !== 'none');
    const setup = await resolveSetup(
      this.services,
      args,
      { parsed: configs.length === 1 ? configs[0] : undefined },
      { askClaims: false },
    );
    if (!setup) return undefined;
    let name = stringArg(args, 'name');
    if (name === undefined) {
      name = await vscode.window.showInputBox({
        title: 'Talos OIDC: kubeconfig user name',
        value: 'oidc',
        prompt: 'The name of the user entry; point a context at it with --user.',
        validateInput: (value) => (value.trim() ? undefined : 'The name cannot be empty.'),
        ignoreFocusOut: true,
      });
      if (name === undefined) return undefined;
      name = name.trim();
    }
    const text = document.getText();
    const current = this.model.updateFromDocument(document);
    const { edits, replaced } = kubeconfigUserEdits(current, name, kubeconfigExec(setup));
    await applyEditsToDocument(document, text, edits);
    return { uri: document.uri.toString(), summary: `${replaced ? 'Updated' : 'Added'} user ${name}` };
  }
}
