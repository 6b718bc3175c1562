// Figures of whole processes: `talos-oidc lint` (the built dist/cli.js) on many files and on a
// large config, and each hostile shape in a process of its own.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { HOSTILE_SHAPES } from '../../test/support/hostileShapes';
import { largeConfig, lineCount, projectRoot, type GeneratedWorkspace } from './inputs';
import { median, round } from './measure';

export const CLI = path.join(projectRoot, 'dist', 'cli.js');

/**
 * Loaded with `node --require` before dist/cli.js: writes the process's own resource figures to
 * the file named in the environment when it exits (Node reports the peak resident set itself).
 */
const USAGE_REPORTER = `
const { writeFileSync } = require('node:fs');
process.on('exit', () => {
  writeFileSync(process.env.TALOS_OIDC_BENCH_USAGE, JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS }));
});
`;

interface CliRun {
  wallMs: number;
  status: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], nodeArgs: string[] = [], env: NodeJS.ProcessEnv = {}): CliRun {
  const t0 = performance.now();
  const child = spawnSync(process.execPath, [...nodeArgs, CLI, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    env: { ...process.env, ...env },
  });
  const wallMs = performance.now() - t0;
  if (child.error) throw child.error;
  return { wallMs, status: child.status, stdout: child.stdout, stderr: child.stderr };
}

/** lint exits 0 (no errors) or 1 (errors found); anything else means it did not lint. */
function assertLinted(run: CliRun, what: string): void {
  if (run.status !== 0 && run.status !== 1) {
    throw new Error(
      `talos-oidc lint ${what} exited ${run.status}: ${run.stderr.trim().split('\n').slice(0, 3).join(' ')}`,
    );
  }
}

export interface CliLintFigure {
  files: number;
  bytes: number;
  /** The file count lint's own summary line names (files it parsed and checked). */
  filesChecked: number;
  /** Wall time of `node dist/cli.js lint <folder>`, median ms. */
  totalMs: number;
  /** Wall time of `node dist/cli.js --version` (Node's and the bundle's start-up), median ms. */
  startupMs: number;
  /** totalMs - startupMs. */
  beyondStartupMs: number;
  runs: number;
}

/** `talos-oidc lint` of a generated workspace in one process, against its start-up alone. */
export function cliLintFigure(folder: string, workspace: GeneratedWorkspace, runs = 5): CliLintFigure {
  const total: number[] = [];
  const startup: number[] = [];
  let filesChecked = 0;
  runCli(['--version']);
  for (let i = 0; i < runs; i++) {
    const version = runCli(['--version']);
    if (version.status !== 0) throw new Error(`talos-oidc --version exited ${version.status}`);
    startup.push(version.wallMs);
    const lint = runCli(['lint', folder]);
    assertLinted(lint, `of ${workspace.files.length} files`);
    filesChecked = Number(/ in (\d+) files?\n?$/.exec(lint.stdout)?.[1] ?? 0);
    total.push(lint.wallMs);
  }
  const totalMs = median(total);
  const startupMs = median(startup);
  return {
    files: workspace.files.length,
    bytes: workspace.bytes,
    filesChecked,
    totalMs: round(totalMs),
    startupMs: round(startupMs),
    beyondStartupMs: round(totalMs - startupMs),
    runs,
  };
}

export interface PeakRssFigure {
  lines: number;
  bytes: number;
  /**
   * Whether lint checked the file. It gives up on a file whose parse takes over its CPU budget
   * (exit 2, "Not checked: the file took too long to parse"); the memory is then not a full check's.
   */
  checked: boolean;
  /** lint's own words when it did not check the file. */
  notCheckedReason?: string;
  /** The highest of the runs' peak resident set sizes, in MB (MiB). */
  peakRssMb: number;
  wallMs: number;
  runs: number;
}

/** `talos-oidc lint` of one large config, in a process of its own: its peak resident memory. */
export function cliPeakRssFigure(folder: string, lines = 20000, runs = 3): PeakRssFigure {
  const text = largeConfig(lines);
  const file = path.join(folder, `controlplane-${lines}.yaml`);
  writeFileSync(file, text);
  const reporter = path.join(folder, 'usage-reporter.cjs');
  writeFileSync(reporter, USAGE_REPORTER);
  const usageFile = path.join(folder, 'usage.json');
  const peaks: number[] = [];
  const times: number[] = [];
  let notCheckedReason: string | undefined;
  for (let i = 0; i < runs; i++) {
    rmSync(usageFile, { force: true });
    const run = runCli(['lint', file], ['--require', reporter], { TALOS_OIDC_BENCH_USAGE: usageFile });
    const gaveUp = run.status === 2 && /Not checked/.test(run.stderr);
    if (gaveUp) notCheckedReason = run.stderr.trim().split('\n')[0];
    else assertLinted(run, `of ${lines} lines`);
    if (!existsSync(usageFile)) throw new Error('the lint process reported no resource usage');
    peaks.push((JSON.parse(readFileSync(usageFile, 'utf8')) as { maxRssKb: number }).maxRssKb / 1024);
    times.push(run.wallMs);
  }
  return {
    lines: lineCount(text),
    bytes: Buffer.byteLength(text),
    checked: notCheckedReason === undefined,
    ...(notCheckedReason === undefined ? {} : { notCheckedReason }),
    peakRssMb: round(Math.max(...peaks), 1),
    wallMs: round(median(times)),
    runs,
  };
}

export interface HostileRun {
  wallMs: number;
  cpuMs: number;
  outcome: string;
}

export interface HostileFigure {
  name: string;
  bytes?: number;
  lint?: HostileRun;
  nodes?: HostileRun;
  peakRssMb?: number;
  /** Why there is no figure (the child failed). */
  error?: string;
  overLimit: boolean;
}

/** The hostile shapes' limits (issue 13): each must lint in under a second and 300 MB. */
export const HOSTILE_LIMIT_MS = 1000;
export const HOSTILE_LIMIT_MB = 300;

export function hostileFigures(): HostileFigure[] {
  const child = path.join(__dirname, 'shape-child.ts');
  return HOSTILE_SHAPES.map((shape): HostileFigure => {
    const run = spawnSync(process.execPath, [...process.execArgv, child, shape.name], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    const line = run.stdout.trim().split('\n').pop() ?? '';
    try {
      const figure = JSON.parse(line) as { bytes: number; lint: HostileRun; nodes: HostileRun; peakRssMb: number };
      const roundRun = (r: HostileRun): HostileRun => ({ ...r, wallMs: round(r.wallMs, 1), cpuMs: round(r.cpuMs, 1) });
      return {
        name: shape.name,
        bytes: figure.bytes,
        lint: roundRun(figure.lint),
        nodes: roundRun(figure.nodes),
        peakRssMb: round(figure.peakRssMb, 1),
        overLimit:
          figure.lint.wallMs > HOSTILE_LIMIT_MS ||
          figure.nodes.wallMs > HOSTILE_LIMIT_MS ||
          figure.peakRssMb > HOSTILE_LIMIT_MB,
      };
    } catch {
      const reason = run.stderr.trim().split('\n').slice(0, 3).join(' ');
      return { name: shape.name, error: `exit ${run.status}: ${reason}`, overLimit: true };
    }
  });
}

export function makeScratchFolder(): { folder: string; remove: () => void } {
  const folder = mkdtempSync(path.join(tmpdir(), 'talos-oidc-bench-'));
  return { folder, remove: () => rmSync(folder, { recursive: true, force: true }) };
}
