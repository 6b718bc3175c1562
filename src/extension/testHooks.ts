/**
 * Commands for the integration tests only, registered only when the test runner sets
 * TALOS_OIDC_TEST_HOOKS=1 in the extension host's environment (never contributed in package.json,
 * so never in the palette): they swap the programs and the PATH the extension probes, so the
 * tests do not depend on what the machine has installed. Not part of the extension's API.
 */
import * as vscode from 'vscode';
import type { ProcessRunner } from '../core/kubelogin/process';
import { TEST_HOOK, TEST_HOOKS_ENV } from './commandIds';
import type { ProcessHostSystem } from './state/hostSystem';

export function registerTestHooks(system: ProcessHostSystem): vscode.Disposable {
  if (process.env[TEST_HOOKS_ENV] !== '1') return new vscode.Disposable(() => undefined);
  return vscode.Disposable.from(
    vscode.commands.registerCommand(TEST_HOOK.useProcessRunner, (runner?: ProcessRunner) =>
      system.useRunner(typeof runner === 'function' ? runner : undefined),
    ),
    vscode.commands.registerCommand(TEST_HOOK.useEnvironment, (env?: NodeJS.ProcessEnv) =>
      system.useEnvironment(env !== null && typeof env === 'object' ? env : undefined),
    ),
  );
}
