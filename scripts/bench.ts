// Benchmarks of the paths a user waits on: parsing and checking a config as they type, the
// token review, and the size of what VS Code loads at start-up. Run with `npm run bench`
// (after `npm run build`). Prints medians over repeated runs in one process, warm.
import { readFileSync, statSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { parseYamlFile } from '../src/core/workspace/parse';
import { WorkspaceIndex } from '../src/core/workspace/index';
import { checkFile } from '../src/core/checks/index';
import { talosAuthenticator } from '../src/core/talos/authenticator';
import { reviewToken } from '../src/core/authn/index';
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { nodeAddressesFromConfig } from '../src/core/talosctl/nodes';
import { HOSTILE_SHAPES } from '../test/support/hostileShapes';

// Hostile shapes (issue 13): each in its own process, so that its peak memory is its own. The
// child parses and checks the file as `talos-oidc lint` and the editor do, then the node
// suggestions read it, and prints one JSON line.
const shapeArg = process.argv.indexOf('--shape');
if (shapeArg !== -1) {
  const shape = HOSTILE_SHAPES.find((candidate) => candidate.name === process.argv[shapeArg + 1]);
  if (!shape) throw new Error(`no shape ${process.argv[shapeArg + 1]}`);
  const text = shape.text();
  const measureOnce = (work: () => string) => {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const outcome = work();
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, outcome };
  };
  const lint = measureOnce(() => {
    const parsed = parseYamlFile('hostile.yaml', text);
    const findings = checkFile(parsed, new WorkspaceIndex());
    if (parsed.notChecked) return `not checked (${parsed.notChecked})`;
    return parsed.skipped
      ? 'skipped (binary)'
      : `${parsed.yamlProblems.length} syntax problems, ${findings.length} findings`;
  });
  const nodes = measureOnce(() => `${nodeAddressesFromConfig(text).length} node suggestions`);
  console.log(JSON.stringify({ bytes: text.length, lint, nodes, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
  process.exit(0);
}

const root = path.join(__dirname, '..');
const fixture = (name: string) => readFileSync(path.join(root, 'test/fixtures/configs', name), 'utf8');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Runs `work` until `minRuns` runs and `minMs` have passed; returns the median milliseconds. */
function measure(work: () => void, minRuns = 20, minMs = 500): number {
  for (let i = 0; i < 3; i++) work();
  const times: number[] = [];
  const started = performance.now();
  while (times.length < minRuns || performance.now() - started < minMs) {
    const t0 = performance.now();
    work();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** A realistic large machine config: the correct legacy config plus many inline manifests lines. */
function largeConfig(lines: number): string {
  const base = fixture('legacy/controlplane.yaml');
  const padding: string[] = ['    extraManifests:'];
  for (let i = 0; padding.length < lines; i++)
    padding.push(`      - https://example.com/manifests/${i}.yaml # manifest ${i}`);
  return base.replace(/\n?$/, '\n').replace(/^cluster:\n/m, `cluster:\n${padding.join('\n')}\n`);
}

const results: [string, string][] = [];
const index = new WorkspaceIndex();
for (const name of ['legacy/crb.yaml', 'multidoc/rbac.yaml']) index.update(parseYamlFile(name, fixture(name)));

for (const lines of [200, 2000, 20000]) {
  const text = largeConfig(lines);
  const actual = text.split('\n').length;
  const ms = measure(
    () => {
      const parsed = parseYamlFile('controlplane.yaml', text);
      checkFile(parsed, index);
    },
    lines > 5000 ? 5 : 20,
  );
  results.push([`parse + check a ${actual}-line Talos config`, `${ms.toFixed(2)} ms`]);
}

const parsed = parseYamlFile('controlplane.yaml', fixture('legacy/controlplane.yaml'));
const { model } = talosAuthenticator(parsed);
if (!model) throw new Error('the legacy fixture should configure OIDC');
const issuer = model.jwt[0].issuer.url;
const claims = {
  iss: issuer,
  aud: model.jwt[0].issuer.audiences[0],
  sub: 'u-1',
  email: 'a@example.com',
  email_verified: true,
  groups: ['kubernetes'],
  exp: 2_000_000_000,
  iat: 1_700_000_000,
};
const reviewMs = measure(
  () => {
    reviewToken(model, { claims }, 1_800_000_000);
  },
  2000,
  300,
);
results.push(['token review (legacy flags model)', `${(reviewMs * 1000).toFixed(1)} µs`]);

for (const bundle of ['extension.js', 'lazy-login.js', 'lazy-cluster.js', 'cli.js']) {
  const file = path.join(root, 'dist', bundle);
  if (existsSync(file)) results.push([`dist/${bundle}`, `${(statSync(file).size / 1024).toFixed(0)} KiB`]);
}

const LIMIT_MS = 1000;
const LIMIT_MB = 300;
let overLimit = 0;
for (const shape of HOSTILE_SHAPES) {
  const child = spawnSync(process.execPath, [...process.execArgv, __filename, '--shape', shape.name], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  const line = child.stdout.trim().split('\n').pop() ?? '';
  type Run = { wallMs: number; cpuMs: number; outcome: string };
  let figure: { bytes: number; lint: Run; nodes: Run; peakRssMb: number };
  try {
    figure = JSON.parse(line);
  } catch {
    results.push([
      `hostile: ${shape.name}`,
      `FAILED (exit ${child.status}): ${child.stderr.trim().split('\n').slice(0, 3).join(' ')}`,
    ]);
    overLimit++;
    continue;
  }
  const over = figure.lint.wallMs > LIMIT_MS || figure.nodes.wallMs > LIMIT_MS || figure.peakRssMb > LIMIT_MB;
  if (over) overLimit++;
  const run = (label: string, r: Run) => `${label} ${r.wallMs.toFixed(0)} ms (${r.cpuMs.toFixed(0)} ms CPU)`;
  results.push([
    `hostile: ${shape.name} (${(figure.bytes / 1024 / 1024).toFixed(1)} MB)`,
    `${run('lint', figure.lint)}, ${run('node suggestions', figure.nodes)}, ${figure.peakRssMb.toFixed(0)} MB peak RSS; ${figure.lint.outcome}${over ? '  OVER THE LIMIT' : ''}`,
  ]);
}
results.push([
  'hostile shapes over 1 s or 300 MB',
  `${overLimit} (load average ${loadavg()
    .map((n) => n.toFixed(1))
    .join(' ')} on ${cpus().length} CPUs)`,
]);

const width = Math.max(...results.map(([label]) => label.length));
for (const [label, value] of results) console.log(`${label.padEnd(width)}  ${value}`);
