/**
 * The test login: authorization code flow with PKCE (S256), state and nonce, a loopback
 * listener like kubelogin's, and ID token verification before anything is called verified.
 * Tokens stay in memory, in the returned object only; nothing here logs them.
 */
import * as oauth from 'oauth4webapi';
import { fetchDiscovery, fetchJwks, type ProviderMetadata } from './discovery';
import { describeAuthorizationError, describeTokenError, LoginError } from './errors';
import { createFetch, describeNetworkError, disallowedUrl, isLoopbackHost, type FetchLike } from './http';
import { LoopbackCallbackServer } from './callbackServer';
import { DEFAULT_LISTEN_ADDRESSES, formatListenAddress, parseListenAddress, type ListenAddress } from './listener';
import type { CallbackPage } from './page';
import { decodeJwt, verifyIdToken } from './verify';
import { isRecord } from '../data/record';

export const DEFAULT_LOGIN_TIMEOUT_MS = 180_000;

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

export async function runLogin(options: LoginOptions, hooks: LoginHooks): Promise<LoginResult> {
  validateOptions(options);
  const allowHttpLoopback = options.allowHttpLoopback === true;
  const fetch = options.fetch ?? createFetch({ caPem: options.caPem, allowHttpLoopback });
  const signal = options.signal;
  const timeoutMs = options.timeoutMs ?? DEFAULT_LOGIN_TIMEOUT_MS;
  const addresses = (options.listenAddresses?.length ? options.listenAddresses : DEFAULT_LISTEN_ADDRESSES).map(
    parseListenAddress,
  );
  refuseNonLoopback(addresses, options, hooks);
  if (signal?.aborted) throw cancelled();

  const metadata = await discoverEndpoints(options.issuerUrl, fetch, signal, allowHttpLoopback);
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const codeChallenge = await oauth.calculatePKCECodeChallenge(codeVerifier);

  const server = new LoopbackCallbackServer({ addresses, state, redirectUrl: options.redirectUrl });
  const { address, redirectUri, skipped } = await server.start();
  const authorizationUrl = new URL(metadata.authorization_endpoint!);
  for (const [key, value] of Object.entries({
    client_id: options.clientId,
    response_type: 'code',
    scope: ['openid', ...(options.extraScopes ?? []).filter((scope) => scope !== 'openid')].join(' '),
    redirect_uri: redirectUri,
    state,
    nonce,
    code_challenge: codeChallenge,
    code_challenge_method: 'S256',
  })) {
    authorizationUrl.searchParams.set(key, value);
  }

  const exchange = new AbortController();
  const flow: CodeFlow = { options, metadata, fetch, state, nonce, codeVerifier, redirectUri, signal: exchange.signal };
  const cleanups: (() => void)[] = [];
  try {
    return await new Promise<LoginResult>((resolve, reject) => {
      let settled = false;
      const settle = (outcome: { result: LoginResult } | { error: unknown }) => {
        if (settled) return;
        settled = true;
        if ('result' in outcome) resolve(outcome.result);
        else reject(outcome.error);
      };

      const timer = setTimeout(() => {
        exchange.abort();
        settle({ error: timedOut(timeoutMs, redirectUri, options.clientId, server.callbackReceived) });
      }, timeoutMs);
      cleanups.push(() => clearTimeout(timer));
      if (signal) {
        const onAbort = () => {
          exchange.abort();
          settle({ error: cancelled() });
        };
        signal.addEventListener('abort', onAbort, { once: true });
        cleanups.push(() => signal.removeEventListener('abort', onAbort));
        // Aborted while discovery or binding ran: the event has already fired.
        if (signal.aborted) onAbort();
      }

      // The browser waits on the callback until the code is redeemed: its page tells how it ended.
      server.waitForCallback().then(
        (callback) =>
          redeemCallback(callback.params, flow).then(
            async (result) => {
              await callback.respond(200, resultPage(result));
              settle({ result });
            },
            async (error: unknown) => {
              await callback.respond(400, failurePage(error));
              settle({ error });
            },
          ),
        (error: unknown) => settle({ error }),
      );

      if (settled) return;
      hooks.onListening?.({ address, redirectUri, authorizationUrl: authorizationUrl.href, skipped });
      hooks.openBrowser(authorizationUrl.href).catch((cause: unknown) => {
        settle({
          error: new LoginError(
            'browser',
            `The browser could not be opened: ${cause instanceof Error ? cause.message : String(cause)}.`,
            {
              fix: `Open this URL yourself: ${authorizationUrl.href}`,
              cause,
            },
          ),
        });
      });
    });
  } finally {
    for (const cleanup of cleanups) cleanup();
    exchange.abort();
    await server.stop();
  }
}

