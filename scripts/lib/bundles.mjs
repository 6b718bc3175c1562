// The bundles `npm run build` writes to dist/, in one list for the build and the package test.
//
// A lazy bundle is loaded on first use, never at activation: another bundle loads it with a plain
// `require('./path/to/entry')` of the entry's source module (`import type` for its types), and
// the build turns that require into `require('./<name>.js')`, a file beside it in dist/. A static
// `import` of a lazy entry is a build error, so a lazy part cannot slip into the start-up bundle.
// The command line is one file and inlines them all (the require stays lazy there too).
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The extension's start-up bundle (package.json `main`). */
export const extensionBundle = { entry: 'src/extension/extension.ts', name: 'extension' };

/** Loaded on first use. */
export const lazyBundles = [
  // Every command's UI code, the generators, the provider setup guides, the checks' explanations.
  { entry: 'src/extension/lazy/commands.ts', name: 'lazy-commands' },
  // openid-client / oauth4webapi and the loopback listener: the first test login.
  { entry: 'src/extension/lazy/login.ts', name: 'lazy-login' },
  // @kubernetes/client-node: the first live-cluster command.
  { entry: 'src/extension/lazy/cluster.ts', name: 'lazy-cluster' },
  // @marcbachmann/cel-js: the first CEL expression in a configuration.
  { entry: 'src/core/authn/celEngine.ts', name: 'lazy-cel' },
  // What the side panel's rows say (summaries, bindings, kubeconfig users, kubelogin install rows).
  { entry: 'src/extension/view/treeContent.ts', name: 'lazy-view' },
];

/** The `talos-oidc` command line (package.json `bin`); not in the .vsix. */
export const cliBundle = { entry: 'src/cli/main.ts', name: 'cli' };

/** Browser bundles for webviews. */
export const webBundles = [{ entry: 'src/webview/claims/main.ts', name: 'webview-claims' }];

/** Turns `require()` of a lazy bundle's entry into a require of its file in dist/. */
export function lazyBundlesPlugin(self) {
  const lazyByPath = new Map(lazyBundles.map((bundle) => [resolve(projectRoot, bundle.entry), bundle.name]));
  return {
    name: 'lazy-bundles',
    setup(build) {
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        const target = [`${args.path}.ts`, `${args.path}/index.ts`, args.path]
          .map((candidate) => resolve(args.resolveDir, candidate))
          .find((candidate) => lazyByPath.has(candidate));
        const name = target && lazyByPath.get(target);
        if (!name || name === self) return undefined;
        if (args.kind !== 'require-call') {
          return {
            errors: [
              {
                text: `${args.path} is the entry of the lazy bundle dist/${name}.js: load it with require() on first use (import only its types)`,
              },
            ],
          };
        }
        return { path: `./${name}.js`, external: true };
      });
    },
  };
}

/**
 * esbuild options of a Node bundle (the extension's, a lazy one or the command line), without the
 * production/watch switches the caller adds.
 * @param {{ entry: string, name: string }} bundle
 */
export function nodeBundleOptions(bundle) {
  const cli = bundle.name === cliBundle.name;
  return {
    bundle: true,
    absWorkingDir: projectRoot,
    entryPoints: { [bundle.name]: bundle.entry },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    banner: cli ? { js: '#!/usr/bin/env node' } : undefined,
    plugins: cli ? [] : [lazyBundlesPlugin(bundle.name)],
    // yaml's ES module build (the same parser as its CommonJS build, which the command line and
    // the tests use) lets esbuild leave out what the extension never calls: 16 KB at start-up.
    // It differs only in printing warnings with console.warn and reading !!binary into a Uint8Array.
    alias: cli ? undefined : { yaml: resolve(projectRoot, 'node_modules/yaml/browser/index.js') },
  };
}
