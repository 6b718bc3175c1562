// The "browser" kubelogin opens in the e2e tests: headless Debian Chromium, driven by
// playwright-core, logs in at the test provider's page as the account in E2E_LOGIN_ACCOUNT and
// follows the redirect back to kubelogin's loopback listener. kubelogin runs it through the
// `xdg-open` script next to it (kubelogin opens URLs with xdg-open on Linux), so the kubeconfig
// stays exactly as `talos-oidc kubeconfig set-user` wrote it.
//
// Writes only to stderr (kubelogin's standard output is the credential kubectl reads) and
// appends one line per login to E2E_LOGIN_RECORD, so a test can count the logins.
import { appendFileSync } from 'node:fs';
import { launchChromium } from '../../../scripts/lib/browser.mjs';

const url = process.argv[2];
const account = process.env.E2E_LOGIN_ACCOUNT;
const say = (line) => process.stderr.write(`[browser-login] ${line}\n`);

if (!url || !account) {
  say('usage: E2E_LOGIN_ACCOUNT=<account id> browser-login.mjs <authorization URL>');
  process.exit(2);
}
if (process.env.E2E_LOGIN_RECORD) appendFileSync(process.env.E2E_LOGIN_RECORD, `${account} ${url}\n`);

// The same headless Chromium, found and launched the same way, as the rest of the test hosts.
const browser = await launchChromium();
try {
  // The provider's certificate comes from a CA made for the run (kubelogin is given it itself).
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(url);
  await page.locator('input[name="login"]').fill(account);
  await page.locator('input[name="password"]').fill('test');
  await page.locator('button[type="submit"]').click();
  await page.locator('button[type="submit"]', { hasText: /continue/i }).click();
  // kubelogin's listener answers the redirect with its own page once it has the code.
  await page.waitForURL((target) => target.hostname === 'localhost' || target.hostname === '127.0.0.1');
  await page.waitForLoadState('load');
  say(`logged in as ${account}; back at ${new URL(page.url()).origin}`);
} catch (error) {
  say(`login failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
