// What a person sees of the YAML injection grammar: in the seed guide's control-plane config the
// API server's OIDC flag keys and the unfilled placeholders stand out from ordinary keys and
// values in the default theme. The screenshot is kept in test-results/.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import {
  colourOf,
  editorToken,
  openFile,
  saveScreenshot,
  startWorkbenchHost,
  type WorkbenchHost,
} from './lib/workbench';

describe('browser: the OIDC grammar in the editor', () => {
  let host: WorkbenchHost;
  let page: Page;

  before(async () => {
    host = await startWorkbenchHost();
    page = await host.openWorkbench({ folder: host.copyFixtureWorkspace() });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await saveScreenshot(page, `failed-${this.currentTest.title}`);
  });

  after(async () => {
    await host?.close();
  });

  it('colours OIDC flag keys and <placeholders> apart from ordinary keys and values', async () => {
    await openFile(page, 'seed-guide/controlplane.yaml');
    const placeholder = await editorToken(page, '<url of pocket-id>');
    const plainValue = await editorToken(page, 'groups');
    const oidcKey = await editorToken(page, 'oidc-issuer-url');
    const ordinaryKey = await editorToken(page, 'clusterName');

    const path = await saveScreenshot(page, 'grammar-seed-guide-controlplane');
    console.log(`      screenshot: ${path}`);

    assert.notEqual(await colourOf(placeholder), await colourOf(plainValue), 'a placeholder looks like any value');
    assert.notEqual(await colourOf(oidcKey), await colourOf(ordinaryKey), 'an OIDC flag key looks like any key');
  });
});
