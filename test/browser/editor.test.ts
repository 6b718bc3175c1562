// What a person sees of the checks in a real VS Code (code-server in headless Chromium): the
// squiggle under a misspelled flag, its entry in the Problems panel, the quick fix in the light
// bulb menu, and the side panel describing the workspace. Keeps test-results/diagnostic.png and
// test-results/side-panel.png, the README's screenshots.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import {
  activeEditor,
  editorToken,
  openFile,
  runCommand,
  saveScreenshot,
  startWorkbenchHost,
  WORKBENCH_TIMEOUT_MS,
  type WorkbenchHost,
} from './lib/workbench';

describe('browser: checks and the side panel as a person sees them', () => {
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

  it('underlines a misspelled oidc-* flag, lists it in Problems and offers the rename in the light bulb', async () => {
    const editor = await openFile(page, 'editor/legacy-broken.yaml');
    // An error squiggle is drawn as a decoration in the editor's view overlays.
    await editor.locator('.squiggly-error').first().waitFor({ state: 'visible', timeout: WORKBENCH_TIMEOUT_MS });

    await runCommand(page, 'View: Focus Problems');
    const problems = page.locator('.markers-panel');
    const misspelled = problems.locator('.monaco-list-row', { hasText: 'oidc-group-claim' }).first();
    await misspelled.waitFor({ state: 'visible', timeout: WORKBENCH_TIMEOUT_MS });
    assert.match((await misspelled.textContent()) ?? '', /Did you mean `oidc-groups-claim`\?/);
    const http = problems.locator('.monaco-list-row', { hasText: 'https' }).first();
    await http.waitFor({ state: 'visible', timeout: WORKBENCH_TIMEOUT_MS });

    // Opening the problem puts the cursor on the flag; Ctrl+. opens the quick fix menu there.
    await misspelled.dblclick();
    // Focus the editor on the flag itself, as a person clicking it would, then Ctrl+.
    await (await editorToken(page, 'oidc-group-claim')).click();
    await page.keyboard.press('Control+Period');
    const menu = page.locator('.action-widget');
    const rename = menu.locator('.action-item, .monaco-list-row', { hasText: 'oidc-groups-claim' }).first();
    await rename.waitFor({ state: 'visible', timeout: WORKBENCH_TIMEOUT_MS });
    await saveScreenshot(page, 'diagnostic');

    // Choosing it (Enter on the highlighted fix) fixes the text and the problem goes away.
    await page.keyboard.press('Enter');
    // The editor renders spaces as no-break spaces.
    await activeEditor(page)
      .locator('.view-line', { hasText: /oidc-groups-claim:[ \u00a0]groups/ })
      .waitFor({ state: 'visible', timeout: WORKBENCH_TIMEOUT_MS });
    await problems
      .locator('.monaco-list-row', { hasText: 'oidc-group-claim' })
      .waitFor({ state: 'detached', timeout: WORKBENCH_TIMEOUT_MS });
  });

  it('shows each Talos config with its issuer and problem count in the side panel', async () => {
    await page.keyboard.press('Escape');
    await page.locator('.activitybar .action-item a[aria-label^="Talos OIDC"]').first().click();
    const view = page.locator('.pane', { hasText: 'Workspace' }).locator('.monaco-list').first();
    const config = view.locator('.monaco-list-row', { hasText: 'legacy-broken.yaml' }).first();
    await config.waitFor({ state: 'visible', timeout: WORKBENCH_TIMEOUT_MS });
    // Its children say what it configures; the tree is virtual, so read the rows on screen.
    await view
      .locator('.monaco-list-row', { hasText: 'http://id.example.com' })
      .first()
      .waitFor({ state: 'visible', timeout: WORKBENCH_TIMEOUT_MS });
    const rows = await view.locator('.monaco-list-row').allTextContents();
    // The first test renamed the misspelled flag: the http issuer is the one problem left.
    assert.ok(
      rows.some((row) => row.startsWith('legacy-broken.yaml') && row.includes('1 problem')),
      `the problem count is shown: ${rows.join(' | ')}`,
    );
    assert.ok(
      rows.some((row) => row.includes('No binding for this identity')),
      `a config without a binding says so: ${rows.join(' | ')}`,
    );
    await saveScreenshot(page, 'side-panel');
  });
});
