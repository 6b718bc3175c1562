// The same extension-host suite as `npm run test:integration`, in desktop VS Code through
// @vscode/test-electron. For machines that can download VS Code (it fetches a build into
// .vscode-test/ on first use); where only the npm registry is reachable, use
// `npm run test:integration` (code-server) instead. On a Linux machine without a display, run it
// under Xvfb:  xvfb-run -a node scripts/run-integration-electron.mjs
//
//   VSCODE_VERSION=stable|insiders|1.100.3   which VS Code to download (default: stable)
import { runTests } from '@vscode/test-electron';
import { projectRoot } from './lib/code-server.mjs';
import { buildExtension, bundleSuite, copyFixtureWorkspace, suiteEntry } from './lib/integration-suite.mjs';
import { cleanupAll, makeTempDir } from './lib/processes.mjs';

let exitCode;
try {
  await buildExtension();
  await bundleSuite();
  const workspace = copyFixtureWorkspace();
  exitCode = await runTests({
    version: process.env.VSCODE_VERSION ?? 'stable',
    extensionDevelopmentPath: projectRoot,
    extensionTestsPath: suiteEntry,
    // The test-only commands of src/extension/testHooks.ts.
    extensionTestsEnv: { TALOS_OIDC_TEST_HOOKS: '1' },
    launchArgs: [
      workspace,
      // Only this extension: the user's own extensions and settings stay out of the run.
      '--disable-extensions',
      '--user-data-dir',
      makeTempDir('talos-oidc-electron-user-'),
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
    ],
  });
} catch (error) {
  console.error(`[integration/electron] ${error instanceof Error ? error.message : error}`);
  exitCode = 1;
} finally {
  cleanupAll();
}
process.exit(exitCode);
