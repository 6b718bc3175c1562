// The bundles `npm run build` writes to dist/, in one list for the build and the package test.
//
// A lazy bundle is loaded on first use, never at activation: another bundle loads it with a plain
// `require('./path/to/entry')` of the entry's source module (`import type` for its types), and
// the build turns that require into `require('./<name>.js')`, a file beside it in dist/. A static
// `import` of a lazy entry is a build error, so a lazy part cannot slip into the start-up bundle.
// The command line is one file and inlines them all (the require stays lazy there too).

/** The extension's start-up bundle (package.json `main`). */
export const extensionBundle = { entry: 'src/extension/extension.ts', name: 'extension' };

/** Loaded on first use. */
export const lazyBundles = [
  // Every command's UI code, the generators and the provider presets.
  { entry: 'src/extension/lazy/commands.ts', name: 'lazy-commands' },
  // openid-client / oauth4webapi and the loopback listener: the first test login.
  { entry: 'src/extension/lazy/login.ts', name: 'lazy-login' },
  // @kubernetes/client-node: the first live-cluster command.
  { entry: 'src/extension/lazy/cluster.ts', name: 'lazy-cluster' },
  // @marcbachmann/cel-js: the first CEL expression in a configuration.
  { entry: 'src/core/authn/celEngine.ts', name: 'lazy-cel' },
];

/** The `talos-oidc` command line (package.json `bin`); not in the .vsix. */
export const cliBundle = { entry: 'src/cli/main.ts', name: 'cli' };

/** Browser bundles for webviews. */
export const webBundles = [{ entry: 'src/webview/claims/main.ts', name: 'webview-claims' }];
