// The test login as a person does it, in code-server loaded by headless Chromium: the command from
// the palette, code-server's "open external website" dialog, the provider's login page in the
// popup, and the verdict and claims in the webview. The provider is a real OpenID provider
// (oidc-provider, configured like Pocket-ID) on 127.0.0.2: code-server rewrites URLs on
// localhost/127.0.0.1 to its port proxy, so the provider cannot listen there.
// Keeps test-results/claims-webview.png for the README.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type FrameLocator, type Page } from 'playwright-core';
import { startTestProvider, type TestProvider } from '../support/provider/index';

const projectRoot = resolve(__dirname, '..', '..');
const resultsDir = join(projectRoot, 'test-results');

interface RunningCodeServer {
  url: string;
  stop(): void;
  exited: Promise<number | null>;
  output(): string;
}
interface CodeServerLib {
  startCodeServer(options: { workspace?: string; settings?: Record<string, unknown>; showLog?: boolean }): Promise<RunningCodeServer>;
  workbenchUrl(serverUrl: string, options: { folder?: string; extensionDevelopmentPath?: string }): string;
}
interface BrowserLib {
  chromiumPath(): string;
}
interface SuiteLib {
  buildExtension(): Promise<void>;
}

/** The shared harness (plain ES modules in scripts/lib), typed for what this test uses. */
async function harness(): Promise<CodeServerLib & BrowserLib & SuiteLib> {
  const load = (name: string) => import(pathToFileURL(join(projectRoot, 'scripts', 'lib', name)).href);
  const [codeServer, browser, suite] = await Promise.all([load('code-server.mjs'), load('browser.mjs'), load('integration-suite.mjs')]);
  return { ...(codeServer as CodeServerLib), ...(browser as BrowserLib), ...(suite as SuiteLib) };
}

/** A free loopback port for the extension's callback listener (8000 may be taken on a dev machine). */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
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
  await page.locator('.monaco-workbench').waitFor({ timeout: 120_000 });
  await page.locator('.activitybar [aria-label^="Talos OIDC"]').first().waitFor({ timeout: 180_000 });
}

/** Opens a workspace file through Quick Open, so that it is the active editor. */
async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor();
}

/** Approves code-server's "open the external website" dialog and returns the popup it opens. */
async function approveExternalSite(page: Page, context: BrowserContext): Promise<Page> {
  const popupOpened = context.waitForEvent('page', { timeout: 90_000 });
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: 90_000 });
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
  await popup.waitForURL(/^http:\/\/localhost:\d+\/\?/, { timeout: 60_000 });
  assert.match((await popup.textContent('body')) ?? '', /Logged in/);
  await popup.close();
}

async function runPaletteCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

