// The side panel and the walkthrough: the tree shows what the workspace configures, and the
// manifest contributes the view container, welcome content, walkthrough and settings.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TalosOidcApi } from '../../../src/extension/api';
import type { ViewNode } from '../../../src/extension/view/viewNode';
import { activateExtension, EXTENSION_ID, fixtureUri, rangeOf, revertAll } from './editorHelpers';

interface Manifest {
  contributes: {
    commands: { command: string }[];
    viewsContainers: { activitybar: { id: string; icon: string }[] };
    views: Record<string, { id: string }[]>;
    viewsWelcome: { view: string; contents: string }[];
    menus: Record<string, { command: string }[]>;
    walkthroughs: {
      id: string;
      steps: { id: string; description: string; media: { markdown?: string }; completionEvents: string[] }[];
    }[];
    configuration: { properties: Record<string, { markdownDescription?: string }> };
  };
}

function child(node: ViewNode, label: string): ViewNode {
  const found = node.children?.find((candidate) => candidate.label === label);
  assert.ok(found, `no "${label}" under ${node.label}: ${node.children?.map((c) => c.label).join(', ')}`);
  return found;
}

describe('side panel and walkthrough', () => {
  let api: TalosOidcApi;
  let manifest: Manifest;
  before(async () => {
    api = await activateExtension();
    manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as Manifest;
  });
  afterEach(revertAll);

  function configNode(...segments: string[]): ViewNode {
    const file = fixtureUri(...segments).fsPath;
    const node = api.treeDataProvider.getChildren().find((candidate) => candidate.id === file);
    assert.ok(
      node,
      `${file} is not in the tree: ${api.treeDataProvider
        .getChildren()
        .map((n) => n.id)
        .join(', ')}`,
    );
    return node;
  }

  it("lists the workspace's Talos configs with what they configure", () => {
    const node = configNode('editor', 'legacy-migrate.yaml');
    assert.equal(node.label, 'legacy-migrate.yaml');
    assert.equal(child(node, 'Issuer').description, 'https://id.example.com');
    assert.equal(child(node, 'Client ID').description, '3c9a1f0e-5b7d-4e2a-9c61-0d8f2b4a7e13');
    assert.equal(child(node, 'Groups prefix').description, 'oidc:');
    assert.match(child(node, 'Layout').description ?? '', /^extraArgs · controlplane$/);
    const names = api.treeDataProvider.getChildren().map((n) => n.label);
    assert.ok(!names.includes('deployment.yaml') && !names.includes('kubeconfig.yaml'), 'only auth configs are listed');
  });

  it('shows the bindings that match the identity, and opens the file at the setting', async () => {
    const node = configNode('editor', 'legacy-migrate.yaml');
    const bindings = child(node, 'Bindings');
    assert.deepEqual(
      bindings.children?.map((b) => b.label),
      ['cluster-admins-from-pass-keys'],
    );
    const item = api.treeDataProvider.getTreeItem(child(node, 'Issuer'));
    assert.equal(item.command?.command, 'vscode.open');
    await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.toString(), fixtureUri('editor', 'legacy-migrate.yaml').toString());
    assert.deepEqual(
      editor.selection.start,
      rangeOf(editor.document, 'oidc-issuer-url:', 'https://id.example.com').start,
    );
  });

  it('warns on a config whose identity no binding matches', () => {
    const node = configNode('editor', 'legacy-broken.yaml');
    // Its groups claim is misspelled, so it produces no groups and no binding can match.
    const bindings = child(node, 'Bindings');
    assert.equal(bindings.children?.[0].contextValue, 'talosOidc.missingBinding');
  });

  it("shows the last test login's verdict and redraws when it changes", async () => {
    const file = fixtureUri('editor', 'legacy-migrate.yaml').fsPath;
    const redrawn = new Promise<void>((resolve) => {
      const subscription = api.treeDataProvider.onDidChangeTreeData(() => {
        subscription.dispose();
        resolve();
      });
    });
    api.services.session.setLastLogin({
      issuerUrl: 'https://id.example.com',
      configFile: file,
      review: { authenticated: true, username: 'oidc:643c3fba', groups: ['oidc:kubernetes'], error: null },
      at: Date.now(),
    });
    await redrawn;
    try {
      assert.match(
        child(configNode('editor', 'legacy-migrate.yaml'), 'Test login').description ?? '',
        /^accepted as oidc:643c3fba in oidc:kubernetes/,
      );
      assert.equal(child(configNode('editor', 'no-oidc.yaml'), 'Test login').description, 'not run in this window');
    } finally {
      api.services.session.setLastLogin(undefined);
    }
  });

  it('contributes the activity-bar container, the view and its welcome content', () => {
    const container = manifest.contributes.viewsContainers.activitybar.find((c) => c.id === 'talosOidc');
    assert.ok(container);
    assert.ok(manifest.contributes.views.talosOidc.some((view) => view.id === 'talosOidc.workspace'));
    const welcome = manifest.contributes.viewsWelcome.filter((w) => w.view === 'talosOidc.workspace');
    assert.ok(welcome.some((w) => w.contents.includes('(command:talosOidc.insertApiServerSettings)')));
  });

  it('contributes a walkthrough whose steps complete on events and whose media exist', async () => {
    const walkthrough = manifest.contributes.walkthroughs.find((w) => w.id === 'talosOidc.setup');
    assert.ok(walkthrough);
    const extensionUri = vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri;
    for (const step of walkthrough.steps) {
      assert.ok(step.completionEvents.length > 0, `${step.id} never completes`);
      assert.ok(step.media.markdown, `${step.id} has no media`);
      await vscode.workspace.fs.stat(vscode.Uri.joinPath(extensionUri, step.media.markdown));
    }
    const commandsInSteps = walkthrough.steps.flatMap((step) =>
      [...step.description.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]),
    );
    for (const command of [
      'talosOidc.testLogin',
      'talosOidc.addKubeconfigUser',
      'talosOidc.insertClusterRoleBinding',
    ]) {
      assert.ok(commandsInSteps.includes(command), `the walkthrough never runs ${command}`);
    }
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = commandsInSteps.filter((command) => !registered.has(command));
    assert.deepEqual(missing, [], 'every button in the walkthrough runs a registered command');
    await vscode.commands.executeCommand('talosOidc.openWalkthrough');
  });

  it('contributes and documents every setting', () => {
    const properties = manifest.contributes.configuration.properties;
    const keys = [
      'provider',
      'issuerUrl',
      'clientId',
      'adminGroup',
      'listenAddresses',
      'redirectUrl',
      'extraScopes',
      'caFile',
      'kubeconfigPath',
      'loginTimeoutSeconds',
      'checks.enabled',
    ];
    for (const key of keys) {
      assert.ok(
        properties[`talosOidc.${key}`]?.markdownDescription,
        `talosOidc.${key} is not contributed with a description`,
      );
      assert.notEqual(
        vscode.workspace.getConfiguration('talosOidc').inspect(key)?.defaultValue,
        undefined,
        `talosOidc.${key} has no default`,
      );
    }
    assert.ok(!Object.keys(properties).some((key) => /secret/i.test(key)), 'no setting holds a secret');
  });
});
