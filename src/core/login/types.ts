/** What a test login takes and gives back (the flow itself is login.ts). */
import type { FetchLike } from './http';

export interface LoginOptions {
  issuerUrl: string;
  clientId: string;
  /** Only for confidential clients; a public client with PKCE is the safer choice. */
  clientSecret?: string;
  /** Scopes besides `openid` (always sent), e.g. ['profile', 'email', 'groups']. */
  extraScopes?: readonly string[];
  /** `HOST:PORT` values tried in order (default 127.0.0.1:8000, 127.0.0.1:18000). */
  listenAddresses?: readonly string[];
  /** Sent as is; default `http://localhost:<bound port>` (kubelogin's, so one registration serves both). */
  redirectUrl?: string;
  caPem?: string;
  /** Default 180 s, like kubelogin's --authentication-timeout-sec. */
  timeoutMs?: number;
  signal?: AbortSignal;
  fetch?: FetchLike;
  /** Tests only: lets the issuer and its endpoints be plain http on loopback. */
  allowHttpLoopback?: boolean;
  /**
   * Accept a redirect URL or listen address that is not this machine's loopback. The
   * authorization code then travels over the network to that address; `onWarning` says so.
   */
  allowNonLoopbackRedirect?: boolean;
  /** Accept EdDSA-signed ID tokens (the API server does not; only when the user asks for it). */
  allowEdDSA?: boolean;
}

export interface ListeningInfo {
  /** The bound `HOST:PORT`. */
  address: string;
  redirectUri: string;
  authorizationUrl: string;
  /** Addresses that were busy before this one. */
  skipped: { address: string; reason: string }[];
}

export interface LoginHooks {
  /** Shows the authorization URL to the user (a browser, or a test's HTTP driver). */
  openBrowser(url: string): Promise<void>;
  onListening?(info: ListeningInfo): void;
  /** Something the user allowed but should know about (a non-loopback redirect URL). */
  onWarning?(message: string): void;
}

export interface LoginResult {
  idToken: string;
  claims: Record<string, unknown>;
  header: Record<string, unknown>;
  /** True only when signature, issuer, audience, expiry and nonce all checked out. */
  verified: boolean;
  /** Why verification failed, in words. */
  verificationError?: string;
  accessToken?: string;
  refreshToken?: string;
  /** Access token expiry, seconds since the epoch. */
  expiresAt?: number;
  scope?: string;
  redirectUri: string;
  /** The issuer the provider reports in discovery. */
  issuer: string;
}
