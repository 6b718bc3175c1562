// `npm test`: everything from a fresh clone. First the prelude that `npm start` shares (Debian
// packages, npm ci when node_modules is missing or stale), then the Go-built test components
// (a failed build shows here, early; each suite that needs the tool decides what it means),
// then every suite in order, stopping at the first failure.
//
//   npm test                      the whole chain
//   npm test -- test:browser ...  only the named steps (after the same prelude)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrap, goVersion } from './lib/bootstrap.mjs';

/** The test chain: one npm script per line, run in this order. */
const CHAIN = [
  'build',
  'typecheck',
  'lint',
  'test:unit',
  'test:conformance',
  'test:talos',
  'test:grammar',
  'test:integration',
  'test:browser',
  'test:e2e',
  'test:fresh',
];

const projectRoot = join(import.meta.dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

bootstrap('test');

if (existsSync(join(projectRoot, 'test', 'go'))) {
  if (goVersion()) {
    console.log('[setup] Go-built test components: node scripts/go-tools.mjs');
    const tools = spawnSync(process.execPath, [join(projectRoot, 'scripts', 'go-tools.mjs')], {
      cwd: projectRoot,
      stdio: 'inherit',
    });
    if (tools.status !== 0)
      console.log('[setup] some Go tools did not build (above); the suites that need them report it');
  } else {
    console.log('[setup] Go is not installed: the suites that need Go-built components report it');
  }
}

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !CHAIN.includes(name));
if (unknown.length) {
  console.error(`unknown test step ${unknown.join(', ')}; the chain is: ${CHAIN.join(', ')}`);
  process.exit(2);
}
const started = Date.now();
let passedSteps = 0;
for (const step of requested.length ? requested : CHAIN) {
  console.log(`\n=== npm run ${step}`);
  const stepStarted = Date.now();
  const result = spawnSync(npm, ['run', '--silent', step], { cwd: projectRoot, stdio: 'inherit' });
  const seconds = Math.round((Date.now() - stepStarted) / 1000);
  if (result.status !== 0) {
    console.error(`\n=== ${step} failed (exit ${result.status ?? result.signal}) after ${seconds} s`);
    console.log(`steps: ${passedSteps} passed, 1 failed`);
    process.exit(result.status ?? 1);
  }
  passedSteps += 1;
  console.log(`=== ${step} passed in ${seconds} s`);
}
console.log(`\nall steps passed in ${Math.round((Date.now() - started) / 1000)} s`);
// The plain closing line CI reads: steps of the chain, each a whole suite.
console.log(`steps: ${passedSteps} passed, 0 failed`);
