/**
 * The test login: authorization code flow with PKCE (S256), state and nonce, a loopback
 * listener like kubelogin's (callbackServer.ts), and ID token verification before anything is
 * called verified (codeExchange.ts). This file is the flow: consent to a non-loopback redirect,
 * discovery, the authorization URL, the wait (timeout, cancel), the page the browser shows.
 * Tokens stay in memory, in the returned object only; nothing here logs them.
 */
import * as oauth from 'oauth4webapi';
import { LoopbackCallbackServer } from './callbackServer';
import { redeemCallback, type CodeFlow } from './codeExchange';
import { fetchDiscovery, type ProviderMetadata } from './discovery';
import { LoginError, loginCancelled } from './errors';
import { createFetch, disallowedUrl, isLoopbackHost, type FetchLike } from './http';
import { DEFAULT_LISTEN_ADDRESSES, formatListenAddress, parseListenAddress, type ListenAddress } from './listener';
import type { CallbackPage } from './page';
import type { LoginHooks, LoginOptions, LoginResult } from './types';

export type { ListeningInfo, LoginHooks, LoginOptions, LoginResult } from './types';

export const DEFAULT_LOGIN_TIMEOUT_MS = 180_000;

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
  if (signal?.aborted) throw loginCancelled();

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
          settle({ error: loginCancelled() });
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
    throw signal?.aborted ? loginCancelled() : error;
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
