// Builds the Marketplace package (.vsix) of the extension: a production build, then
// @vscode/vsce with the files .vscodeignore keeps (bundled code, media, grammar, snippets,
// README, licence, manifest). Runtime dependencies are bundled by esbuild, hence --no-dependencies.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './code-server.mjs';
import { run } from './processes.mjs';

/** @returns {{ name: string, publisher: string, version: string }} */
export function readManifest() {
  return JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8'));
}

/** @param {string[]} args */
async function runNode(args) {
  const { code } = await run(process.execPath, args, { cwd: projectRoot });
  return code;
}

/**
 * @param {{ outFile?: string }} [options]
 * @returns {Promise<string>} the path of the .vsix
 */
export async function packageVsix(options = {}) {
  const manifest = readManifest();
  const outFile = options.outFile ?? join(projectRoot, `${manifest.name}-${manifest.version}.vsix`);
  if ((await runNode([join(projectRoot, 'scripts', 'build.mjs'), '--production'])) !== 0) {
    throw new Error('the production build failed (see above)');
  }
  const main = join(projectRoot, 'dist', 'extension.js');
  if (!existsSync(main)) throw new Error(`the build made no ${main}; is src/extension/extension.ts there?`);
  const vsce = join(projectRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  const code = await runNode([vsce, 'package', '--no-dependencies', '--out', outFile]);
  if (code !== 0 || !existsSync(outFile)) throw new Error(`vsce package failed (exit ${code}; see above)`);
  console.log(`packaged ${outFile} (${Math.round(statSync(outFile).size / 1024)} KB)`);
  return outFile;
}
