// Entry of the extension-host test suite: VS Code (code-server here, desktop VS Code under
// @vscode/test-electron) loads this module inside its extension host and awaits `run()`.
// The harness bundles it with every suite file to out/test/integration/, keeping the suite files
// as separate modules next to it, so they are found on disk rather than listed here.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

/** Every compiled `*.test.js` under the folder, sorted so that runs are repeatable. */
function findTestFiles(folder: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(folder).sort()) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) found.push(...findTestFiles(path));
    else if (name.endsWith('.test.js')) found.push(path);
  }
  return found;
}

export async function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: false,
    // The first test in a fresh window also waits for the extension to activate.
    timeout: Number(process.env.INTEGRATION_TEST_TIMEOUT_MS ?? 60_000),
    // A subset can be chosen from outside: INTEGRATION_GREP="diagnostics" npm run test:integration
    grep: process.env.INTEGRATION_GREP || undefined,
  });
  const files = findTestFiles(join(__dirname, 'suite'));
  if (files.length === 0) throw new Error(`no *.test.js files under ${join(__dirname, 'suite')}`);
  for (const file of files) mocha.addFile(file);
  await new Promise<void>((resolve, reject) => {
    const runner = mocha.run((failures) => {
      console.log(`${runner.stats?.passes ?? 0} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
  });
}
