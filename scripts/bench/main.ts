// `npm run bench`: the figures of issue 11 — parse + check against the YAML parse floor and
// against yaml-language-server, a keystroke's re-check, the workspace index and `talos-oidc lint`
// of 1,000 files, lint's peak memory, the bundles, the hostile shapes — and, with `--editor`,
// activation and keystroke-to-diagnostics in code-server. Text for people on stdout; with
// `--json`, one JSON object and nothing else on stdout (progress goes to stderr).
//
//   --json         print the result object (see report.ts) instead of the text
//   --editor       also measure in code-server (a few minutes; needs Chromium)
//   --editor-only  only the editor figures (the others are named, with that reason)
//   --out FILE     also write the result object to FILE
//   --no-build     measure the dist/ that is there (default: a production build first)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import * as path from 'node:path';
import { bundleFigures } from './bundles';
import { keystrokeFigure, parseFigures, tokenReviewMicroseconds, workspaceIndexFigure } from './core';
import { EDITOR_NOT_RUN, type EditorFigures } from './editor';
import { generateWorkspace, projectRoot, writeWorkspace } from './inputs';
import { peerFigures } from './peer';
import {
  cliLintFigure,
  cliPeakRssFigure,
  HOSTILE_LIMIT_MB,
  HOSTILE_LIMIT_MS,
  hostileFigures,
  makeScratchFolder,
} from './processes';
import { judgeBudgets, renderText, type BenchResult, type Maybe } from './report';

const args = process.argv.slice(2);
const json = args.includes('--json');
const editorOnly = args.includes('--editor-only');
const withEditor = editorOnly || args.includes('--editor');
const build = !args.includes('--no-build');
const outIndex = args.indexOf('--out');
const outFile = outIndex === -1 ? undefined : args[outIndex + 1];
const unknown = args.filter(
  (arg, i) => !['--json', '--editor', '--editor-only', '--no-build', '--out'].includes(arg) && args[i - 1] !== '--out',
);
if (unknown.length > 0 || (outIndex !== -1 && !outFile)) {
  console.error(
    `usage: npm run bench -- [--json] [--editor | --editor-only] [--out FILE] [--no-build] (not ${unknown.join(' ') || '--out without a file'})`,
  );
  process.exit(2);
}

const progress = (message: string) => console.error(`[bench] ${message}`);
// The harness (code-server, the browser page's console) logs with console.log: to stderr, so
// that stdout holds only the result.
console.log = console.error;

/** Runs one step; a step that fails leaves its figure unmeasured, with the reason, and the rest go on. */
async function step<T extends object>(name: string, work: () => T | Promise<T>): Promise<Maybe<T>> {
  if (editorOnly) return { notMeasured: 'not asked for (--editor-only)' };
  progress(name);
  try {
    return await work();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    progress(`${name} failed: ${reason}`);
    return { notMeasured: `failed: ${reason.split('\n')[0]}` };
  }
}

function currentCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: projectRoot, encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

async function main(): Promise<BenchResult> {
  const startedAt = new Date().toISOString();
  if (build) {
    progress('production build (npm run build -- --production)');
    // Its output goes to stderr, so that stdout holds only the result.
    const built = spawnSync(process.execPath, [path.join(projectRoot, 'scripts/build.mjs'), '--production'], {
      cwd: projectRoot,
      stdio: ['ignore', 2, 2],
    });
    if (built.status !== 0) throw new Error(`the production build failed (exit ${built.status})`);
  }
  const scratch = makeScratchFolder();
  try {
    // The generated workspace and the large config in folders of their own: the 1,000-file lint sees only the first.
    const workspaceFolder = path.join(scratch.folder, 'workspace');
    const largeFolder = path.join(scratch.folder, 'large');
    mkdirSync(largeFolder);
    const workspace = generateWorkspace(1000);
    writeWorkspace(workspace, workspaceFolder);
    const parseCheck = await step('parse + check against the yaml parse', () => parseFigures());
    const keystrokeRecheck = await step('re-check after a keystroke', () => keystrokeFigure());
    const yamlLanguageServer = await step('yaml-language-server with the Talos schema', () => peerFigures());
    const workspaceIndex = await step('workspace index of 1,000 files', () =>
      workspaceIndexFigure(workspaceFolder, workspace),
    );
    const cliLint = await step('talos-oidc lint of 1,000 files', () => cliLintFigure(workspaceFolder, workspace));
    const cliPeakRss = await step('talos-oidc lint peak memory, 20,000 lines', () => cliPeakRssFigure(largeFolder));
    const tokenReview = await step('token review', () => ({ median: tokenReviewMicroseconds() }));
    const hostileShapes = await step('hostile shapes, each in its own process', () => ({
      limitMs: HOSTILE_LIMIT_MS,
      limitMb: HOSTILE_LIMIT_MB,
      shapes: hostileFigures(),
    }));
    let editor: EditorFigures = EDITOR_NOT_RUN;
    if (withEditor) {
      progress('editor figures in code-server');
      try {
        const { editorFigures } = await import('./editor-run');
        editor = await editorFigures();
      } catch (error) {
        // code-server or Chromium missing, the benchmark module did not build: say so, keep the rest.
        const reason = `failed: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`;
        progress(`editor figures ${reason}`);
        editor = { activation: { notMeasured: reason }, keystrokeToDiagnostics: { notMeasured: reason } };
      }
    }
    const figures = {
      format: 1 as const,
      startedAt,
      commit: currentCommit(),
      environment: {
        node: process.versions.node,
        platform: process.platform,
        arch: process.arch,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        loadAverage: loadavg().map((n) => Number(n.toFixed(2))),
      },
      parseCheck,
      keystrokeRecheck,
      yamlLanguageServer,
      workspaceIndex,
      cliLint,
      cliPeakRss,
      bundles: bundleFigures(),
      tokenReviewMicroseconds: tokenReview,
      hostileShapes,
      editor,
    };
    return { ...figures, budgets: judgeBudgets(figures) };
  } finally {
    scratch.remove();
  }
}

main().then(
  (result) => {
    const object = JSON.stringify(result, null, 2);
    if (outFile) writeFileSync(outFile, `${object}\n`);
    process.stdout.write(json ? `${object}\n` : `${renderText(result)}\n`);
  },
  (error: unknown) => {
    console.error(`[bench] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
