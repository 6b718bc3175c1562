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
  for (let i = 0; padding.length < lines; i++) padding.push(`      - https://example.com/manifests/${i}.yaml # manifest ${i}`);
  return base.replace(/\n?$/, '\n') .replace(/^cluster:\n/m, `cluster:\n${padding.join('\n')}\n`);
}

const results: [string, string][] = [];
const index = new WorkspaceIndex();
for (const name of ['legacy/crb.yaml', 'multidoc/rbac.yaml']) index.update(parseYamlFile(name, fixture(name)));

for (const lines of [200, 2000, 20000]) {
  const text = largeConfig(lines);
  const actual = text.split('\n').length;
  const ms = measure(() => {
    const parsed = parseYamlFile('controlplane.yaml', text);
    checkFile(parsed, index);
  }, lines > 5000 ? 5 : 20);
  results.push([`parse + check a ${actual}-line Talos config`, `${ms.toFixed(2)} ms`]);
}

const parsed = parseYamlFile('controlplane.yaml', fixture('legacy/controlplane.yaml'));
const { model } = talosAuthenticator(parsed);
if (!model) throw new Error('the legacy fixture should configure OIDC');
const issuer = model.jwt[0].issuer.url;
const claims = { iss: issuer, aud: model.jwt[0].issuer.audiences[0], sub: 'u-1', email: 'a@example.com', email_verified: true, groups: ['kubernetes'], exp: 2_000_000_000, iat: 1_700_000_000 };
const reviewMs = measure(() => { reviewToken(model, { claims }, 1_800_000_000); }, 2000, 300);
results.push(['token review (legacy flags model)', `${(reviewMs * 1000).toFixed(1)} µs`]);

for (const bundle of ['extension.js', 'lazy-login.js', 'lazy-cluster.js', 'cli.js']) {
  const file = path.join(root, 'dist', bundle);
  if (existsSync(file)) results.push([`dist/${bundle}`, `${(statSync(file).size / 1024).toFixed(0)} KiB`]);
}

const width = Math.max(...results.map(([label]) => label.length));
for (const [label, value] of results) console.log(`${label.padEnd(width)}  ${value}`);