/** Listen addresses and a redirect URL off this machine need the user's explicit consent. */
function refuseNonLoopback(addresses: readonly ListenAddress[], options: LoginOptions, hooks: LoginHooks): void {
  const nonLoopback = [
    ...addresses
      .filter((address) => !isLoopbackHost(address.host))
      .map((address) => `listen address ${formatListenAddress(address)}`),
    ...(options.redirectUrl !== undefined && !isLoopbackHost(new URL(options.redirectUrl).hostname)
      ? [`redirect URL ${options.redirectUrl}`]
      : []),
  ];
  if (nonLoopback.length === 0) return;
  const what = nonLoopback.join(' and ');
  if (!options.allowNonLoopbackRedirect) {
    throw new LoginError(
      'invalid-options',
      `The ${what} is not this machine's loopback: the authorization code would be sent to, or accepted from, another machine.`,
      {
        fix: "Use 127.0.0.1, [::1] or localhost (kubelogin's defaults), or allow a non-loopback redirect explicitly if you really mean it.",
      },
    );
  }
  hooks.onWarning?.(
    `The ${what} is not this machine's loopback (allowed explicitly): the authorization code can be read on the network path to it.`,
  );
}

/** The provider's discovery document, its endpoints checked before any is used. */
async function discoverEndpoints(
  issuerUrl: string,
  fetch: FetchLike,
  signal: AbortSignal | undefined,
  allowHttpLoopback: boolean,
): Promise<ProviderMetadata> {
  const discovery = await fetchDiscovery(issuerUrl, fetch, signal).catch((error) => {
    throw signal?.aborted ? cancelled() : error;
  });
  if (!discovery.ok) throw new LoginError('discovery', discovery.message, { fix: discovery.fix });
  const metadata = discovery.value;
  // The authorization endpoint is opened in the browser (a file: URL would open a local file) and
  // the token and key endpoints carry secrets: https only, whatever the discovery document says.
  for (const field of ['authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const) {
    let url: URL;
    try {
      url = new URL(metadata[field]!);
    } catch {
      throw new LoginError(
        'discovery',
        `The discovery document's ${field} ${JSON.stringify(metadata[field])} is not a URL.`,
      );
    }
    const refused = disallowedUrl(url, allowHttpLoopback);
    if (refused) {
      throw new LoginError('discovery', `The discovery document's ${field} is refused: ${refused}.`, {
        fix: 'The provider must publish https endpoints; check its public URL setting (Pocket-ID: APP_URL).',
      });
    }
  }
  return metadata;
}

/** What one login holds between the authorization request and the token request. */
interface CodeFlow {
  options: LoginOptions;
  metadata: ProviderMetadata;
  fetch: FetchLike;
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
  /** Aborted on timeout or cancel. */
  signal: AbortSignal;
}

/** The callback's authorization response, redeemed for tokens: an error from the provider throws in words. */
async function redeemCallback(params: URLSearchParams, flow: CodeFlow): Promise<LoginResult> {
  const error = params.get('error');
  if (error) {
    const description = params.get('error_description') ?? undefined;
    const words = describeAuthorizationError(error, description, flow.options.clientId);
    throw new LoginError('provider-error', words.message, {
      fix: words.fix,
      providerError: error,
      providerErrorDescription: description,
    });
  }
  let validated: URLSearchParams;
  try {
    validated = oauth.validateAuthResponse(authorizationServer(flow), client(flow), params, flow.state);
  } catch (cause) {
    throw new LoginError(
      'provider-error',
      `The callback is not a valid authorization response: ${(cause as Error).message}.`,
      { cause },
    );
  }
  return exchangeCode(validated, flow);
}

/** The token request (with the PKCE verifier), then the ID token checked against the provider's keys. */
async function exchangeCode(params: URLSearchParams, flow: CodeFlow): Promise<LoginResult> {
  const { options, metadata, fetch, signal } = flow;
  let response: Response;
  try {
    response = await oauth.authorizationCodeGrantRequest(
      authorizationServer(flow),
      client(flow),
      clientAuthentication(metadata, options.clientSecret),
      params,
      flow.redirectUri,
      flow.codeVerifier,
      { [oauth.customFetch]: fetch, signal },
    );
  } catch (cause) {
    if (signal.aborted) throw cancelled();
    const words = describeNetworkError(cause, metadata.token_endpoint!);
    throw new LoginError('token-error', words.message, { fix: words.fix, cause });
  }
  const body = await readJsonObject(response);
  if (response.status !== 200 || typeof body.error === 'string') {
    const error = typeof body.error === 'string' ? body.error : `HTTP ${response.status}`;
    const description = typeof body.error_description === 'string' ? body.error_description : undefined;
    const words = describeTokenError(error, description, !!options.clientSecret);
    throw new LoginError('token-error', words.message, {
      fix: words.fix,
      providerError: error,
      providerErrorDescription: description,
    });
  }
  if (typeof body.id_token !== 'string') {
    throw new LoginError('token-error', 'The token response has no ID token.', {
      fix: 'Make sure the "openid" scope is allowed for this client.',
    });
  }
  const idToken = body.id_token;
  const jwks = await fetchJwks(metadata.jwks_uri!, fetch, signal);
  const verification = jwks.ok
    ? verifyIdToken(idToken, {
        issuer: options.issuerUrl,
        clientId: options.clientId,
        nonce: flow.nonce,
        jwks: jwks.value,
        allowEdDSA: options.allowEdDSA,
      })
    : { ok: false as const, reason: `The provider's keys could not be read: ${jwks.message}` };
  let header: Record<string, unknown> = {};
  let claims: Record<string, unknown> = {};
  if (verification.header && verification.claims) ({ header, claims } = verification);
  else {
    try {
      ({ header, claims } = decodeJwt(idToken));
    } catch {
      // The reason already says the token is malformed.
    }
  }
  return {
    idToken,
    claims,
    header,
    verified: verification.ok,
    ...(verification.ok ? {} : { verificationError: verification.reason }),
    ...(typeof body.access_token === 'string' ? { accessToken: body.access_token } : {}),
    ...(typeof body.refresh_token === 'string' ? { refreshToken: body.refresh_token } : {}),
    ...(typeof body.expires_in === 'number' ? { expiresAt: Math.floor(Date.now() / 1000) + body.expires_in } : {}),
    ...(typeof body.scope === 'string' ? { scope: body.scope } : {}),
    redirectUri: flow.redirectUri,
    issuer: metadata.issuer,
  };
}

function authorizationServer(flow: CodeFlow): oauth.AuthorizationServer {
  return flow.metadata as oauth.AuthorizationServer;
}

function client(flow: CodeFlow): oauth.Client {
  return { client_id: flow.options.clientId };
}

/** The browser's page once the code was redeemed. */
function resultPage(result: LoginResult): CallbackPage {
  return result.verified
    ? {
        ok: true,
        title: 'Logged in',
        message: "The login worked. Go back to the terminal or editor to see the token and the API server's verdict.",
      }
    : {
        ok: false,
        title: 'Token not verified',
        message: `The provider returned a token, but it failed verification: ${result.verificationError}`,
      };
}

/** The browser's page when the provider refused or the code could not be redeemed. */
function failurePage(error: unknown): CallbackPage {
  return {
    ok: false,
    title: 'Login failed',
    message: error instanceof Error ? error.message : String(error),
    fix: error instanceof LoginError ? error.fix : undefined,
  };
}

function validateOptions(options: LoginOptions): void {
  let issuer: URL;
  try {
    issuer = new URL(options.issuerUrl);
  } catch {
    throw new LoginError(
      'invalid-options',
      `"${options.issuerUrl}" is not a URL; the issuer is the provider's https URL.`,
    );
  }
  const refused = disallowedUrl(issuer, options.allowHttpLoopback === true);
  if (refused)
    throw new LoginError(
      'invalid-options',
      `The issuer URL is refused: ${refused}. The API server accepts only https issuers.`,
    );
  if (!options.clientId)
    throw new LoginError('invalid-options', 'A client ID is needed (Pocket-ID: the UUID of the OIDC client).');
  if (options.timeoutMs !== undefined && !(options.timeoutMs > 0))
    throw new LoginError('invalid-options', 'The timeout must be a positive number.');
  if (options.redirectUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(options.redirectUrl);
    } catch {
      throw new LoginError('invalid-options', `"${options.redirectUrl}" is not a URL.`);
    }
    if (url.protocol !== 'http:')
      throw new LoginError(
        'invalid-options',
        `The redirect URL must be an http loopback URL (got ${options.redirectUrl}).`,
      );
  }
}

