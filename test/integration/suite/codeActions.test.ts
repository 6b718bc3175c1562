// Quick fixes through VS Code's own code action machinery: the text they produce, the files they
// create, and the legacy-to-Talos-1.14 migration in one workspace edit.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { parseAllDocuments } from 'yaml';
import {
  activateExtension,
  codeOf,
  deleteWorkspaceFile,
  fixtureUri,
  hasCode,
  lacksCode,
  openFixture,
  quickFixes,
  rangeOf,
  revertAll,
  waitForDiagnostics,
  waitForText,
} from './editorHelpers';

describe('quick fixes', () => {
  before(activateExtension);
  afterEach(revertAll);

  it('renames a misspelled flag (the preferred fix) and the diagnostic goes away', async () => {
    const editor = await openFixture('editor', 'legacy-broken.yaml');
    const uri = editor.document.uri;
    const diagnostics = await waitForDiagnostics(uri, hasCode('TOIDC101'), 'TOIDC101');
    const diagnostic = diagnostics.find((d) => codeOf(d) === 'TOIDC101')!;
    const fixes = await quickFixes(uri, diagnostic.range);
    const rename = fixes.find((action) => action.title === 'Rename to oidc-groups-claim');
    assert.ok(rename?.edit, `no rename fix among: ${fixes.map((f) => f.title).join(' | ')}`);
    assert.equal(rename.isPreferred, true);
    assert.ok(await vscode.workspace.applyEdit(rename.edit));
    assert.equal(editor.document.lineAt(diagnostic.range.start.line).text, '      oidc-groups-claim: groups');
    await waitForDiagnostics(uri, lacksCode('TOIDC101'), 'TOIDC101 to vanish');
  });

  it('switches an http issuer to https', async () => {
    const editor = await openFixture('editor', 'legacy-broken.yaml');
    const uri = editor.document.uri;
    const diagnostics = await waitForDiagnostics(uri, hasCode('TOIDC103'), 'TOIDC103');
    const diagnostic = diagnostics.find((d) => codeOf(d) === 'TOIDC103')!;
    const fix = (await quickFixes(uri, diagnostic.range)).find(
      (action) => action.title === 'Use https://id.example.com',
    );
    assert.ok(fix?.edit);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(
      editor.document.lineAt(diagnostic.range.start.line).text,
      '      oidc-issuer-url: https://id.example.com',
    );
    await waitForDiagnostics(uri, lacksCode('TOIDC103'), 'TOIDC103 to vanish');
  });

  it('creates the missing ClusterRoleBinding file, and the lockout warning goes away', async () => {
    const created = fixtureUri('editor', 'oidc-cluster-admins.yaml');
    const binding = await openFixture('seed-guide', 'crb.yaml');
    await binding.edit((builder) =>
      builder.replace(
        rangeOf(binding.document, 'name: oidc:kubernetes', 'name: oidc:kubernetes'),
        'name: someone-else',
      ),
    );
    const config = await openFixture('editor', 'legacy-migrate.yaml');
    const uri = config.document.uri;
    try {
      const diagnostics = await waitForDiagnostics(uri, hasCode('TOIDC301'), 'the lockout warning');
      const lockout = diagnostics.find((d) => codeOf(d) === 'TOIDC301')!;
      const create = (await quickFixes(uri, lockout.range)).find((action) =>
        action.title.startsWith('Create a ClusterRoleBinding'),
      );
      assert.ok(create?.edit, 'a fix that creates a binding file');
      assert.ok(await vscode.workspace.applyEdit(create.edit));
      const written = (await vscode.workspace.openTextDocument(created)).getText();
      const [document] = parseAllDocuments(written);
      const object = document.toJS() as {
        kind: string;
        roleRef: { name: string };
        subjects: { kind: string; name: string }[];
      };
      assert.equal(object.kind, 'ClusterRoleBinding');
      assert.deepEqual(
        object.subjects.map((s) => [s.kind, s.name]),
        [['Group', 'oidc:kubernetes']],
      );
      // The file watcher indexes the new binding and the open config is checked again.
      await waitForDiagnostics(uri, lacksCode('TOIDC301'), 'the lockout warning to vanish');
    } finally {
      await deleteWorkspaceFile(created);
    }
  });

  it('migrates the extraArgs OIDC block into a KubeAuthenticationConfig document in one edit', async () => {
    const editor = await openFixture('editor', 'legacy-migrate.yaml');
    const document = editor.document;
    const range = rangeOf(document, 'oidc-issuer-url:');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      document.uri,
      range,
    );
    const migrate = actions.find(
      (action) => action.title === 'Migrate extraArgs OIDC block to a Talos 1.14 KubeAuthenticationConfig document',
    );
    assert.ok(migrate?.edit, `no migration among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(migrate.edit.entries().length, 1, 'one file changes');
    assert.ok(await vscode.workspace.applyEdit(migrate.edit));
    const text = await waitForText(document, (t) => t.includes('KubeAuthenticationConfig'), 'the migrated text');
    const documents = parseAllDocuments(text).map((d) => d.toJS() as Record<string, unknown>);
    // Talos reads the KubeAuthenticationConfig only beside a KubeAPIServerConfig, which takes over `.cluster.apiServer`.
    assert.deepEqual(
      documents.map((d) => d.kind),
      [undefined, 'KubeAPIServerConfig', 'KubeAuthenticationConfig'],
    );
    assert.equal(
      (documents[0].cluster as Record<string, unknown>).apiServer,
      undefined,
      '.cluster.apiServer moved out',
    );
    assert.equal(documents[1].image, 'registry.k8s.io/kube-apiserver:v1.33.1', 'the image moved with it');
    const configuration = documents[2].configuration as { anonymous: unknown; jwt: unknown[] };
    assert.deepEqual(configuration.anonymous, {
      enabled: true,
      conditions: [{ path: '/livez' }, { path: '/readyz' }, { path: '/healthz' }],
    });
    assert.deepEqual(configuration.jwt, [
      {
        issuer: { url: 'https://id.example.com', audiences: ['3c9a1f0e-5b7d-4e2a-9c61-0d8f2b4a7e13'] },
        claimMappings: { username: { claim: 'sub', prefix: 'oidc:' }, groups: { claim: 'groups', prefix: 'oidc:' } },
      },
    ]);
  });
});
