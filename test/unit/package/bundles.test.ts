// What the extension loads at activation (dist/extension.js) and what waits for first use, as the
// build makes it: built in memory with the build's own options and read from esbuild's metafile.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { extensionBundle, lazyBundles, nodeBundleOptions } from '../../../scripts/lib/bundles.mjs';

const root = join(__dirname, '..', '..', '..');

async function inputsOf(bundle: { entry: string; name: string }): Promise<string[]> {
  const result = await esbuild.build({
    ...nodeBundleOptions(bundle),
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return Object.values(result.metafile.outputs).flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([file]) => file),
  );
}

describe('the start-up bundle and the lazy ones', function () {
  this.timeout(60_000);
  let startUp: string[];
  before(async () => {
    startUp = await inputsOf(extensionBundle);
  });

  it('activation loads the parser and the checks, but no CEL library, login, cluster client or command code', () => {
    assert.ok(
      startUp.some((file) => file.endsWith('src/core/checks/index.ts')),
      'the checks are not in the start-up bundle',
    );
    const heavy = startUp.filter((file) =>
      /node_modules\/(@marcbachmann\/cel-js|openid-client|oauth4webapi|@kubernetes\/client-node)\//.test(file),
    );
    assert.deepEqual(heavy, []);
    // (generate/migrate.ts is there for the code action's cheap `legacyOidcArgs` test; the migration
    // itself comes from the lazy bundle, which esbuild's tree shaking keeps out of this one.)
    const lazyCode = startUp.filter(
      (file) =>
        /src\/extension\/\w+\/\w+Command\.ts$/.test(file) ||
        /src\/core\/(authn\/celEngine|providers\/guides|checks\/explanations|generate\/insert)\.ts$/.test(file),
    );
    assert.deepEqual(lazyCode, []);
  });

  it('each lazy entry is reached from the start-up bundle only through a require of its dist file', async () => {
    for (const bundle of lazyBundles) {
      assert.ok(!startUp.includes(bundle.entry), `${bundle.entry} is bundled into dist/extension.js`);
    }
    const commands = await inputsOf(lazyBundles.find((bundle) => bundle.name === 'lazy-commands')!);
    assert.ok(commands.some((file) => file.endsWith('src/extension/cluster/applyToTalosCommand.ts')));
    assert.ok(
      !commands.some((file) => file.includes('node_modules/@marcbachmann/cel-js/')),
      'CEL copied into lazy-commands',
    );
  });

  it('a static import of a lazy entry fails the build', async () => {
    await assert.rejects(
      esbuild.build({
        ...nodeBundleOptions(extensionBundle),
        entryPoints: undefined,
        stdin: {
          contents: "import { compileCel } from './celEngine'; export const cel = compileCel;",
          resolveDir: join(root, 'src', 'core', 'authn'),
          loader: 'ts',
        },
        write: false,
        logLevel: 'silent',
      }),
      /entry of the lazy bundle dist\/lazy-cel\.js: load it with require\(\) on first use/,
    );
  });
});
