// The playground as a new user meets it: `npm start` (scripts/start.mjs, the real script) with its
// demo provider and the seed guide's workspace, walked in headless Chromium the way the
// walkthrough goes: the guide's mistakes in Problems, their quick fixes, the binding from the
// lockout warning, a test login on the demo provider's page, the verdict, the kubeconfig user.
// Its screenshots (test-results/playground-*.png) are the README's pictures.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/lib/browser.mjs';
import { projectRoot } from '../../scripts/lib/code-server.mjs';
import { cleanupAll, spawnOwned } from '../../scripts/lib/processes.mjs';
import {
  answerInputBox,
  openFile,
  pickQuickInput,
  quickInput,
  runCommand,
  saveScreenshot,
  WORKBENCH_TIMEOUT_MS,
} from './lib/workbench';

function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

interface Playground {
  url: string;
  output: () => string;
  stop: () => void;
}

/** Runs `npm start`'s script with its own state folder and ports; resolves when it prints the workbench URL. */
async function startPlayground(stateDir: string): Promise<Playground> {
  const port = await freePort();
  const { child, stop, exited } = spawnOwned(
    process.execPath,
    [
      join(projectRoot, 'scripts', 'start.mjs'),
      '--port',
      String(port),
      '--provider-port',
      '0',
      '--state-dir',
      stateDir,
    ],
    { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`npm start printed no workbench URL within 240 s:\n${output}`)),
      240_000,
    );
    const poll = setInterval(() => {
      const found = /^\s+(http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+)$/m.exec(output);
      if (found) {
        clearInterval(poll);
        clearTimeout(timer);
        resolveUrl(found[1]);
      }
    }, 200);
    void exited.then((code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}) before it printed the URL:\n${output}`));
    });
  });
  return { url, output: () => output, stop };
}

/** Waits until a file on disk contains `text` (a save lands a moment after the keypress); returns its text. */
async function fileContaining(file: string, text: string): Promise<string> {
  const deadline = Date.now() + WORKBENCH_TIMEOUT_MS;
  let content = '';
  while (Date.now() < deadline) {
    content = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (content.includes(text)) return content;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  assert.fail(`${file} never contained ${JSON.stringify(text)}; it holds:\n${content}`);
}

function claimsView(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview').last().frameLocator('#active-frame');
}

/** The Problems panel's row that contains `text`. */
function problem(page: Page, text: string) {
  return page.locator('.markers-panel .monaco-list-row', { hasText: text }).first();
}

/**
 * Opens a problem (the cursor goes to it), opens the light bulb menu there and picks the fix.
 * `stays`: the problem goes only after another step (a fix that creates a file to be saved).
 */
async function applyQuickFix(
  page: Page,
  problemText: string,
  fixText: string,
  options: { stays?: boolean } = {},
): Promise<void> {
  await runCommand(page, 'View: Focus Problems');
  const row = problem(page, problemText);
  await row.waitFor({ state: 'visible', timeout: WORKBENCH_TIMEOUT_MS });
  const line = /\[Ln (\d+), Col \d+\]/.exec((await row.textContent()) ?? '')?.[1];
  assert.ok(line, `the problem row names its line: ${await row.textContent()}`);
  await row.dblclick();
  // The editor has the cursor on the problem's line (the status bar says so) before Ctrl+.
  await page
    .locator('.statusbar-item', { hasText: new RegExp(`^Ln ${line}, Col \\d+`) })
    .first()
    .waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
  await page
    .locator('.editor-group-container.active .monaco-editor.focused')
    .waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
  const rows = page.locator('.action-widget .monaco-list-row');
  // Right after the previous fix the diagnostics are recomputed; until they land the editor may
  // answer "No code actions available". A person would press Ctrl+. again, and so does the test.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+Period');
    const opened = await rows
      .first()
      .waitFor({ state: 'visible', timeout: 15_000 })
      .then(
        () => true,
        () => false,
      );
    if (opened) break;
    if (attempt === 4) throw new Error(`no code actions for "${problemText}" after ${attempt} tries`);
    await page.keyboard.press('Escape');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  const item = rows.filter({ hasText: fixText }).first();
  await item.waitFor({ state: 'visible', timeout: 10_000 }).catch(async () => {
    throw new Error(
      `no quick fix "${fixText}" for "${problemText}"; the menu offers: ${(await rows.allTextContents()).join(' | ')}`,
    );
  });
  // The menu takes the keyboard (a pointer guard covers it while it opens): arrow to the fix, Enter.
  for (let step = 0; step < 12 && !(await item.getAttribute('class'))?.includes('focused'); step++)
    await page.keyboard.press('ArrowDown');
  assert.ok(
    (await item.getAttribute('class'))?.includes('focused'),
    `the quick fix "${fixText}" could not be selected`,
  );
  await page.keyboard.press('Enter');
  await page.locator('.action-widget').waitFor({ state: 'hidden', timeout: WORKBENCH_TIMEOUT_MS });
  if (!options.stays) await row.waitFor({ state: 'detached', timeout: WORKBENCH_TIMEOUT_MS });
}

describe('browser: the npm start playground, walked as a new user would', function () {
  let stateDir: string;
  let playground: Playground;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let workspace: string;
  let demo: { issuer: string; clientId: string; subs: Record<'alice' | 'bob' | 'carol', string> };

  before(async function () {
    this.timeout(600_000);
    stateDir = mkdtempSync(join(tmpdir(), 'talos-oidc-playground-'));
    playground = await startPlayground(stateDir);
    workspace = join(stateDir, 'workspace');
    const settingsFile = join(workspace, '.vscode', 'settings.json');
    const settings = JSON.parse(readFileSync(settingsFile, 'utf8'));
    const state = JSON.parse(readFileSync(join(stateDir, 'provider.json'), 'utf8'));
    demo = { issuer: settings['talosOidc.issuerUrl'], clientId: settings['talosOidc.clientId'], subs: state.subs };
    // The playground's settings name the demo provider and its CA, nothing to configure.
    assert.match(demo.issuer, /^https:\/\/127\.0\.0\.2:\d+$/);
    assert.match(demo.clientId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    // The CA the login trusts is a machine setting (a workspace may not choose it): the playground
    // puts it where the user's own settings live in its editor.
    const machineSettingsFile = join(stateDir, 'user-data', 'Machine', 'settings.json');
    const machineSettings = JSON.parse(readFileSync(machineSettingsFile, 'utf8'));
    assert.equal(machineSettings['talosOidc.caFile'], join(stateDir, 'ca', 'ca.pem'));
    assert.ok(existsSync(machineSettings['talosOidc.caFile']));
    assert.equal(settings['talosOidc.caFile'], undefined, 'not in the workspace settings');
    // Only for the test: a free callback port instead of kubelogin's 8000, which may be taken here
    // (a user setting: a workspace's listen addresses would need the user's confirmation).
    const listen = {
      'talosOidc.listenAddresses': [`127.0.0.1:${await freePort()}`],
      // The DOM renderer keeps the terminal's text in the page, where the verify step is read.
      'terminal.integrated.gpuAcceleration': 'off',
    };
    for (const folder of ['User', 'Machine']) {
      const file = join(stateDir, 'user-data', folder, 'settings.json');
      const existing = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
      writeFileSync(file, JSON.stringify({ ...existing, ...listen }, null, 2));
    }

    browser = await launchChromium();
    // The demo CA is not in this browser's trust store (a person accepts the warning once).
    context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      colorScheme: 'dark',
      ignoreHTTPSErrors: true,
    });
    context.setDefaultTimeout(WORKBENCH_TIMEOUT_MS);
    page = await context.newPage();
    await page.goto(playground.url, { waitUntil: 'commit', timeout: WORKBENCH_TIMEOUT_MS });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: WORKBENCH_TIMEOUT_MS });
    await page.locator('.activitybar [aria-label^="Talos OIDC"]').first().waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
    await runCommand(page, 'Preferences: Color Theme');
    await pickQuickInput(page, 'Dark Modern');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      // A menu or picker left open by the failed step would take the next step's keys.
      await page.keyboard.press('Escape').catch(() => undefined);
      await saveScreenshot(page, `playground-failed-${this.currentTest.title.slice(0, 40)}`).catch(() => undefined);
      console.log(`--- npm start output ---\n${playground?.output().slice(-4000)}`);
    }
  });

  after(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    playground?.stop();
    cleanupAll();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  it('shows the guide’s mistakes first: placeholders, the unquoted prefix, no binding', async () => {
    await openFile(page, 'controlplane.yaml');
    await runCommand(page, 'View: Focus Problems');
    for (const text of ['<url of pocket-id>', '<Client ID from Pocket ID>', 'oidc-groups-prefix: oidc:']) {
      await problem(page, text).waitFor({ state: 'visible', timeout: WORKBENCH_TIMEOUT_MS });
    }
    // As a person would: a click on the first problem shows its line (the guide's config opens
    // with talosctl's boilerplate; the OIDC flags are further down).
    await problem(page, '<url of pocket-id>').click();
    await page
      .locator('.monaco-editor .view-line', { hasText: 'oidc-issuer-url' })
      .first()
      .waitFor({ state: 'visible', timeout: WORKBENCH_TIMEOUT_MS });
    await saveScreenshot(page, 'playground-findings');
    // A finding's code links to its explanation inside VS Code (not to a web page that may not exist).
    await problem(page, 'oidc-groups-prefix: oidc:')
      .locator('a', { hasText: 'TOIDC002' })
      .first()
      .click({ timeout: 20_000 });
    await page.locator('.tabs-container .tab', { hasText: 'TOIDC002' }).waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
    await page
      .locator('iframe.webview')
      .last()
      .contentFrame()
      .locator('#active-frame')
      .contentFrame()
      .getByText('Unquoted value ending with a colon')
      .first()
      .waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
    await runCommand(page, 'View: Close Editor');
  });

  it('fixes them with the quick fixes and creates the binding from the lockout warning', async () => {
    await applyQuickFix(page, 'oidc-groups-prefix: oidc:', 'Quote the value');
    await applyQuickFix(page, '<url of pocket-id>', `Replace with ${demo.issuer}`);
    await applyQuickFix(page, '<Client ID from Pocket ID>', `Replace with ${demo.clientId}`);
    // Saved as a person saves: Ctrl+S in the editor.
    await openFile(page, 'controlplane.yaml');
    await page.keyboard.press('Control+S');
    const config = await fileContaining(join(workspace, 'controlplane.yaml'), `oidc-client-id: ${demo.clientId}\n`);
    assert.match(config, new RegExp(`oidc-issuer-url: ${demo.issuer.replace(/[.:/]/g, '\\$&')}\\n`));
    assert.match(config, /oidc-groups-prefix: "oidc:"\n/);

    // With the prefix quoted the identity is known: no binding names oidc:kubernetes yet.
    await openFile(page, 'controlplane.yaml');
    await applyQuickFix(page, 'Lockout risk', 'Create a ClusterRoleBinding (cluster-admin) for group oidc:kubernetes', {
      stays: true,
    });
    // The fix creates the binding file next to the config; Save All writes its text to disk.
    await runCommand(page, 'File: Save All');
    assert.match(
      await fileContaining(join(workspace, 'oidc-cluster-admins.yaml'), 'name: oidc:kubernetes'),
      /kind: ClusterRoleBinding/,
    );
    await runCommand(page, 'View: Focus Problems');
    await problem(page, 'Lockout risk').waitFor({ state: 'detached', timeout: WORKBENCH_TIMEOUT_MS });
  });

  it('logs in on the demo provider’s page as alice and is accepted in group oidc:kubernetes', async () => {
    await openFile(page, 'controlplane.yaml');
    await runCommand(page, 'View: Close Primary Side Bar');
    await runCommand(page, 'View: Hide Panel');
    const popupOpened = context.waitForEvent('page', { timeout: WORKBENCH_TIMEOUT_MS });
    await runCommand(page, 'Talos OIDC: Test Login');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
    await dialog.getByRole('button', { name: 'Open' }).click();
    const popup = await popupOpened;
    // The demo page says what it is and lists its users.
    const notice = popup.locator('#demo-notice');
    await notice.waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
    assert.match((await notice.textContent()) ?? '', /demo/i);
    for (const name of ['alice', 'bob', 'carol'])
      await popup.locator(`form.demo-account[data-account="${name}"]`).waitFor();
    await popup.setViewportSize({ width: 900, height: 900 });
    await popup.screenshot({ path: join(projectRoot, 'test-results', 'playground-demo-login.png') });
    await popup.locator('form.demo-account[data-account="alice"] button').click();
    await popup.locator('button[type="submit"]', { hasText: /continue/i }).click();
    await popup.waitForURL(/^http:\/\/localhost:\d+\/\?/, { timeout: WORKBENCH_TIMEOUT_MS });
    await popup.close();

    const view = claimsView(page);
    await view.locator('#verdict.verdict-accepted').waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
    // The guide sets no username prefix: the API server names the user issuer#sub.
    assert.equal(
      ((await view.locator('#verdict-headline').textContent()) ?? '').trim(),
      `Accepted as ${demo.issuer}#${demo.subs.alice}`,
    );
    assert.deepEqual(await view.locator('#verdict .chip').allTextContents(), ['oidc:kubernetes']);
    await view.locator('#bindings-table', { hasText: 'cluster-admin' }).waitFor();
    await saveScreenshot(page, 'playground-verdict');
  });

  it('adds the kubeconfig user the guide got wrong, with a context, through Add kubeconfig User', async () => {
    await openFile(page, 'kubeconfig.yaml');
    await runCommand(page, 'Talos OIDC: Add kubeconfig User', { opensQuickInput: true });
    await pickQuickInput(page, 'kubeconfig.yaml');
    await answerInputBox(page, 'pass-key');
    await pickQuickInput(page, 'Public client with PKCE');
    await pickQuickInput(page, 'testing');
    await answerInputBox(page, 'pass-key@testing');
    await pickQuickInput(page, 'Yes, switch');
    await quickInput(page).waitFor({ state: 'hidden', timeout: WORKBENCH_TIMEOUT_MS });
    const deadline = Date.now() + WORKBENCH_TIMEOUT_MS;
    let kubeconfig = '';
    while (Date.now() < deadline) {
      kubeconfig = readFileSync(join(workspace, 'kubeconfig.yaml'), 'utf8');
      if (kubeconfig.includes(`--oidc-client-id=${demo.clientId}`)) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    assert.ok(kubeconfig.includes(`--oidc-issuer-url=${demo.issuer}`), kubeconfig);
    assert.ok(kubeconfig.includes(`--oidc-client-id=${demo.clientId}`), kubeconfig);
    assert.ok(!kubeconfig.includes('<pocket ID url>'), `the guide's placeholders are gone:\n${kubeconfig}`);
    // The preset's groups scope plus the workspace's extra scopes: the groups claim arrives.
    for (const scope of ['groups', 'email', 'profile'])
      assert.ok(kubeconfig.includes(`--oidc-extra-scope=${scope}`), `scope ${scope}:\n${kubeconfig}`);
    assert.match(kubeconfig, /current-context: pass-key@testing/);
    // Every other entry stays: the admin user is still there for when OIDC breaks.
    assert.match(kubeconfig, /- name: admin@testing/);
    // The editor reloads the file, and the guide's kubeconfig findings go with the old user.
    await page
      .locator('.editor-group-container.active .view-line', { hasText: /current-context:[ \u00a0]pass-key@testing/ })
      .waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
    await runCommand(page, 'View: Focus Problems');
    await problem(page, '<pocket ID url>').waitFor({ state: 'detached', timeout: WORKBENCH_TIMEOUT_MS });
    await saveScreenshot(page, 'playground-kubeconfig');
  });

  it('runs the verify step in the terminal against the local API server (or says why there is none)', async () => {
    const output = playground.output();
    const apiServerLine = /Local API server: (\S+)/.exec(output);
    if (apiServerLine) {
      // A real API server runs with the playground's OIDC settings: the walkthrough's last step runs
      // kubectl, which runs kubelogin, which waits for the browser at its callback address.
      const kubeconfig = readFileSync(join(workspace, 'kubeconfig.yaml'), 'utf8');
      const listen = /--listen-address=(\S+?:\d+)/.exec(kubeconfig)?.[1] ?? '127.0.0.1:8000';
      await runCommand(page, 'Talos OIDC: Verify: Run kubectl get pods in a Terminal');
      // The API server names alice exactly as the test login's verdict did; no binding is applied
      // to this cluster yet, so the answer is Forbidden for that user.
      const expectedUser = `User "${demo.issuer}#${demo.subs.alice}"`;
      const terminalText = async () =>
        (
          await page
            .locator('.terminal-wrapper .xterm-rows')
            .first()
            .innerText()
            .catch(() => '')
        ).replace(/\n/g, '');
      // kubelogin opens the login in the machine's browser where it can (xdg-open); where it cannot,
      // the test plays the person's browser at kubelogin's callback address.
      const login = await context.newPage();
      let terminal = '';
      for (const deadline = Date.now() + WORKBENCH_TIMEOUT_MS; Date.now() < deadline;) {
        terminal = await terminalText();
        if (terminal.includes(expectedUser) || /No resources found/.test(terminal)) break;
        if (!/^https:\/\/127\.0\.0\.2/.test(login.url())) {
          await login.goto(`http://${listen}/`, { timeout: 3_000 }).catch(() => undefined);
        }
        const alice = login.locator('form.demo-account[data-account="alice"] button');
        const consent = login.locator('button[type="submit"]', { hasText: /continue/i });
        if (await alice.isVisible().catch(() => false)) await alice.click().catch(() => undefined);
        else if (await consent.isVisible().catch(() => false)) await consent.click().catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      await login.close();
      await saveScreenshot(page, 'playground-verify');
      assert.ok(
        terminal.includes(expectedUser),
        `the terminal shows kubectl's answer for ${expectedUser}:\n${terminal}`,
      );
    } else {
      assert.match(output, /Note: (no local API server|the local API server did not start): .+/);
      console.log(`      (${/Note: (.+)/.exec(output)?.[1]})`);
    }
  });
});
