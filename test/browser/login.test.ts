// The test login as a person does it, in code-server loaded by headless Chromium: the command from
// the palette, code-server's "open external website" dialog, the provider's login page in the
// popup, and the verdict and claims in the webview. The provider is a real OpenID provider
// (oidc-provider, configured like Pocket-ID) on 127.0.0.2: code-server rewrites URLs on
// localhost/127.0.0.1 to its port proxy, so the provider cannot listen there.
// Keeps test-results/claims-webview.png for the README.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, FrameLocator, Page } from 'playwright-core';
import { projectRoot, workbenchUrl } from '../../scripts/lib/code-server.mjs';
import { startTestProvider, type TestProvider } from '../support/provider/index';
import {
  openFile,
  pickQuickInput,
  runCommand,
  saveScreenshot,
  startWorkbenchHost,
  WORKBENCH_TIMEOUT_MS,
  type WorkbenchHost,
} from './lib/workbench';

/** A free loopback port for the extension's callback listener (8000 may be taken on a dev machine). */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function talosConfig(issuer: string, clientId: string, usernameClaim: 'sub' | 'email'): string {
  return [
    '# Control-plane config for the browser test: the API server trusts the test provider.',
    'version: v1alpha1',
    'machine:',
    '  type: controlplane',
    'cluster:',
    '  clusterName: uk-rg-01',
    '  apiServer:',
    '    extraArgs:',
    `      oidc-issuer-url: ${issuer}`,
    `      oidc-client-id: ${clientId}`,
    `      oidc-username-claim: ${usernameClaim}`,
    '      oidc-username-prefix: "oidc:"',
    '      oidc-groups-claim: groups',
    '      oidc-groups-prefix: "oidc:"',
    '',
  ].join('\n');
}

const BINDING = [
  'apiVersion: rbac.authorization.k8s.io/v1',
  'kind: ClusterRoleBinding',
  'metadata:',
  '  name: oidc-cluster-admins',
  'roleRef:',
  '  apiGroup: rbac.authorization.k8s.io',
  '  kind: ClusterRole',
  '  name: cluster-admin',
  'subjects:',
  '  - apiGroup: rbac.authorization.k8s.io',
  '    kind: Group',
  '    name: oidc:cluster-admins',
  '',
].join('\n');

/**
 * The claims webview's document: VS Code puts a webview in an outer iframe (class `webview`)
 * holding the content in `#active-frame`. Locators in it wait by themselves.
 */
function claimsView(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview').last().frameLocator('#active-frame');
}

/**
 * The workbench shows the extension's activity bar entry once the extension host has read its
 * manifest: only then does the palette list its commands (it does not refresh while open).
 */
async function extensionLoaded(page: Page): Promise<void> {
  // Not waitForWorkbench: it waits for the explorer, which a reload keeps closed here.
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: WORKBENCH_TIMEOUT_MS });
  await page.locator('.part.statusbar').waitFor({ state: 'visible', timeout: WORKBENCH_TIMEOUT_MS });
  await page.locator('.activitybar [aria-label^="Talos OIDC"]').first().waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
}

/** Approves code-server's "open the external website" dialog and returns the popup it opens. */
async function approveExternalSite(page: Page, context: BrowserContext): Promise<Page> {
  const popupOpened = context.waitForEvent('page', { timeout: WORKBENCH_TIMEOUT_MS });
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
  assert.match((await dialog.textContent()) ?? '', /open the external website/i);
  await dialog.getByRole('button', { name: 'Open' }).click();
  return popupOpened;
}

/** oidc-provider's login form (the account ID is the login), then its consent form. */
async function logInAtProvider(popup: Page, accountId: string): Promise<void> {
  await popup.locator('input[name="login"]').fill(accountId);
  await popup.locator('input[name="password"]').fill('test');
  await popup.locator('button[type="submit"]').click();
  await popup.locator('button[type="submit"]', { hasText: /continue/i }).click();
  // The extension's loopback listener answers the callback with its own small page.
  await popup.waitForURL(/^http:\/\/localhost:\d+\/\?/, { timeout: WORKBENCH_TIMEOUT_MS });
  assert.match((await popup.textContent('body')) ?? '', /Logged in/);
  await popup.close();
}

