// `npm run test:grammar`: the YAML injection grammar (syntaxes/) against the YAML grammar of the
// VS Code that the integration tests use (code-server's built-in `yaml` extension, installed
// into .vscode-test/ on first use), so the scopes asserted here are the ones VS Code produces.
//   *.test.yaml            assertion tests (vscode-tmgrammar-test: `# ^^^ scope` comments)
//   snapshots/*.yaml       whole-file snapshots (vscode-tmgrammar-snap; `--update` rewrites them
//                          after a deliberate grammar change: review the .snap diff)
//   SHARED_SNAPSHOTS       snapshots of fixtures kept once elsewhere (the seed guide's config):
//                          only their .snap lives in snapshots/
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeServerHome, ensureCodeServer, projectRoot } from '../../scripts/lib/code-server.mjs';

/** snapshots/<name>.snap → the file it is a snapshot of, relative to the project. */
const SHARED_SNAPSHOTS = {
  'seed-guide-controlplane.yaml': 'test/fixtures/configs/guide/controlplane.yaml',
};

try {
  await ensureCodeServer();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
const yamlSyntaxes = join(codeServerHome, 'node_modules', 'code-server', 'lib', 'vscode', 'extensions', 'yaml', 'syntaxes');
const grammarArgs = readdirSync(yamlSyntaxes)
  .filter((name) => name.endsWith('.tmLanguage.json'))
  .flatMap((name) => ['-g', join(yamlSyntaxes, name)]);
const bin = join(projectRoot, 'node_modules', '.bin');
// The tools read the injection grammar from package.json's contributes.grammars.
const options = /** @type {const} */ ({ cwd: projectRoot, stdio: 'inherit' });

const update = process.argv.includes('--update');
const testDir = join(projectRoot, 'test', 'grammar');
const snapshotDir = join(testDir, 'snapshots');
/** @param {string} file */
const snapshot = (file) => ({
  tool: 'vscode-tmgrammar-snap',
  args: [...grammarArgs, '-s', 'source.yaml', file, ...(update ? ['--updateSnapshot'] : [])],
});
/**
 * The tool compares `<file>` with `<file>.snap` beside it, so a shared fixture is snapshotted as a
 * copy in a temporary folder, with its .snap copied there from snapshots/ (and back after --update).
 * @param {string} name @param {string} source
 */
function sharedSnapshot(name, source) {
  const dir = mkdtempSync(join(tmpdir(), 'talos-oidc-grammar-'));
  const file = join(dir, name);
  const snap = join(snapshotDir, `${name}.snap`);
  return {
    ...snapshot(file),
    before() {
      copyFileSync(join(projectRoot, source), file);
      if (existsSync(snap)) copyFileSync(snap, `${file}.snap`);
    },
    after() {
      if (update || !existsSync(snap)) copyFileSync(`${file}.snap`, snap);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
/** @type {{ tool: string, args: string[], before?: () => void, after?: () => void }[]} */
const runs = [
  ...readdirSync(testDir)
    .filter((name) => name.endsWith('.test.yaml'))
    .map((name) => ({ tool: 'vscode-tmgrammar-test', args: [...grammarArgs, `test/grammar/${name}`] })),
  ...readdirSync(snapshotDir)
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => snapshot(`test/grammar/snapshots/${name}`)),
  ...Object.entries(SHARED_SNAPSHOTS).map(([name, source]) => sharedSnapshot(name, source)),
];
let failed = 0;
for (const { tool, args, before, after } of runs) {
  before?.();
  if (spawnSync(join(bin, tool), args, options).status !== 0) failed += 1;
  after?.();
}
console.log(`${runs.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 && runs.length > 0 ? 0 : 1);
