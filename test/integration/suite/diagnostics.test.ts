// Diagnostics as a user sees them: on the right ranges, linked to their explanation, updated as
// the user types, re-checked when a binding elsewhere changes, and switchable per workspace.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TalosOidcApi } from '../../../src/extension/api';
import {
  activateExtension,
  codeOf,
  hasCode,
  lacksCode,
  openFixture,
  ours,
  rangeOf,
  revertAll,
  waitForDiagnostics,
} from './editorHelpers';

describe('diagnostics', () => {
  let api: TalosOidcApi;
  before(async () => {
    api = await activateExtension();
  });
  afterEach(revertAll);

  it('marks the http issuer and the misspelled flag on their exact ranges, linked to their explanation', async () => {
    const editor = await openFixture('editor', 'legacy-broken.yaml');
    const document = editor.document;
    const diagnostics = await waitForDiagnostics(
      document.uri,
      (d) => hasCode('TOIDC103')(d) && hasCode('TOIDC101')(d),
      'TOIDC103 and TOIDC101',
    );
    const http = diagnostics.find((d) => codeOf(d) === 'TOIDC103')!;
    assert.deepEqual(http.range, rangeOf(document, 'oidc-issuer-url:', 'http://id.example.com'));
    assert.equal(http.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(http.source, 'talos-oidc');
    const target = typeof http.code === 'object' ? http.code.target : undefined;
    assert.ok(target, 'the code links to its explanation');
    // A command URI that opens the check's explanation inside VS Code (no web page it could 404 on).
    assert.equal(target.scheme, 'command');
    assert.equal(target.path, 'talosOidc.explainCheck');
    const args = JSON.parse(decodeURIComponent(target.query)) as unknown[];
    assert.deepEqual(args, ['TOIDC103']);
    assert.equal(await vscode.commands.executeCommand(target.path, ...args), 'TOIDC103');
    const shown = vscode.workspace.textDocuments.find(
      (doc) => doc.uri.scheme === 'talos-oidc-check' && doc.uri.path === '/TOIDC103.md',
    );
    assert.ok(shown, 'the explanation document was opened');
    assert.match(shown.getText(), /^# TOIDC103: /);
    const misspelled = diagnostics.find((d) => codeOf(d) === 'TOIDC101')!;
    assert.deepEqual(misspelled.range, rangeOf(document, 'oidc-group-claim:', 'oidc-group-claim'));
  });

  it("marks the seed guide's unfilled placeholders", async () => {
    const editor = await openFixture('seed-guide', 'controlplane.yaml');
    const diagnostics = await waitForDiagnostics(
      editor.document.uri,
      (d) => d.filter((x) => codeOf(x) === 'TOIDC003').length === 2,
      'two TOIDC003',
    );
    const ranges = diagnostics.filter((d) => codeOf(d) === 'TOIDC003').map((d) => d.range);
    assert.deepEqual(ranges, [
      rangeOf(editor.document, '<url of pocket-id>'),
      rangeOf(editor.document, '<Client ID from Pocket ID>'),
    ]);
  });

  it('drops a diagnostic as soon as the user fixes the text, keeping the others', async () => {
    const editor = await openFixture('editor', 'legacy-broken.yaml');
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, hasCode('TOIDC103'), 'TOIDC103');
    await editor.edit((builder) =>
      builder.replace(rangeOf(editor.document, 'oidc-issuer-url:', 'http://'), 'https://'),
    );
    const after = await waitForDiagnostics(uri, lacksCode('TOIDC103'), 'TOIDC103 to vanish');
    assert.ok(hasCode('TOIDC101')(after), 'the misspelled flag is still reported');
    // The shown diagnostics belong to the version in the editor, never an older one.
    assert.equal(api.diagnostics.resultFor(editor.document)?.version, editor.document.version);
  });

  it('gives no diagnostics to YAML files that are none of ours', async () => {
    const editor = await openFixture('editor', 'deployment.yaml');
    const result = api.diagnostics.checkNow(editor.document);
    assert.ok(result, 'the document was checked');
    assert.deepEqual(result.findings, []);
    assert.deepEqual(ours(editor.document.uri), []);
  });

  it('re-checks an open config when a binding in another file changes (the lockout guard)', async () => {
    const config = await openFixture('editor', 'legacy-migrate.yaml');
    const configUri = config.document.uri;
    // The seed guide's binding names oidc:kubernetes, the group this config produces: no lockout.
    assert.equal(
      api.diagnostics.checkNow(config.document)?.findings.some((f) => f.code === 'TOIDC301'),
      false,
    );
    const binding = await openFixture('seed-guide', 'crb.yaml');
    await binding.edit((builder) => builder.replace(rangeOf(binding.document, 'name: oidc:kubernetes', 'oidc:'), ''));
    await waitForDiagnostics(configUri, hasCode('TOIDC301'), 'the lockout warning after the binding lost its prefix');
    await waitForDiagnostics(binding.document.uri, hasCode('TOIDC302'), 'the unprefixed group on the binding');
    await binding.edit((builder) =>
      builder.insert(rangeOf(binding.document, 'name: kubernetes', 'kubernetes').start, 'oidc:'),
    );
    await waitForDiagnostics(configUri, lacksCode('TOIDC301'), 'the lockout warning to vanish once the prefix is back');
  });

  it('turns the checks off through talosOidc.checks.enabled', async () => {
    const editor = await openFixture('editor', 'legacy-broken.yaml');
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, (d) => d.length > 0, 'diagnostics');
    const config = vscode.workspace.getConfiguration('talosOidc');
    try {
      await config.update('checks.enabled', false, vscode.ConfigurationTarget.Workspace);
      await waitForDiagnostics(uri, (d) => d.length === 0, 'no diagnostics with checks off');
    } finally {
      await config.update('checks.enabled', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitForDiagnostics(uri, hasCode('TOIDC103'), 'diagnostics back with checks on');
  });
});
