// What the .vsix carries, as vsce itself decides it from .vscodeignore: a copy of the packaged
// folders plus stand-ins for every bundle the build writes (the command-line bundle and source
// maps included), listed by `vsce ls`. Catches a pattern that lets screenshots or dist/cli.js in,
// and one that drops a file the manifest points at.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliBundle, extensionBundle, lazyBundles, webBundles } from '../../../scripts/lib/bundles.mjs';

const root = join(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** Every file the manifest points at (main, icons, walkthrough media, grammars, snippets). */
function filesTheManifestNeeds(): string[] {
  const files = [manifest.main, manifest.icon, 'README.md', 'LICENSE', 'package.json'];
  const contributes = manifest.contributes;
  for (const grammar of contributes.grammars ?? []) files.push(grammar.path);
  for (const snippet of contributes.snippets ?? []) files.push(snippet.path);
  for (const container of contributes.viewsContainers?.activitybar ?? []) files.push(container.icon);
  for (const walkthrough of contributes.walkthroughs ?? []) {
    for (const step of walkthrough.steps) if (step.media?.markdown) files.push(step.media.markdown);
  }
  return [...new Set(files.map((file: string) => file.replace(/^\.\//, '')))];
}

describe('the .vsix file list', function () {
  this.timeout(120_000);
  let listed: string[];
  let folder: string;

  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'talos-oidc-vsix-'));
    for (const name of ['package.json', '.vscodeignore', 'README.md', 'LICENSE', 'media', 'syntaxes', 'snippets']) {
      cpSync(join(root, name), join(folder, name), { recursive: true });
    }
    // What `npm run build -- --production` writes (sources and maps left out of the package).
    mkdirSync(join(folder, 'dist'));
    const bundles = [extensionBundle, ...lazyBundles, ...webBundles, cliBundle].map((bundle) => bundle.name);
    for (const name of bundles.flatMap((bundle) => [`${bundle}.js`, `${bundle}.js.map`])) {
      writeFileSync(join(folder, 'dist', name), '// stand-in\n');
    }
    for (const name of [
      'src/core/x.ts',
      'test/unit/x.test.ts',
      'scripts/start.mjs',
      '.cache/playground/ca/ca.key',
      'test-results/a.png',
    ]) {
      mkdirSync(join(folder, name, '..'), { recursive: true });
      writeFileSync(join(folder, name), 'x\n');
    }
    const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
    const output = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: folder, encoding: 'utf8' });
    listed = output
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
  });

  after(() => rmSync(folder, { recursive: true, force: true }));

  it('leaves out the README screenshots, the command-line bundle, source maps and everything outside the runtime', () => {
    assert.ok(listed.length > 5, `vsce listed almost nothing:\n${listed.join('\n')}`);
    const unwanted = listed.filter(
      (file) =>
        /^media\/screenshots\//.test(file) ||
        file === 'dist/cli.js' ||
        file.endsWith('.map') ||
        /^(src|test|scripts|\.cache|test-results|node_modules)\//.test(file),
    );
    assert.deepEqual(unwanted, []);
  });

  it('keeps every file the manifest points at and the lazily loaded bundles', () => {
    const needed = [
      ...filesTheManifestNeeds(),
      ...[...lazyBundles, ...webBundles].map((bundle) => `dist/${bundle.name}.js`),
      'media/webview/claims.css',
    ];
    for (const file of needed)
      assert.ok(
        existsSync(join(root, file)) || file.startsWith('dist/'),
        `the manifest names ${file}, which is not in the project`,
      );
    assert.deepEqual(
      needed.filter((file) => !listed.includes(file)),
      [],
    );
  });

  it('holds nothing but what the two lists above allow', () => {
    const allowed =
      /^(package\.json|README\.md|LICENSE|dist\/(extension|lazy-[\w-]+|webview-[\w-]+)\.js|media\/icon\.png|media\/(walkthrough|webview)\/[\w.-]+|syntaxes\/[\w.-]+|snippets\/[\w.-]+)$/;
    assert.deepEqual(
      listed.filter((file) => !allowed.test(file)),
      [],
    );
  });
});
