// `npm run test:integration`: the extension-host suite (test/integration/suite/**/*.test.ts) in a
// real VS Code, code-server, loaded by headless Chromium; then the packaged .vsix installed into a
// fresh code-server and activated there. Exits with the suite's result.
//
//   --no-vsix             skip the packaged-extension check
//   --vsix-only           only the packaged-extension check
//   INTEGRATION_GREP=...  run only the tests whose title matches
//   INTEGRATION_TIMEOUT_MS   limit for one run of the suite (default 600000)
//   INTEGRATION_SHOW_SERVER_LOG=1  show code-server's own output
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { launchChromium, runExtensionTestsInPage } from './lib/browser.mjs';
import { ensureCodeServer, installVsix, projectRoot, startCodeServer, workbenchUrl } from './lib/code-server.mjs';
import { buildExtension, bundleSuite, copyFixtureWorkspace, suiteEntry, suiteOut } from './lib/integration-suite.mjs';
import { startLocalCluster } from './lib/kube-cluster.mjs';
import { packageVsix } from './lib/package-vsix.mjs';
import { cleanupAll, makeTempDir } from './lib/processes.mjs';

const timeoutMs = Number(process.env.INTEGRATION_TIMEOUT_MS ?? 600_000);
const showServerLog = process.env.INTEGRATION_SHOW_SERVER_LOG === '1';
const checkVsix = !process.argv.includes('--no-vsix');
const vsixOnly = process.argv.includes('--vsix-only');

/** @param {string} step @param {number} started */
function timed(step, started) {
  console.log(`[integration] ${step} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * Runs one suite in a fresh code-server and a fresh browser page.
 * @param {{ label: string, extensionDevelopmentPath: string, extensionTestsPath: string, workspace: string, extensionsDir?: string, env?: Record<string, string> }} options
 */
async function runSuite(options) {
  const started = Date.now();
  const server = await startCodeServer({
    workspace: options.workspace,
    extensionsDir: options.extensionsDir,
    showLog: showServerLog,
    env: options.env,
  });
  const browser = await launchChromium();
  try {
    const url = workbenchUrl(server.url, {
      folder: options.workspace,
      extensionDevelopmentPath: options.extensionDevelopmentPath,
      extensionTestsPath: options.extensionTestsPath,
    });
    const code = await runExtensionTestsInPage(browser, url, { timeoutMs, label: options.label });
    timed(`${options.label} finished with exit code ${code}`, started);
    return code;
  } catch (error) {
    if (!showServerLog) console.log(`--- code-server output ---\n${server.output()}`);
    throw error;
  } finally {
    await browser.close().catch(() => undefined);
    server.stop();
    await server.exited;
  }
}

/** The username and group the suite's bearer token stands for: what an OIDC user gets. */
const OIDC_USER = 'oidc:5d6f0c2e-1c1e-4c44-9d44-4a3f4d0b9f00';
const OIDC_GROUP = 'oidc:kubernetes';

/**
 * A real kube-apiserver (with etcd) for the cluster commands, told to the suite through the
 * environment: an admin kubeconfig and a bearer token for a user named like an OIDC user (from a
 * static token file: the commands do not care how a token authenticates; the OIDC authenticator
 * itself is tested end to end by `npm run test:e2e`). When it cannot start, the suite is told why.
 * @returns {Promise<Record<string, string>>}
 */
async function startClusterForSuite() {
  const started = Date.now();
  const token = randomBytes(24).toString('hex');
  const tokenFile = join(makeTempDir('talos-oidc-it-tokens-'), 'tokens.csv');
  writeFileSync(tokenFile, `${token},${OIDC_USER},oidc-user,"${OIDC_GROUP}"\n`);
  try {
    const cluster = await startLocalCluster({
      extraArgs: [`--token-auth-file=${tokenFile}`],
      log: (line) => console.log(`[integration] ${line}`),
    });
    timed(`kube-apiserver ready at ${cluster.url}`, started);
    return {
      TALOS_OIDC_IT_KUBECONFIG: cluster.adminKubeconfig,
      TALOS_OIDC_IT_TOKEN: token,
      TALOS_OIDC_IT_USER: OIDC_USER,
      TALOS_OIDC_IT_GROUP: OIDC_GROUP,
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    console.log(`[integration] no real kube-apiserver for the cluster commands: ${reason}`);
    return { TALOS_OIDC_IT_CLUSTER_ERROR: reason.slice(0, 4000) };
  }
}

async function main() {
  let started = Date.now();
  await buildExtension();
  const suiteCount = await bundleSuite();
  timed(`built the extension and bundled ${suiteCount} suite file(s) to ${relative(projectRoot, suiteOut)}`, started);

  started = Date.now();
  await ensureCodeServer();
  timed('host ready', started);

  // The suite may change files (quick fixes, insert commands): it works on a copy.
  const workspace = copyFixtureWorkspace();

  if (!vsixOnly) {
    const suiteCode = await runSuite({
      label: 'extension-host suite',
      extensionDevelopmentPath: projectRoot,
      extensionTestsPath: suiteEntry,
      workspace,
      // The test-only commands of src/extension/testHooks.ts.
      env: { ...(await startClusterForSuite()), TALOS_OIDC_TEST_HOOKS: '1' },
    });
    if (suiteCode !== 0 || !checkVsix) return suiteCode;
  }

  started = Date.now();
  const vsix = await packageVsix({ outFile: join(makeTempDir('talos-oidc-vsix-'), 'talos-oidc.vsix') });
  const extensionsDir = makeTempDir('talos-oidc-vsix-ext-');
  console.log(await installVsix(vsix, extensionsDir));
  timed('packaged and installed the .vsix', started);
  return runSuite({
    label: 'packaged .vsix check',
    extensionDevelopmentPath: join(projectRoot, 'scripts', 'lib', 'vsix-check'),
    extensionTestsPath: join(projectRoot, 'scripts', 'lib', 'vsix-check', 'check.js'),
    workspace,
    extensionsDir,
    env: { TALOS_OIDC_VSIX_EXTENSIONS_DIR: extensionsDir },
  });
}

let exitCode;
try {
  exitCode = await main();
} catch (error) {
  console.error(`[integration] ${error instanceof Error ? error.message : error}`);
  exitCode = 1;
} finally {
  cleanupAll();
}
process.exit(exitCode);