function clientAuthentication(metadata: ProviderMetadata, secret: string | undefined): oauth.ClientAuth {
  if (!secret) return oauth.None();
  const methods = metadata.token_endpoint_auth_methods_supported;
  // client_secret_basic is the default when a provider lists nothing.
  if (!Array.isArray(methods) || methods.includes('client_secret_basic')) return oauth.ClientSecretBasic(secret);
  return oauth.ClientSecretPost(secret);
}

async function readJsonObject(response: Response): Promise<Record<string, unknown>> {
  try {
    const body: unknown = await response.json();
    return isRecord(body) ? body : {};
  } catch {
    return {};
  }
}

function cancelled(): LoginError {
  return new LoginError('cancelled', 'The login was cancelled.');
}

function timedOut(timeoutMs: number, redirectUri: string, clientId: string, callbackTaken: boolean): LoginError {
  const seconds = Math.round(timeoutMs / 1000);
  if (callbackTaken) {
    return new LoginError('timeout', `The provider's token endpoint did not answer within ${seconds} s.`, {
      callbackUrl: redirectUri,
    });
  }
  return new LoginError('timeout', `No login callback arrived at ${redirectUri} within ${seconds} s.`, {
    fix: `If the browser shows an error from the provider such as "invalid_redirect_uri" or "Invalid callback URL", register ${redirectUri} as a callback URL of client ${clientId} (Pocket-ID: http://localhost without a port covers every port). Otherwise finish the login in the browser sooner or raise the timeout.`,
    callbackUrl: redirectUri,
  });
}
