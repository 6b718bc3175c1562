import * as vscode from 'vscode';
import type { ProcessRunner } from '../../core/kubelogin/process';
import { DisposableOwner } from '../lifecycle';

/**
 * The programs the extension starts for its probes and the environment whose PATH it searches:
 * this process's own. Only the integration tests swap them (through the hooks in testHooks.ts),
 * so a test does not depend on what the machine has installed.
 */
export interface HostSystem {
  /** Runs the kubelogin probes; undefined: start the real programs. */
  readonly runner: ProcessRunner | undefined;
  /** The environment whose PATH (and PATHEXT) program lookups search. */
  readonly env: NodeJS.ProcessEnv;
  /** The runner or the environment changed: what was probed or looked up before is stale. */
  readonly onDidChange: vscode.Event<void>;
}

export class ProcessHostSystem extends DisposableOwner implements HostSystem {
  private replacementRunner: ProcessRunner | undefined;
  private replacementEnv: NodeJS.ProcessEnv | undefined;
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;

  get runner(): ProcessRunner | undefined {
    return this.replacementRunner;
  }

  get env(): NodeJS.ProcessEnv {
    return this.replacementEnv ?? process.env;
  }

  /** `undefined` goes back to the real programs. */
  useRunner(runner: ProcessRunner | undefined): void {
    this.replacementRunner = runner;
    this.changed.fire();
  }

  /** `undefined` goes back to this process's environment. */
  useEnvironment(env: NodeJS.ProcessEnv | undefined): void {
    this.replacementEnv = env;
    this.changed.fire();
  }
}
