// Headless Chromium (the Debian package) driven by playwright-core: the browser half of the
// code-server host. Playwright's own browser downloads are not reachable here, so the system
// Chromium is used.
import { existsSync } from 'node:fs';
import { format } from 'node:util';
import { chromium } from 'playwright-core';
import { onCleanup } from './processes.mjs';

/** Where Debian (and most Linux distributions) put Chromium; CHROMIUM_PATH overrides. */
const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function chromiumPath() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH points at ${fromEnv}, which does not exist`);
    return fromEnv;
  }
  const found = CHROMIUM_CANDIDATES.find((candidate) => existsSync(candidate));
  if (!found) {
    throw new Error('Chromium is not installed. On Debian: apt-get install -y chromium (or set CHROMIUM_PATH)');
  }
  return found;
}

/**
 * Launches headless Chromium; it is closed at exit even when the caller fails.
 * @returns {Promise<import('playwright-core').Browser>}
 */
export async function launchChromium() {
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const closeAtExit = onCleanup(() => {
    // Playwright's own exit handler kills the browser process; this closes it politely first.
    void browser.close().catch(() => undefined);
  });
  browser.once('disconnected', () => closeAtExit());
  return browser;
}

/**
 * Opens a workbench URL whose payload names an extension test suite, and resolves with the
 * suite's exit code, which the workbench reports through `codeAutomationExit` (0 = passed).
 * Everything the page logs (mocha's report from the extension host included) goes to stdout.
 * @param {import('playwright-core').Browser} browser
 * @param {string} url
 * @param {{ timeoutMs: number, label?: string }} options
 * @returns {Promise<number>}
 */
export async function runExtensionTestsInPage(browser, url, options) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const label = options.label ?? 'extension tests';
  try {
    /** @type {(code: number) => void} */
    let reportExit = () => undefined;
    const exitCode = new Promise((resolveExit) => (reportExit = resolveExit));
    await page.exposeFunction('codeAutomationExit', (/** @type {number} */ code) => reportExit(Number(code)));
    const consoleDone = forwardConsole(page);
    page.on('pageerror', (error) => console.log(`[page error] ${error.message}`));
    // The workbench keeps loading for a while after the page commits; the suite's own timeout covers the rest.
    await page.goto(url, { waitUntil: 'commit', timeout: options.timeoutMs });
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    const timedOut = new Promise((_, reject) => {
      page.once('crash', () => reject(new Error(`${label}: the browser page crashed`)));
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `${label}: no result from the extension host within ${Math.round(options.timeoutMs / 1000)} s ` +
                '(the suite hung, or the extension host never started; see the output above)',
            ),
          ),
        options.timeoutMs,
      );
    });
    try {
      return await Promise.race([exitCode, timedOut]);
    } finally {
      clearTimeout(timer);
      await consoleDone();
    }
  } finally {
    await context.close().catch(() => undefined);
  }
}

/**
 * Prints the page's console messages to stdout in order, formatted as the browser would (the
 * extension host's messages arrive as printf-style format strings with arguments).
 * @param {import('playwright-core').Page} page
 * @returns {() => Promise<void>} resolves when every message seen so far is printed
 */
export function forwardConsole(page) {
  let printed = Promise.resolve();
  page.on('console', (message) => {
    const values = Promise.all(message.args().map((arg) => arg.jsonValue().catch(() => String(arg))));
    printed = printed.then(async () => {
      /** @type {unknown[]} */
      let parts;
      try {
        parts = await values;
      } catch {
        parts = [message.text()];
      }
      let level = '';
      // The workbench's logger puts '%c LEVEL' and a CSS string before the logged arguments.
      if (typeof parts[0] === 'string' && parts[0].startsWith('%c') && parts.length >= 2) {
        level = parts[0].slice(2).trim();
        parts = parts.slice(2);
      }
      const text = parts.length === 0 ? '' : typeof parts[0] === 'string' ? format(...parts) : message.text();
      const line = level === 'WARN' || level === 'ERR' ? `[${level}] ${text}` : text;
      if (!isWorkbenchNoise(line)) console.log(line);
    });
  });
  return () => printed;
}

/**
 * Lines the web workbench logs on every start that say nothing about the extension under test
 * (its own connection set-up, no gallery or network here, web-only warnings).
 * @param {string} text
 */
export function isWorkbenchNoise(text) {
  return (
    text.trim() === '' ||
    /Resolving connection token|Resolved connection token|Creating a socket|web worker extension host|allow-scripts and allow-same-origin|Updating additional builtin extensions cache|ChatSessionStore|Creation of workbench contribution|Overwriting extension <<|Long running operations during shutdown|marketplace|gallery|open-vsx|Failed to load resource|net::ERR_INTERNET_DISCONNECTED|ServiceWorker|service worker/i.test(
      text,
    )
  );
}
