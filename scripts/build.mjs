// Bundles the extension, its lazily loaded parts, the command line and the webview scripts.
// Only what activation needs is in dist/extension.js; the rest is in lazy bundles required on
// first use (scripts/lib/bundles.mjs says which and how).
//
//   node scripts/build.mjs [--production] [--watch] [--analyze]
//
// --analyze prints, for each Node bundle, its size and what it is made of (in KB of output,
// from esbuild's metafile): each npm package, and each folder of src/.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import { cliBundle, extensionBundle, lazyBundles, nodeBundleOptions, webBundles } from './lib/bundles.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const analyze = process.argv.includes('--analyze');

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
  metafile: analyze,
};

const builds = [];
for (const bundle of [extensionBundle, ...lazyBundles, cliBundle]) {
  if (!existsSync(bundle.entry)) continue;
  builds.push({ ...common, ...nodeBundleOptions(bundle) });
}
for (const { entry, name } of webBundles) {
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

/** The part of the bundle an input belongs to: its npm package, or its folder under src/. */
function partOf(input) {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (pkg) return pkg[1];
  const parts = input.split('/');
  return parts.slice(0, parts[0] === 'src' && parts.length > 3 ? 3 : parts.length).join('/');
}

function printAnalysis(result) {
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    if (!file.endsWith('.js')) continue;
    const parts = new Map();
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      parts.set(partOf(input), (parts.get(partOf(input)) ?? 0) + bytesInOutput);
    }
    const kb = (bytes) => `${(bytes / 1024).toFixed(1).padStart(7)} KB`;
    console.log(`${file}: ${kb(output.bytes).trim()}`);
    for (const [part, bytes] of [...parts].sort((a, b) => b[1] - a[1])) {
      if (bytes > 0) console.log(`  ${kb(bytes)}  ${part}`);
    }
  }
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
  const results = await Promise.all(builds.map((options) => esbuild.build(options)));
  if (analyze) results.forEach((result) => result.metafile && printAnalysis(result));
}
