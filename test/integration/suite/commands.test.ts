// The insert and generate commands, run with their argument objects (what a button or script
// passes) so no input box opens, and the YAML they write.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { parseAllDocuments } from 'yaml';
import {
  activateExtension,
  deleteWorkspaceFile,
  fixtureUri,
  openFixture,
  revertAll,
  scratchFile,
} from './editorHelpers';

const CLIENT = {
  provider: 'pocket-id',
  issuerUrl: 'https://id.example.com',
  clientId: '3c9a1f0e-5b7d-4e2a-9c61-0d8f2b4a7e13',
};

function yamlDocuments(text: string): Record<string, unknown>[] {
  const documents = parseAllDocuments(text);
  for (const document of documents) assert.deepEqual(document.errors, [], 'the result is valid YAML');
  return documents.map((document) => document.toJS() as Record<string, unknown>);
}

describe('insert and generate commands', () => {
  before(activateExtension);
  afterEach(revertAll);

  it('inserts the API server flags under cluster.apiServer.extraArgs, and a second run adds no duplicate', async () => {
    const editor = await openFixture('editor', 'no-oidc.yaml');
    const args = { uri: editor.document.uri.toString(), ...CLIENT };
    await vscode.commands.executeCommand('talosOidc.insertApiServerSettings', args);
    const text = editor.document.getText();
    const [config] = yamlDocuments(text);
    const apiServer = (config.cluster as { apiServer: Record<string, unknown> }).apiServer;
    assert.deepEqual(apiServer.extraArgs, {
      'oidc-issuer-url': 'https://id.example.com',
      'oidc-client-id': '3c9a1f0e-5b7d-4e2a-9c61-0d8f2b4a7e13',
      'oidc-username-claim': 'sub',
      'oidc-username-prefix': 'oidc:',
      'oidc-groups-claim': 'groups',
      'oidc-groups-prefix': 'oidc:',
    });
    assert.deepEqual(apiServer.certSANs, ['10.0.0.10'], 'the rest of apiServer is kept');
    assert.match(text, /oidc-groups-prefix: "oidc:"/, 'prefixes are quoted');
    await vscode.commands.executeCommand('talosOidc.insertApiServerSettings', args);
    assert.equal(editor.document.getText(), text, 'running it again changes nothing');
    assert.equal(text.match(/extraArgs:/g)?.length, 1);
  });

  it('adds a jwt entry to a Talos 1.14 KubeAuthenticationConfig and keeps its anonymous block', async () => {
    const editor = await openFixture('editor', 'talos-1.14.yaml');
    await vscode.commands.executeCommand('talosOidc.insertApiServerSettings', {
      uri: editor.document.uri.toString(),
      ...CLIENT,
    });
    const documents = yamlDocuments(editor.document.getText());
    assert.equal(documents.length, 3, 'no new document');
    assert.equal(
      (documents[0].cluster as Record<string, unknown>).apiServer,
      undefined,
      'nothing written to the legacy place',
    );
    const configuration = documents.find((document) => document.kind === 'KubeAuthenticationConfig')!.configuration as {
      anonymous: { enabled: boolean; conditions: unknown[] };
      jwt: { issuer: { url: string; audiences: string[] }; claimMappings: unknown }[];
    };
    assert.equal(configuration.anonymous.conditions.length, 3);
    assert.equal(configuration.jwt.length, 1);
    assert.deepEqual(configuration.jwt[0].issuer, { url: CLIENT.issuerUrl, audiences: [CLIENT.clientId] });
    assert.deepEqual(configuration.jwt[0].claimMappings, {
      username: { claim: 'sub', prefix: 'oidc:' },
      groups: { claim: 'groups', prefix: 'oidc:' },
    });
  });

  it('inserts a ClusterRoleBinding for the prefixed group the config produces', async () => {
    const { document: target, remove } = await scratchFile('scratch-view-binding.yaml');
    try {
      await vscode.commands.executeCommand('talosOidc.insertClusterRoleBinding', {
        uri: target.uri.toString(),
        configUri: fixtureUri('editor', 'legacy-migrate.yaml').toString(),
        role: 'view',
      });
      const [binding] = yamlDocuments(target.getText());
      assert.equal(binding.kind, 'ClusterRoleBinding');
      assert.deepEqual(binding.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' });
      assert.deepEqual(binding.subjects, [
        { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'oidc:kubernetes' },
      ]);
    } finally {
      await remove();
    }
  });

  it('warns in the binding itself when the role is cluster-admin', async () => {
    const { document: target, remove } = await scratchFile('scratch-admin-binding.yaml');
    try {
      await vscode.commands.executeCommand('talosOidc.insertClusterRoleBinding', {
        uri: target.uri.toString(),
        configUri: fixtureUri('editor', 'legacy-migrate.yaml').toString(),
        role: 'cluster-admin',
      });
      assert.match(target.getText(), /# WARNING: cluster-admin gives every member of this group full control/);
    } finally {
      await remove();
    }
  });

  it('inserts a kubelogin exec user into the open kubeconfig, keeping the rest, and updates it on a second run', async () => {
    const editor = await openFixture('editor', 'kubeconfig.yaml');
    const before = editor.document.getText();
    const args = { uri: editor.document.uri.toString(), name: 'oidc', ...CLIENT };
    await vscode.commands.executeCommand('talosOidc.insertKubeconfigUser', args);
    const text = editor.document.getText();
    assert.ok(text.startsWith(before.slice(0, before.indexOf('users:'))), 'everything before users: is untouched');
    const [kubeconfig] = yamlDocuments(text);
    const users = kubeconfig.users as {
      name: string;
      user: { exec?: { apiVersion: string; command: string; args: string[]; interactiveMode: string }; token?: string };
    }[];
    assert.deepEqual(
      users.map((u) => u.name),
      ['admin@editor-tests', 'oidc'],
    );
    assert.equal(users[0].user.token, 'not-a-real-token');
    assert.deepEqual(users[1].user.exec, {
      apiVersion: 'client.authentication.k8s.io/v1',
      command: 'kubectl',
      args: [
        'oidc-login',
        'get-token',
        '--oidc-issuer-url=https://id.example.com',
        '--oidc-client-id=3c9a1f0e-5b7d-4e2a-9c61-0d8f2b4a7e13',
        '--oidc-extra-scope=groups',
      ],
      interactiveMode: 'Never',
    });
    await vscode.commands.executeCommand('talosOidc.insertKubeconfigUser', { ...args, clientId: 'another-client' });
    const again = yamlDocuments(editor.document.getText())[0].users as {
      name: string;
      user: { exec?: { args: string[] } };
    }[];
    assert.deepEqual(
      again.map((u) => u.name),
      ['admin@editor-tests', 'oidc'],
      'the same user is updated, not added twice',
    );
    assert.ok(again[1].user.exec?.args.includes('--oidc-client-id=another-client'));
  });

  it('writes a Talos patch file for the chosen layout', async () => {
    const target = fixtureUri('patches', 'oidc-test.yaml');
    try {
      await vscode.commands.executeCommand('talosOidc.generatePatch', {
        target: target.toString(),
        layout: 'KubeAuthenticationConfig',
        overwrite: true,
        ...CLIENT,
      });
      const [patch] = yamlDocuments(new TextDecoder().decode(await vscode.workspace.fs.readFile(target)));
      assert.equal(patch.kind, 'KubeAuthenticationConfig');
      const jwt = (patch.configuration as { jwt: { issuer: { url: string } }[] }).jwt;
      assert.deepEqual(
        jwt.map((entry) => entry.issuer.url),
        [CLIENT.issuerUrl],
      );
    } finally {
      await deleteWorkspaceFile(target);
    }
  });
});
