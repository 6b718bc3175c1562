// The parts of an integration run that do not depend on the host: the build, the bundled suite,
// and a throwaway copy of the fixture workspace (the suite may change files in it).
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { projectRoot } from './code-server.mjs';
import { SHARED_WORKSPACE_FILES } from './fixture-workspace.mjs';
import { makeTempDir, run } from './processes.mjs';

export const suiteSource = join(projectRoot, 'test', 'integration');
export const suiteOut = join(projectRoot, 'out', 'test', 'integration');
/** The module VS Code loads as extensionTestsPath. */
export const suiteEntry = join(suiteOut, 'index.js');
export const fixtureWorkspace = join(projectRoot, 'test', 'fixtures', 'workspace');

/** @param {string} folder @returns {string[]} */
function findSuiteFiles(folder) {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .sort()
    .flatMap((name) => {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) return findSuiteFiles(path);
      return name.endsWith('.test.ts') ? [path] : [];
    });
}

/** Runs `npm run build` (scripts/build.mjs) and fails when it made no extension bundle. */
export async function buildExtension() {
  const build = await run(process.execPath, [join(projectRoot, 'scripts', 'build.mjs')], { cwd: projectRoot });
  if (build.code !== 0) throw new Error('`npm run build` failed (see above)');
  if (!existsSync(join(projectRoot, 'dist', 'extension.js'))) {
    throw new Error('the build made no dist/extension.js (is src/extension/extension.ts there?); nothing to test');
  }
}

/**
 * Bundles test/integration/index.ts and each suite file to out/test/integration, one module per
 * file so that index.js finds them on disk; `vscode` and `mocha` stay external.
 * @returns {Promise<number>} how many suite files there are
 */
export async function bundleSuite() {
  const suiteFiles = findSuiteFiles(join(suiteSource, 'suite'));
  rmSync(suiteOut, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [join(suiteSource, 'index.ts'), ...suiteFiles],
    outbase: suiteSource,
    outdir: suiteOut,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return suiteFiles.length;
}

/** A fresh copy of test/fixtures/workspace with the seed guide's files in it, removed at exit. */
export function copyFixtureWorkspace() {
  const workspace = join(makeTempDir('talos-oidc-it-'), 'workspace');
  cpSync(fixtureWorkspace, workspace, { recursive: true });
  for (const [target, source] of Object.entries(SHARED_WORKSPACE_FILES)) {
    mkdirSync(dirname(join(workspace, target)), { recursive: true });
    cpSync(join(projectRoot, 'test', 'fixtures', source), join(workspace, target));
  }
  return workspace;
}
