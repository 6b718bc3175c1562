/**
 * The contract between the extension and its lazily loaded login bundle (dist/lazy-login.js,
 * built from src/extension/lazy/login.ts). Types only: importing this file loads nothing, so the
 * start-up bundle never contains openid-client or the login core.
 */
import type { PreflightItemView } from '../../webview/claims/protocol';

export interface LoginRequest {
  issuerUrl: string;
  clientId: string;
  /** From secret storage only; undefined for a public client (PKCE). */
  clientSecret?: string;
  extraScopes: string[];
  listenAddresses: string[];
  /** Empty: `http://localhost:<bound port>`, like kubelogin. */
  redirectUrl: string;
  /** PEM file of a private CA that signed the issuer's certificate. */
  caFile: string;
  timeoutSeconds: number;
  /** From the Talos config in use, so the preflight checks what the API server will need. */
  groupsClaim?: string;
  signingAlgs?: string[];
}

export interface LoginHooks {
  /** Opens the authorization URL in the user's browser. */
  openBrowser(url: string): Promise<void>;
  /** Progress in words, e.g. "Waiting for the browser (http://localhost:8000)". */
  report(message: string): void;
  signal: AbortSignal;
}

export interface PreflightReport {
  items: PreflightItemView[];
}

export interface LoginOutcome {
  /** The verified ID token (compact). Kept in memory only. */
  idToken: string;
  claims: Record<string, unknown>;
  header: Record<string, unknown>;
  /** Scopes requested, `openid` included. */
  scopes: string[];
  redirectUri: string;
  /** True only when signature, issuer, audience, expiry and nonce all checked out. */
  verified: boolean;
  verificationError?: string;
}

/** A failure the user can act on: what happened, and the likely cause and fix. */
export interface LoginProblem {
  message: string;
  fix?: string;
  cancelled?: boolean;
}

export interface LazyLoginModule {
  preflight(request: LoginRequest, signal: AbortSignal): Promise<PreflightReport>;
  login(request: LoginRequest, hooks: LoginHooks): Promise<LoginOutcome>;
  /** Turns anything thrown by `preflight`/`login` into words. */
  describeFailure(error: unknown): LoginProblem;
}
