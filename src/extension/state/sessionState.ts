import * as vscode from 'vscode';
import { DisposableOwner } from '../lifecycle';
import type { LastLoginVerdict, SessionState } from '../services';

/** This window's last test-login verdict; kept in memory only (it is derived from a token). */
export class InMemorySessionState extends DisposableOwner implements SessionState {
  private verdict: LastLoginVerdict | undefined;
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;

  get lastLogin(): LastLoginVerdict | undefined {
    return this.verdict;
  }

  setLastLogin(verdict: LastLoginVerdict | undefined): void {
    this.verdict = verdict;
    this.changed.fire();
  }
}
