// A talhelper talconfig.yaml in the editor: diagnostics inside an inline patch (a block string)
// on the exact range, the quick fix editing the block string, and the side panel entry.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TalosOidcApi } from '../../../src/extension/api';
import {
  activateExtension,
  codeOf,
  fixtureUri,
  hasCode,
  lacksCode,
  openFixture,
  quickFixes,
  rangeOf,
  revertAll,
  waitForDiagnostics,
} from './editorHelpers';

describe('talhelper talconfig.yaml', () => {
  let api: TalosOidcApi;
  before(async () => {
    api = await activateExtension();
  });
  afterEach(revertAll);

  it('marks the http issuer inside the inline patch and fixes it in the block string', async () => {
    const editor = await openFixture('talhelper', 'talconfig.yaml');
    const uri = editor.document.uri;
    const diagnostics = await waitForDiagnostics(uri, hasCode('TOIDC103'), 'TOIDC103 in the inline patch');
    const http = diagnostics.find((d) => codeOf(d) === 'TOIDC103')!;
    assert.deepEqual(http.range, rangeOf(editor.document, 'oidc-issuer-url:', 'http://id.example.com'));
    const fix = (await quickFixes(uri, http.range)).find((action) => action.title === 'Use https://id.example.com');
    assert.ok(fix?.edit, 'the https fix is offered');
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(
      editor.document.lineAt(http.range.start.line).text,
      '            oidc-issuer-url: https://id.example.com',
    );
    await waitForDiagnostics(uri, lacksCode('TOIDC103'), 'TOIDC103 to vanish');
  });

  it('lists the inline patch in the side panel, its issuer placed in the talconfig', async () => {
    const file = fixtureUri('talhelper', 'talconfig.yaml').fsPath;
    const findNode = () =>
      api.treeDataProvider.getChildren().find((candidate) => candidate.id === `${file}#controlPlane.patches[0]`);
    const issuerOf = () => findNode()?.children?.find((candidate) => candidate.label === 'Issuer');
    // The previous test's edit was reverted; the side panel redraws after its debounce.
    for (
      const deadline = Date.now() + 10_000;
      issuerOf()?.description !== 'http://id.example.com' && Date.now() < deadline;
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const node = findNode();
    assert.ok(
      node,
      `not in the tree: ${api.treeDataProvider
        .getChildren()
        .map((n) => n.id)
        .join(', ')}`,
    );
    assert.equal(node.label, 'talconfig.yaml › controlPlane.patches[0]');
    const issuer = issuerOf()!;
    assert.equal(issuer.description, 'http://id.example.com');
    const document = await vscode.workspace.openTextDocument(fixtureUri('talhelper', 'talconfig.yaml'));
    assert.equal(issuer.location?.uri.toString(), document.uri.toString());
    assert.deepEqual(
      issuer.location?.range && [issuer.location.range.start.line, issuer.location.range.start.character],
      [12, 29],
    );
  });
});