describe('browser: test login against a real provider, claims webview', function () {
  let provider: TestProvider;
  let host: WorkbenchHost;
  let context: BrowserContext;
  let page: Page;
  let workspace: string;

  before(async function () {
    host = await startWorkbenchHost();
    provider = await startTestProvider({ host: '127.0.0.2' });
    workspace = mkdtempSync(join(tmpdir(), 'talos-oidc-login-'));
    mkdirSync(join(workspace, 'cluster'));
    mkdirSync(join(workspace, '.vscode'));
    writeFileSync(
      join(workspace, 'cluster', 'controlplane.yaml'),
      talosConfig(provider.issuer, provider.clients.public.clientId, 'sub'),
    );
    writeFileSync(
      join(workspace, 'cluster', 'controlplane-email.yaml'),
      talosConfig(provider.issuer, provider.clients.public.clientId, 'email'),
    );
    writeFileSync(join(workspace, 'cluster', 'crb.yaml'), BINDING);
    const settings = {
      'talosOidc.issuerUrl': provider.issuer,
      'talosOidc.clientId': provider.clients.public.clientId,
      'talosOidc.extraScopes': ['profile', 'email', 'groups'],
    };
    writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
    // The CA the login trusts and where its callback listens are the user's settings, never a
    // workspace's (caFile is machine-scoped; a workspace's listen addresses need a confirmation).
    const userSettings = {
      'talosOidc.caFile': provider.caFile,
      'talosOidc.listenAddresses': [`127.0.0.1:${await freePort()}`],
    };
    for (const folder of ['User', 'Machine']) {
      const file = join(host.server.userDataDir, folder, 'settings.json');
      mkdirSync(join(host.server.userDataDir, folder), { recursive: true });
      const existing = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
      writeFileSync(file, JSON.stringify({ ...existing, ...userSettings }, null, 2));
    }
    // The provider's certificate comes from a CA made for this run; the login popup must accept it.
    context = await host.browser.newContext({
      viewport: { width: 1440, height: 960 },
      colorScheme: 'dark',
      ignoreHTTPSErrors: true,
    });
    // A busy machine (other test runs, a cold code-server) is slow, not broken.
    context.setDefaultTimeout(WORKBENCH_TIMEOUT_MS);
    page = await context.newPage();
    await page.goto(workbenchUrl(host.server.url, { folder: workspace, extensionDevelopmentPath: projectRoot }), {
      waitUntil: 'commit',
      timeout: WORKBENCH_TIMEOUT_MS,
    });
    await extensionLoaded(page);
    // The README's picture in the dark theme most people use, chosen as a person would.
    await runCommand(page, 'Preferences: Color Theme');
    await pickQuickInput(page, 'Dark Modern');
  });

  afterEach(async function () {
    // What the window showed when a step failed, kept with the other artefacts.
    if (this.currentTest?.state === 'failed' && page)
      await saveScreenshot(page, `login-failed-${this.currentTest.title.slice(0, 40)}`).catch(() => undefined);
  });

  after(async () => {
    await context?.close().catch(() => undefined);
    await host?.close();
    await provider?.stop();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('logs in through the palette and the provider’s page, and shows the verdict and the claims', async () => {
    const alice = provider.accounts.alice;
    // The active editor's Talos config is the one that judges the token.
    await openFile(page, 'cluster/controlplane.yaml');
    // Room for the webview in the picture below.
    await runCommand(page, 'View: Close Primary Side Bar');
    await runCommand(page, 'Talos OIDC: Test Login');
    // code-server asks before it opens another site; the login page then opens as a popup.
    await logInAtProvider(await approveExternalSite(page, context), alice.sub);

    const view = claimsView(page);
    await view.locator('#verdict.verdict-accepted').waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
    assert.equal(
      ((await view.locator('#verdict-headline').textContent()) ?? '').trim(),
      `Accepted as oidc:${alice.sub}`,
    );
    const groups = await view.locator('#verdict .chip').allTextContents();
    assert.deepEqual(groups.sort(), alice.groups.map((group) => `oidc:${group}`).sort());
    assert.equal(((await view.locator('tr[data-claim="sub"] .claim-value').textContent()) ?? '').trim(), alice.sub);
    assert.equal(
      ((await view.locator('tr[data-claim="iss"] .claim-value').textContent()) ?? '').trim(),
      provider.issuer,
    );
    assert.match((await view.locator('#countdown').textContent()) ?? '', /^expires in \d+:\d\d/);
    await view.locator('#bindings-table', { hasText: 'oidc-cluster-admins' }).waitFor();
    // The raw token is not on the page until the user asks for it.
    assert.equal(await view.locator('#raw-token').count(), 0);

    await saveScreenshot(page, 'claims-webview');

    await view.locator('#reveal-token').click();
    await view.locator('#raw-token').waitFor();
    assert.match((await view.locator('#raw-token').textContent()) ?? '', /^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('restores the view after a reload without the token', async () => {
    // As a person reloads: through the workbench, which saves the layout and the webview's state first.
    const reloaded = page.waitForEvent('domcontentloaded', { timeout: WORKBENCH_TIMEOUT_MS });
    await runCommand(page, 'Developer: Reload Window');
    await reloaded;
    await extensionLoaded(page);
    const view = claimsView(page);
    await view.locator('#verdict.verdict-accepted').waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
    assert.match((await view.locator('#verdict-headline').textContent()) ?? '', /^Accepted as oidc:/);
    await view.locator('#token', { hasText: 'gone after a reload' }).waitFor();
    assert.equal(await view.locator('#reveal-token').count(), 0);
  });

  it('shows the API server’s rejection and the Pocket-ID fix for an unverified email under the email claim', async () => {
    const carol = provider.accounts.carol;
    assert.equal(carol.email_verified, false);
    // A new login at the provider, not alice's session.
    await context.clearCookies({ domain: provider.host });
    await openFile(page, 'cluster/controlplane-email.yaml');
    await runCommand(page, 'Talos OIDC: Test Login');
    await logInAtProvider(await approveExternalSite(page, context), carol.sub);

    const view = claimsView(page);
    await view.locator('#verdict.verdict-rejected').waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
    assert.equal(
      ((await view.locator('#verdict-headline').textContent()) ?? '').trim(),
      'Rejected: oidc: email not verified',
    );
    assert.match((await view.locator('#verdict .fixes').textContent()) ?? '', /Emails Verified/);
    assert.equal(
      ((await view.locator('tr[data-claim="email_verified"] .claim-value').textContent()) ?? '').trim(),
      'false',
    );
    await saveScreenshot(page, 'claims-webview-rejected');
  });
});
