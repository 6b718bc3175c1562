// Bundles the extension, its lazily loaded parts, the command line and the webview scripts.
// Each heavy dependency (openid-client, @kubernetes/client-node) lives in its own bundle so the
// extension's start-up bundle stays small; the extension `require`s them on first use.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Node bundles: [entry, output name]. An entry that does not exist yet is skipped. */
const nodeEntries = [
  ['src/extension/extension.ts', 'extension'],
  ['src/extension/lazy/login.ts', 'lazy-login'],
  ['src/extension/lazy/cluster.ts', 'lazy-cluster'],
  ['src/cli/main.ts', 'cli'],
];
/** Browser bundles for webviews. */
const webEntries = [['src/webview/claims/main.ts', 'webview-claims']];

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

const builds = [];
for (const [entry, name] of nodeEntries) {
  if (!existsSync(entry)) continue;
  builds.push({
    ...common,
    entryPoints: { [name]: entry },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    banner: name === 'cli' ? { js: '#!/usr/bin/env node' } : undefined,
  });
}
for (const [entry, name] of webEntries) {
  if (!existsSync(entry)) continue;
  builds.push({
    ...common,
    entryPoints: { [name]: entry },
    outdir: 'dist',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  });
}

if (watch) {
  // The lines the editor's background task waits for (.vscode/tasks.json): "started" when the
  // first bundle starts rebuilding, "finished" when the last one of that round is done.
  let building = 0;
  let errors = 0;
  const announce = {
    name: 'announce',
    setup(build) {
      build.onStart(() => {
        if (building++ === 0) {
          errors = 0;
          console.log('[watch] build started');
        }
      });
      build.onEnd((result) => {
        errors += result.errors.length;
        if (--building === 0) console.log(`[watch] build finished with ${errors} errors`);
      });
    },
  };
  for (const options of builds) await (await esbuild.context({ ...options, plugins: [announce] })).watch();
  console.log('watching for changes');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
