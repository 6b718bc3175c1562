// Runs inside the extension host of a code-server whose extensions folder holds only the
// packaged talos-oidc (installed from the .vsix). Proves that the installed copy, not the source
// folder, is the one VS Code found, and that it activates.
const assert = require('node:assert/strict');
const path = require('node:path');
const vscode = require('vscode');

async function check() {
  const extensionsDir = process.env.TALOS_OIDC_VSIX_EXTENSIONS_DIR;
  assert.ok(extensionsDir, 'TALOS_OIDC_VSIX_EXTENSIONS_DIR is not set by the harness');
  const extension = vscode.extensions.getExtension('talos-oidc.talos-oidc');
  assert.ok(extension, 'talos-oidc.talos-oidc is not installed');
  const relative = path.relative(extensionsDir, extension.extensionPath);
  assert.ok(
    !relative.startsWith('..') && !path.isAbsolute(relative),
    `talos-oidc was loaded from ${extension.extensionPath}, not from the installed .vsix in ${extensionsDir}`,
  );
  await extension.activate();
  assert.equal(extension.isActive, true, 'the installed extension did not activate');
  // Without TALOS_OIDC_TEST_HOOKS=1 (which only the test runners set) no test-only command exists.
  const testHooks = (await vscode.commands.getCommands(true)).filter((id) => id.startsWith('talosOidc.test.'));
  assert.deepEqual(testHooks, [], 'the test-only commands are registered in a normal run');
  console.log(`vsix check: ${extension.id} ${extension.packageJSON.version} installed in ${relative} and active`);
}

exports.run = async function run() {
  try {
    await check();
    console.log('1 passed, 0 failed');
  } catch (error) {
    console.log(`vsix check failed: ${error instanceof Error ? error.message : error}`);
    console.log('0 passed, 1 failed');
    throw error;
  }
};
