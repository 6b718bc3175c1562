// `npm run test:grammar`: the YAML injection grammar (syntaxes/) against the YAML grammar of the
// VS Code that the integration tests use (code-server's built-in `yaml` extension, installed
// into .vscode-test/ on first use), so the scopes asserted here are the ones VS Code produces.
//   *.test.yaml            assertion tests (vscode-tmgrammar-test: `# ^^^ scope` comments)
//   snapshots/*.yaml       whole-file snapshots (vscode-tmgrammar-snap; `--update` rewrites them
//                          after a deliberate grammar change: review the .snap diff)
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { codeServerHome, ensureCodeServer, projectRoot } from '../../scripts/lib/code-server.mjs';

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
const runs = [
  ...readdirSync(testDir)
    .filter((name) => name.endsWith('.test.yaml'))
    .map((name) => ({ tool: 'vscode-tmgrammar-test', args: [...grammarArgs, `test/grammar/${name}`] })),
  ...readdirSync(join(testDir, 'snapshots'))
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => ({
      tool: 'vscode-tmgrammar-snap',
      args: [...grammarArgs, '-s', 'source.yaml', `test/grammar/snapshots/${name}`, ...(update ? ['--updateSnapshot'] : [])],
    })),
];
let failed = 0;
for (const { tool, args } of runs) {
  if (spawnSync(join(bin, tool), args, options).status !== 0) failed += 1;
}
console.log(`${runs.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 && runs.length > 0 ? 0 : 1);
