import type * as vscode from 'vscode';
import type { ParsedFile } from '../core/workspace/types';
import type { WorkspaceIndex } from '../core/workspace/workspaceIndex';
import type { TokenReview } from '../core/authn/types';
import type { Finding } from '../core/checks/finding';
import type { TalosOidcSettings } from './settings';
import type { HostSystem } from './state/hostSystem';

/**
 * What `activate` builds once and hands to every feature's `register…(services)` function.
 * Features never create their own global listeners outside what they return as a Disposable.
 */
export interface ExtensionServices {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly workspace: WorkspaceModel;
  readonly secrets: ClientSecretStore;
  readonly session: SessionState;
  /** The programs and PATH the probes use (the real ones outside the integration tests). */
  readonly system: HostSystem;
  settings(scope?: vscode.ConfigurationScope): TalosOidcSettings;
  /**
   * The core's checks on one file against the workspace, with the window's settings. Commands call
   * this rather than the checks themselves, so the lazily loaded commands bundle carries no copy of
   * them (one copy of their code and caches per window).
   */
  check(parsed: ParsedFile): Finding[];
}

/** The parsed YAML files of the workspace, kept current by a file watcher and open editors. */
export interface WorkspaceModel {
  readonly index: WorkspaceIndex;
  /** The parsed form of an open document or workspace file (parsing on demand). */
  parsed(uri: vscode.Uri): Promise<ParsedFile | undefined>;
  /** Talos configs / patches / AuthenticationConfigurations known in the workspace. */
  authConfigs(): ParsedFile[];
  readonly onDidChange: vscode.Event<void>;
}

/** Client secrets live in VS Code's secret storage only, keyed by issuer and client ID. */
export interface ClientSecretStore {
  get(issuerUrl: string, clientId: string): Promise<string | undefined>;
  set(issuerUrl: string, clientId: string, secret: string): Promise<void>;
  delete(issuerUrl: string, clientId: string): Promise<void>;
}

/** Results of this window's actions that views show (never persisted with tokens). */
export interface SessionState {
  readonly lastLogin: LastLoginVerdict | undefined;
  setLastLogin(verdict: LastLoginVerdict | undefined): void;
  readonly onDidChange: vscode.Event<void>;
}

export interface LastLoginVerdict {
  issuerUrl: string;
  configFile?: string;
  review: TokenReview;
  at: number;
}
