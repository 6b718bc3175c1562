// The extension as VS Code sees it: installed from this folder, activated, contributing what its
// manifest promises. The other suite files test behaviour; this one tells whether there is an
// extension to test at all.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { parse } from 'yaml';

const EXTENSION_ID = 'talos-oidc.talos-oidc';

interface Manifest {
  contributes?: {
    commands?: { command: string }[];
    grammars?: { scopeName: string; injectTo?: string[] }[];
    snippets?: { language: string }[];
  };
}

describe('smoke: the extension in a real VS Code', () => {
  it('is installed under its publisher.name id', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not among the installed extensions`);
  });

  it('activates without an error', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('registers every command its manifest contributes', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    await extension.activate();
    const contributed = ((extension.packageJSON as Manifest).contributes?.commands ?? []).map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((command) => !registered.has(command));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  it('contributes the YAML injection grammar and the YAML snippets', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    const contributes = (extension.packageJSON as Manifest).contributes ?? {};
    const grammar = contributes.grammars?.find((g) => g.injectTo?.includes('source.yaml'));
    assert.ok(grammar, 'no grammar injected into source.yaml');
    assert.ok(
      contributes.snippets?.some((s) => s.language === 'yaml'),
      'no YAML snippets',
    );
  });

  it('opens the fixture workspace', async () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1, 'expected one workspace folder');
    // The harness opens a copy of test/fixtures/workspace, so look for a file it holds.
    const sample = vscode.Uri.joinPath(folders[0].uri, 'seed-guide', 'controlplane.yaml');
    const stat = await vscode.workspace.fs.stat(sample);
    assert.equal(stat.type, vscode.FileType.File);
  });
});

/** The parts of the snippets' YAML that the tests read. */
interface AuthenticationConfigDocument {
  kind: string;
  configuration: { jwt: { issuer: { audiences: string[] }; claimMappings: { groups: unknown } }[] };
}
interface BindingDocument {
  roleRef: { name: string };
  subjects: unknown[];
}
interface KubeconfigUser {
  user: { exec: { apiVersion: string; args: string[] } };
}

/** Inserts a contributed YAML snippet by name into a new editor, as a user picking it would. */
async function insertSnippet(name: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: '' });
  const editor = await vscode.window.showTextDocument(document);
  await vscode.commands.executeCommand('editor.action.insertSnippet', { langId: 'yaml', name });
  return editor;
}

describe('smoke: the YAML snippets in the editor', () => {
  afterEach(() => vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor'));

  it('extraArgs block: valid YAML with quoted prefixes, the cursor on the issuer URL', async () => {
    const editor = await insertSnippet('Talos OIDC: API server flags (extraArgs)');
    const flags = parse(editor.document.getText()).extraArgs as Record<string, string>;
    assert.equal(flags['oidc-groups-prefix'], 'oidc:');
    assert.equal(flags['oidc-username-prefix'], 'oidc:');
    assert.equal(flags['oidc-username-claim'], 'sub');
    assert.equal(editor.document.getText(editor.selection), 'https://id.example.com');
  });

  it('KubeAuthenticationConfig document: one jwt issuer with claim mappings', async () => {
    const editor = await insertSnippet('Talos OIDC: KubeAuthenticationConfig document');
    const document = parse(editor.document.getText()) as AuthenticationConfigDocument;
    assert.equal(document.kind, 'KubeAuthenticationConfig');
    const [jwt] = document.configuration.jwt;
    assert.deepEqual(jwt.issuer.audiences, ['client-id']);
    assert.deepEqual(jwt.claimMappings.groups, { claim: 'groups', prefix: 'oidc:' });
  });

  it('ClusterRoleBinding: binds the prefixed group', async () => {
    const editor = await insertSnippet('Talos OIDC: ClusterRoleBinding for an OIDC group');
    const binding = parse(editor.document.getText()) as BindingDocument;
    assert.equal(binding.roleRef.name, 'cluster-admin');
    assert.deepEqual(binding.subjects, [
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'oidc:kubernetes' },
    ]);
  });

  it('kubeconfig user: kubelogin with the client ID (not the issuer URL) as --oidc-client-id', async () => {
    const editor = await insertSnippet('Talos OIDC: kubeconfig user with kubelogin');
    const [user] = parse(editor.document.getText()) as KubeconfigUser[];
    assert.equal(user.user.exec.apiVersion, 'client.authentication.k8s.io/v1');
    assert.deepEqual(user.user.exec.args.slice(0, 4), [
      'oidc-login',
      'get-token',
      '--oidc-issuer-url=https://id.example.com',
      '--oidc-client-id=client-id',
    ]);
  });
});