describe('browser: test login against a real provider, claims webview', function () {
  let provider: TestProvider;
  let server: RunningCodeServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let workspace: string;

  before(async function () {
    const lib = await harness();
    await lib.buildExtension();
    provider = await startTestProvider({ host: '127.0.0.2' });
    workspace = mkdtempSync(join(tmpdir(), 'talos-oidc-login-'));
    mkdirSync(join(workspace, 'cluster'));
    writeFileSync(join(workspace, 'cluster', 'controlplane.yaml'), talosConfig(provider.issuer, provider.clients.public.clientId, 'sub'));
    writeFileSync(join(workspace, 'cluster', 'controlplane-email.yaml'), talosConfig(provider.issuer, provider.clients.public.clientId, 'email'));
    writeFileSync(join(workspace, 'cluster', 'crb.yaml'), BINDING);
    const callbackPort = await freePort();
    server = await lib.startCodeServer({
      workspace,
      settings: {
        'talosOidc.issuerUrl': provider.issuer,
        'talosOidc.clientId': provider.clients.public.clientId,
        'talosOidc.caFile': provider.caFile,
        'talosOidc.listenAddresses': [`127.0.0.1:${callbackPort}`],
        'talosOidc.extraScopes': ['profile', 'email', 'groups'],
        // The README's picture in the dark theme most people use.
        'window.autoDetectColorScheme': true,
        'workbench.preferredDarkColorTheme': 'Default Dark Modern',
      },
    });
    browser = await chromium.launch({
      executablePath: lib.chromiumPath(),
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    // The provider's certificate comes from a CA made for this run; the popup must accept it.
    context = await browser.newContext({ viewport: { width: 1440, height: 960 }, colorScheme: 'dark', ignoreHTTPSErrors: true });
    page = await context.newPage();
    // A busy machine (other test runs, a cold code-server) is slow, not broken.
    page.setDefaultTimeout(90_000);
    page.setDefaultNavigationTimeout(180_000);
    await page.goto(lib.workbenchUrl(server.url, { folder: workspace, extensionDevelopmentPath: projectRoot }), { waitUntil: 'domcontentloaded' });
    await extensionLoaded(page);
  });

  after(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    server?.stop();
    await server?.exited;
    await provider?.stop();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('logs in through the palette and the provider’s page, and shows the verdict and the claims', async () => {
    const alice = provider.accounts.alice;
    // The active editor's Talos config is the one that judges the token.
    await openFile(page, 'controlplane.yaml');
    await runPaletteCommand(page, 'Talos OIDC: Test Login');
    // code-server asks before it opens another site; the login page then opens as a popup.
    await logInAtProvider(await approveExternalSite(page, context), alice.sub);

    const view = claimsView(page);
    await view.locator('#verdict.verdict-accepted').waitFor({ timeout: 60_000 });
    assert.equal(((await view.locator('#verdict-headline').textContent()) ?? '').trim(), `Accepted as oidc:${alice.sub}`);
    const groups = await view.locator('#verdict .chip').allTextContents();
    assert.deepEqual(groups.sort(), alice.groups.map((group) => `oidc:${group}`).sort());
    assert.equal(((await view.locator('tr[data-claim="sub"] .claim-value').textContent()) ?? '').trim(), alice.sub);
    assert.equal(((await view.locator('tr[data-claim="iss"] .claim-value').textContent()) ?? '').trim(), provider.issuer);
    assert.match((await view.locator('#countdown').textContent()) ?? '', /^expires in \d+:\d\d/);
    await view.locator('#bindings-table', { hasText: 'oidc-cluster-admins' }).waitFor();
    // The raw token is not on the page until the user asks for it.
    assert.equal(await view.locator('#raw-token').count(), 0);

    // Close the side bar and the panel so the picture shows the webview.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await runPaletteCommand(page, 'View: Close Primary Side Bar');
    mkdirSync(resultsDir, { recursive: true });
    await page.screenshot({ path: join(resultsDir, 'claims-webview.png') });

    await view.locator('#reveal-token').click();
    await view.locator('#raw-token').waitFor();
    assert.match((await view.locator('#raw-token').textContent()) ?? '', /^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('restores the view after a reload without the token', async () => {
    await page.reload({ waitUntil: 'domcontentloaded' });
    await extensionLoaded(page);
    const view = claimsView(page);
    await view.locator('#verdict.verdict-accepted').waitFor({ timeout: 60_000 });
    assert.match((await view.locator('#verdict-headline').textContent()) ?? '', /^Accepted as oidc:/);
    await view.locator('#token', { hasText: 'gone after a reload' }).waitFor();
    assert.equal(await view.locator('#reveal-token').count(), 0);
  });

  it('shows the API server’s rejection and the Pocket-ID fix for an unverified email under the email claim', async () => {
    const carol = provider.accounts.carol;
    assert.equal(carol.email_verified, false);
    // A new login at the provider, not alice's session.
    await context.clearCookies({ domain: provider.host });
    await openFile(page, 'controlplane-email.yaml');
    await runPaletteCommand(page, 'Talos OIDC: Test Login');
    await logInAtProvider(await approveExternalSite(page, context), carol.sub);

    const view = claimsView(page);
    await view.locator('#verdict.verdict-rejected').waitFor({ timeout: 60_000 });
    assert.equal(((await view.locator('#verdict-headline').textContent()) ?? '').trim(), 'Rejected: oidc: email not verified');
    assert.match((await view.locator('#verdict .fixes').textContent()) ?? '', /Emails Verified/);
    assert.equal(((await view.locator('tr[data-claim="email_verified"] .claim-value').textContent()) ?? '').trim(), 'false');
    await page.screenshot({ path: join(resultsDir, 'claims-webview-rejected.png') });
  });
});
