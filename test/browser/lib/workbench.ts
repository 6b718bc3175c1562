// Helpers for browser tests: the extension running in code-server (a real VS Code) shown in
// headless Chromium, driven the way a person drives it (palette, quick open, clicks), with
// screenshots saved to test-results/ as artefacts.
//
//   const host = await startWorkbenchHost();          // once, in before()
//   const page = await host.openWorkbench({ folder: host.copyFixtureWorkspace() });
//   await openFile(page, 'seed-guide/controlplane.yaml');
//   await runCommand(page, 'Talos OIDC: Insert API server OIDC settings');
//   await saveScreenshot(page, 'insert-settings');
//   await host.close();                               // in after()
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Frame, Locator, Page } from 'playwright-core';
import { forwardConsole, launchChromium } from '../../../scripts/lib/browser.mjs';
import {
  projectRoot,
  startCodeServer,
  workbenchUrl,
  type RunningCodeServer,
} from '../../../scripts/lib/code-server.mjs';
import { buildExtension, copyFixtureWorkspace } from '../../../scripts/lib/integration-suite.mjs';
import { cleanupAll } from '../../../scripts/lib/processes.mjs';

/** Where screenshots go (git-ignored; CI keeps it as an artefact). */
export const testResultsDir = join(projectRoot, 'test-results');

/** How long to wait for the workbench and the things a test waits on in it. */
export const WORKBENCH_TIMEOUT_MS = Number(process.env.BROWSER_TEST_TIMEOUT_MS ?? 120_000);

export interface OpenWorkbenchOptions {
  /** The folder to open (absolute). Use copyFixtureWorkspace() for one the test may change. */
  folder: string;
  /** Load this extension from source (default true); false opens a plain VS Code. */
  loadExtension?: boolean;
  /** Window size in CSS pixels (default 1400x900). */
  viewport?: { width: number; height: number };
  /** Print the page's console (the extension host's log included) to stdout. */
  showConsole?: boolean;
}

export interface WorkbenchHost {
  server: RunningCodeServer;
  browser: Browser;
  /** A fresh copy of test/fixtures/workspace, removed when the process ends. */
  copyFixtureWorkspace(): string;
  /** Opens a new browser window on the workbench and waits until the workbench is ready. */
  openWorkbench(options: OpenWorkbenchOptions): Promise<Page>;
  /** Closes every window, the browser and code-server. */
  close(): Promise<void>;
}

/**
 * Builds the extension, starts code-server on a free loopback port with throwaway folders, and
 * launches Chromium. One host serves many windows (each with its own folder).
 */
export async function startWorkbenchHost(): Promise<WorkbenchHost> {
  await buildExtension();
  const server = await startCodeServer();
  const browser = await launchChromium();
  const contexts: BrowserContext[] = [];
  return {
    server,
    browser,
    copyFixtureWorkspace,
    async openWorkbench(options) {
      const context = await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 900 } });
      contexts.push(context);
      const page = await context.newPage();
      if (options.showConsole) forwardConsole(page);
      const url = workbenchUrl(server.url, {
        folder: options.folder,
        extensionDevelopmentPath: options.loadExtension === false ? undefined : projectRoot,
      });
      await page.goto(url, { waitUntil: 'commit', timeout: WORKBENCH_TIMEOUT_MS });
      await waitForWorkbench(page);
      return page;
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      server.stop();
      await server.exited;
      cleanupAll();
    },
  };
}

/** Waits until the workbench has its parts and the explorer shows the folder. */
export async function waitForWorkbench(page: Page): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: WORKBENCH_TIMEOUT_MS });
  await page.locator('.part.statusbar').waitFor({ state: 'visible', timeout: WORKBENCH_TIMEOUT_MS });
  await page
    .locator('.explorer-folders-view .monaco-list-row')
    .first()
    .waitFor({ state: 'visible', timeout: WORKBENCH_TIMEOUT_MS });
}

/** The quick input box (palette, quick open, and the extension's own pickers). */
export function quickInput(page: Page): Locator {
  return page.locator('.quick-input-widget');
}

/**
 * Runs a command through the palette as a person does: F1, type the title, pick the row whose
 * label matches (exactly, when the title is complete), Enter.
 */
