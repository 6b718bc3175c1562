/**
 * The one message protocol between the claims webview and the extension, used by both sides.
 * Everything in `ClaimsViewState` is safe to keep on disk (the webview persists it through
 * `setState` so the panel survives a window reload): it never holds the raw token. The token
 * travels only in a `token` message, sent when the user clicks "Reveal".
 */

export const CLAIMS_VIEW_TYPE = 'talosOidc.claims';

export type VerdictStatus = 'accepted' | 'rejected' | 'unknown' | 'no-config';

export interface VerdictView {
  status: VerdictStatus;
  /** The username the API server would give, e.g. `oidc:643c3fba-...`. */
  username: string | null;
  /** Groups from the token authenticator, prefixed, without `system:authenticated`. */
  groups: string[];
  /** The API server's own error text (rejected), or why the outcome cannot be predicted (unknown). */
  error: string | null;
  /** True when no authenticator's issuer matched the token's `iss` (`invalid bearer token`). */
  skipped: boolean;
  /** What to change, in words, most likely first. */
  fixes: string[];
  /** Notes that do not block the login but matter (e.g. no groups in the token). */
  warnings: string[];
  /** The Talos config (or AuthenticationConfiguration) the verdict was computed against. */
  config: { file: string; label: string } | null;
}

export interface BindingMatchView {
  kind: 'ClusterRoleBinding' | 'RoleBinding';
  name: string;
  namespace?: string;
  role: string;
  /** The subject that matched, e.g. `Group oidc:kubernetes`. */
  subject: string;
  file: string;
  label: string;
  line: number;
}

export interface BindingsView {
  matches: BindingMatchView[];
  /** What is missing to avoid a lockout, or near misses (a group named without its prefix). */
  advice: string[];
}

export type PreflightStatus = 'passed' | 'failed' | 'skipped';

export interface PreflightItemView {
  id: string;
  status: PreflightStatus;
  title: string;
  /** Details, and the fix when failed. */
  detail?: string;
}

export interface ClaimsViewState {
  /** Bumped for each new state so the extension knows which one the webview has drawn. */
  revision: number;
  issuerUrl: string;
  clientId: string;
  scopes: string[];
  /** When the token was received, epoch milliseconds. */
  receivedAt: number;
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  /** Claims the API server's decision reads under the config in use (username, groups, email_verified, required claims). */
  decisiveClaims: string[];
  /** Whether the login verified the token; the view warns loudly when it did not. */
  verification: { verified: boolean; error?: string };
  verdict: VerdictView;
  bindings: BindingsView;
  preflight: PreflightItemView[];
  /** The equivalent `kubectl oidc-login setup ...` command (never with a client secret). */
  kubeloginSetupCommand: string;
  /** False after a reload: the token was never written to disk, so it cannot be revealed. */
  tokenAvailable: boolean;
  /** How many Talos configs the workspace has to review against (the "Review against…" button). */
  configCount: number;
}

/** Messages from the webview to the extension. */
export type WebviewToExtension =
  | { type: 'ready' }
  | { type: 'rendered'; revision: number }
  | { type: 'revealToken' }
  | { type: 'copy'; what: 'payload' | 'token' | 'kubeloginSetupCommand' }
  | { type: 'addKubeconfigUser' }
  | { type: 'insertBinding' }
  | { type: 'loginAgain' }
  | { type: 'pickConfig' }
  | { type: 'openFile'; file: string; line?: number };

/** Messages from the extension to the webview. */
export type ExtensionToWebview =
  | { type: 'state'; state: ClaimsViewState }
  | { type: 'token'; token: string }
  | { type: 'notice'; kind: 'info' | 'error'; text: string };

const webviewMessageTypes = new Set<WebviewToExtension['type']>([
  'ready',
  'rendered',
  'revealToken',
  'copy',
  'addKubeconfigUser',
  'insertBinding',
  'loginAgain',
  'pickConfig',
  'openFile',
]);

/** A message from the webview is untrusted input: check its shape before acting on it. */
export function parseWebviewMessage(value: unknown): WebviewToExtension | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const message = value as Record<string, unknown>;
  const type = message.type;
  if (typeof type !== 'string' || !webviewMessageTypes.has(type as WebviewToExtension['type'])) return undefined;
  switch (type) {
    case 'rendered':
      return typeof message.revision === 'number' ? { type, revision: message.revision } : undefined;
    case 'copy':
      return message.what === 'payload' || message.what === 'token' || message.what === 'kubeloginSetupCommand'
        ? { type, what: message.what }
        : undefined;
    case 'openFile':
      if (typeof message.file !== 'string') return undefined;
      return typeof message.line === 'number'
        ? { type, file: message.file, line: message.line }
        : { type, file: message.file };
    default:
      return { type } as WebviewToExtension;
  }
}
