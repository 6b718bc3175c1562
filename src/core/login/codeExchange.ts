/**
 * From the callback's authorization response to a verified ID token: the provider's error in
 * words, the response validated (state, iss), the token request with the PKCE verifier and the
 * client's authentication, then the ID token checked against the provider's keys.
 */
import * as oauth from 'oauth4webapi';
import { isRecord } from '../data/record';
import { fetchJwks, type ProviderMetadata } from './discovery';
import { describeAuthorizationError, describeTokenError, LoginError, loginCancelled } from './errors';
import { describeNetworkError, type FetchLike } from './http';
import type { LoginOptions, LoginResult } from './types';
import { decodeJwt, verifyIdToken } from './verify';

/** What one login holds between the authorization request and the token request. */
export interface CodeFlow {
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
export async function redeemCallback(params: URLSearchParams, flow: CodeFlow): Promise<LoginResult> {
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
    if (signal.aborted) throw loginCancelled();
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
