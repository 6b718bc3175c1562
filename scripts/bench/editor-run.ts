// The editor figures, measured in code-server with the production build of the extension and
// driven by headless Chromium through the project's test harness (scripts/lib, test/browser/lib):
//  - activation: a fresh window on a workspace with a Talos config (the extension activates at
//    start-up on `workspaceContains`), then Developer: Show Running Extensions, whose row for
//    this extension shows the activation time the extension host measured;
//  - keystroke to diagnostics: test/integration/bench/keystroke.ts run as the extension host's
//    tests module (the integration runner's mechanism), on the 2,000-line config.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, runExtensionTestsInPage } from '../lib/browser.mjs';
import { projectRoot, startCodeServer, workbenchUrl } from '../lib/code-server.mjs';
import { makeTempDir } from '../lib/processes.mjs';
import { runCommand, waitForWorkbench } from '../../test/browser/lib/workbench';
import type { ActivationFigure, EditorFigures, KeystrokeToDiagnosticsFigure } from './editor';
import { fixture, largeConfig } from './inputs';
import { median, percentile, round } from './measure';
import type { Maybe } from './maybe';

const EXTENSION_ID = 'talos-oidc.talos-oidc';
const KEYSTROKE_SOURCE = path.join(projectRoot, 'test', 'integration', 'bench', 'keystroke.ts');
const KEYSTROKE_OUT = path.join(projectRoot, 'out', 'bench', 'keystroke.js');
const TIMEOUT_MS = 180_000;

export interface EditorOptions {
  /** Fresh windows whose activation is read; the figure is their median. */
  activationRuns?: number;
  edits?: number;
}

export async function editorFigures({ activationRuns = 3, edits = 60 }: EditorOptions = {}): Promise<EditorFigures> {
  await esbuild.build({
    entryPoints: [KEYSTROKE_SOURCE],
    outfile: KEYSTROKE_OUT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    logLevel: 'warning',
  });
  const workspace = makeTempDir('talos-oidc-bench-editor-');
  writeFileSync(path.join(workspace, 'controlplane.yaml'), largeConfig(2000));
  mkdirSync(path.join(workspace, 'rbac'));
  writeFileSync(path.join(workspace, 'rbac', 'crb.yaml'), fixture('legacy/crb.yaml'));
  const resultFile = path.join(makeTempDir('talos-oidc-bench-result-'), 'keystroke.json');

  const server = await startCodeServer({
    workspace,
    env: { TALOS_OIDC_BENCH_RESULT: resultFile, TALOS_OIDC_BENCH_EDITS: String(edits) },
  });
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const started = browser;
    const activation = await attempt('activation', () =>
      activationFigure(started, server.url, workspace, activationRuns),
    );
    const keystrokeToDiagnostics = await attempt('keystroke to diagnostics', async () => {
      const url = workbenchUrl(server.url, {
        folder: workspace,
        extensionDevelopmentPath: projectRoot,
        extensionTestsPath: KEYSTROKE_OUT,
      });
      const code = await runExtensionTestsInPage(started, url, { timeoutMs: TIMEOUT_MS, label: 'keystroke benchmark' });
      if (code !== 0 || !existsSync(resultFile)) throw new Error(`the extension-host benchmark exited ${code}`);
      return keystrokeFigure(JSON.parse(readFileSync(resultFile, 'utf8')) as KeystrokeSamples);
    });
    return { activation, keystrokeToDiagnostics };
  } finally {
    await browser?.close().catch(() => undefined);
    server.stop();
    await server.exited;
  }
}

async function attempt<T extends object>(name: string, work: () => Promise<T>): Promise<Maybe<T>> {
  console.error(`[bench] editor: ${name}`);
  try {
    return await work();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    console.error(`[bench] editor: ${name} failed: ${reason}`);
    return { notMeasured: `failed: ${reason.split('\n')[0]}` };
  }
}

interface KeystrokeSamples {
  lines: number;
  edits: number;
  samples: number[];
  fromChangeEvent: number[];
  debounceMs: number;
}

function keystrokeFigure(result: KeystrokeSamples): KeystrokeToDiagnosticsFigure {
  return {
    lines: result.lines,
    edits: result.edits,
    p50Ms: round(median(result.samples), 1),
    p95Ms: round(percentile(result.samples, 0.95), 1),
    maxMs: round(Math.max(...result.samples), 1),
    fromChangeEventP50Ms: round(median(result.fromChangeEvent), 1),
    fromChangeEventP95Ms: round(percentile(result.fromChangeEvent, 0.95), 1),
    samplesMs: result.samples.map((sample) => round(sample, 1)),
    debounceMs: result.debounceMs,
  };
}

async function activationFigure(
  browser: Browser,
  serverUrl: string,
  workspace: string,
  runs: number,
): Promise<ActivationFigure> {
  const readings: Omit<ActivationFigure, 'runs'>[] = [];
  for (let run = 0; run < runs; run++) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    try {
      const page = await context.newPage();
      await page.goto(workbenchUrl(serverUrl, { folder: workspace, extensionDevelopmentPath: projectRoot }), {
        waitUntil: 'commit',
        timeout: TIMEOUT_MS,
      });
      await waitForWorkbench(page);
      readings.push(await readActivation(page));
    } finally {
      await context.close().catch(() => undefined);
    }
  }
  const times = readings.map((reading) => reading.activationMs);
  const middle = readings.find((reading) => reading.activationMs === median(times)) ?? readings[0];
  return { ...middle, runs: times };
}

/** Opens Developer: Show Running Extensions and reads this extension's row, scrolling to it. */
async function readActivation(page: Page): Promise<Omit<ActivationFigure, 'runs'>> {
  await runCommand(page, 'Developer: Show Running Extensions');
  const list = page.locator('.runtime-extensions-editor');
  await list.waitFor({ state: 'visible', timeout: TIMEOUT_MS });
  const row = list.locator('.monaco-list-row', { has: page.locator('.name', { hasText: EXTENSION_ID }) });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if ((await row.count()) > 0) {
      const label = (await row.first().locator('.activation-time').textContent())?.trim() ?? '';
      const match = /(\d+(?:\.\d+)?)\s*ms/.exec(label);
      // "Activating..." until the extension host has a time for it.
      if (match) {
        return {
          activationMs: Number(match[1]),
          label,
          activationEvent: /^Startup/.test(label) ? 'at start-up (workspaceContains)' : 'after start-up',
        };
      }
    } else {
      await list.hover();
      await page.mouse.wheel(0, 400);
    }
    await page.waitForTimeout(250);
  }
  const names = await list.locator('.monaco-list-row .name').allTextContents();
  throw new Error(`no activation time for ${EXTENSION_ID} in Running Extensions (rows: ${names.join(', ')})`);
}