export async function runCommand(
  page: Page,
  title: string,
  options: { opensQuickInput?: boolean } = {},
): Promise<void> {
  await focusWorkbench(page);
  await page.keyboard.press('F1');
  const input = quickInput(page).locator('input.input');
  await input.waitFor({ state: 'visible', timeout: WORKBENCH_TIMEOUT_MS });
  await input.fill(`>${title}`);
  const row = quickInput(page).locator('.monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: WORKBENCH_TIMEOUT_MS });
  await row.click();
  // A command that opens its own quick input (Go to File, a picker) keeps the widget open.
  if (options.opensQuickInput) return;
  await quickInput(page)
    .waitFor({ state: 'hidden', timeout: WORKBENCH_TIMEOUT_MS })
    .catch(() => {
      // A command that opens its own picker keeps the quick input open: that is fine.
    });
}

/** Answers an open quick pick by choosing the row with this label (or typing into an input box). */
export async function pickQuickInput(page: Page, label: string): Promise<void> {
  const row = quickInput(page).locator('.monaco-list-row', { hasText: label }).first();
  await row.waitFor({ state: 'visible', timeout: WORKBENCH_TIMEOUT_MS });
  await row.click();
}

/** Types a value into an open input box (vscode.window.showInputBox) and accepts it. */
export async function answerInputBox(page: Page, value: string): Promise<void> {
  const input = quickInput(page).locator('input.input');
  await input.waitFor({ state: 'visible', timeout: WORKBENCH_TIMEOUT_MS });
  await input.fill(value);
  await input.press('Enter');
}

/**
 * Opens a workspace file through quick open (Ctrl+P) and waits until its editor is active.
 * @param relativePath path inside the opened folder, with forward slashes
 */
export async function openFile(page: Page, relativePath: string): Promise<Locator> {
  await runCommand(page, 'Go to File...', { opensQuickInput: true });
  const input = quickInput(page).locator('input.input');
  // Wait until the palette has turned into quick open (its value loses the '>' command prefix).
  await page.waitForFunction(
    () => {
      const box = document.querySelector<HTMLInputElement>('.quick-input-widget input.input');
      return box !== null && !box.value.startsWith('>');
    },
    undefined,
    { timeout: WORKBENCH_TIMEOUT_MS },
  );
  await input.fill(relativePath);
  const fileName = relativePath.split('/').pop() ?? relativePath;
  const row = quickInput(page).locator('.monaco-list-row', { hasText: fileName }).first();
  await row.waitFor({ state: 'visible', timeout: WORKBENCH_TIMEOUT_MS });
  await input.press('Enter');
  const tab = page.locator('.tabs-container .tab.active', { hasText: fileName });
  await tab.waitFor({ state: 'visible', timeout: WORKBENCH_TIMEOUT_MS });
  const editor = activeEditor(page);
  await editor.locator('.view-line').first().waitFor({ state: 'visible', timeout: WORKBENCH_TIMEOUT_MS });
  return editor;
}

/** The text editor in the active editor group. */
export function activeEditor(page: Page): Locator {
  return page.locator('.editor-group-container.active .monaco-editor').first();
}

/**
 * The rendered token (a span in the editor's view lines) whose text is exactly `text`; waits
 * until the editor has tokenised it. Use its computed colour to see what a theme makes of it.
 */
export async function editorToken(page: Page, text: string): Promise<Locator> {
  // The editor renders spaces as no-break spaces.
  const pattern = new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '[ \u00a0]')}$`);
  const token = activeEditor(page).locator('.view-line span > span').filter({ hasText: pattern }).first();
  await token.waitFor({ state: 'visible', timeout: WORKBENCH_TIMEOUT_MS });
  return token;
}

/** The computed text colour of an element, e.g. "rgb(244, 71, 71)". */
export function colourOf(locator: Locator): Promise<string> {
  return locator.evaluate((element) => getComputedStyle(element).color);
}

/**
 * The frame of a webview (panel or view) that holds an element matching `selector`; waits until
 * one does. Webviews are nested iframes, so every frame of the page is searched.
 */
export async function findWebviewFrame(page: Page, selector: string): Promise<Frame> {
  const deadline = Date.now() + WORKBENCH_TIMEOUT_MS;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      const found = await frame.$(selector).catch(() => null);
      if (found) return frame;
    }
    if (Date.now() > deadline)
      throw new Error(`no webview frame with ${selector} within ${WORKBENCH_TIMEOUT_MS / 1000} s`);
    // Frames appear as the webview loads: wait for the next frame event rather than polling blindly.
    await Promise.race([
      page.waitForEvent('framenavigated', { timeout: 2_000 }).catch(() => undefined),
      page.waitForEvent('frameattached', { timeout: 2_000 }).catch(() => undefined),
    ]);
  }
}

/**
 * Saves a PNG of the page (or of one part of it) to test-results/<name>.png and returns the path.
 */
export async function saveScreenshot(page: Page, name: string, part?: Locator): Promise<string> {
  mkdirSync(testResultsDir, { recursive: true });
  const path = join(testResultsDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  if (part) await part.screenshot({ path });
  else await page.screenshot({ path });
  return path;
}

/** Gives the workbench keyboard focus (a fresh page has none until something is clicked). */
async function focusWorkbench(page: Page): Promise<void> {
  const hasFocus = await page.evaluate(
    () => document.activeElement !== null && document.activeElement !== document.body,
  );
  if (!hasFocus) await page.locator('.part.editor').click({ position: { x: 10, y: 10 } });
}
