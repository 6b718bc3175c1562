// Types of browser.mjs for the TypeScript test helpers (test/browser/lib).
import type { Browser, Page } from 'playwright-core';

export function chromiumPath(): string;
export function launchChromium(): Promise<Browser>;
export function runExtensionTestsInPage(
  browser: Browser,
  url: string,
  options: { timeoutMs: number; label?: string },
): Promise<number>;
export function forwardConsole(page: Page): () => Promise<void>;
export function isWorkbenchNoise(text: string): boolean;
