/** Typed, user-readable login failures: what happened, the likely cause, and the fix. */

export type LoginErrorCode =
  /** The options themselves are wrong (bad issuer URL, bad listen address, bad timeout). */
  | 'invalid-options'
  /** The discovery document or JWKS could not be read. */
  | 'discovery'
  /** No listen address could be bound. */
  | 'ports-busy'
  /** Opening the browser failed. */
  | 'browser'
  /** The provider redirected back with `error=...`. */
  | 'provider-error'
  /** The token endpoint refused the code or the client. */
  | 'token-error'
  /** No callback arrived in time. */
  | 'timeout'
  /** The caller aborted. */
  | 'cancelled';

export class LoginError extends Error {
  override name = 'LoginError';
  constructor(
    readonly code: LoginErrorCode,
    message: string,
    readonly details: {
      fix?: string;
      /** The OAuth error code from the provider (`access_denied`, `invalid_client`, ...). */
      providerError?: string;
      providerErrorDescription?: string;
      /** The callback URL concerned (to register, or that was used). */
      callbackUrl?: string;
      cause?: unknown;
    } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
  }

  get fix(): string | undefined {
    return this.details.fix;
  }
}

/** The login was stopped by the user (Ctrl-C, the editor's cancel). */
export function loginCancelled(): LoginError {
  return new LoginError('cancelled', 'The login was cancelled.');
}

/** An `error=` redirect from the authorization endpoint, in words with its likely cause. */
export function describeAuthorizationError(
  error: string,
  description: string | undefined,
  clientId: string,
): { message: string; fix?: string } {
  const said = description ? `: ${description}` : '';
  switch (error) {
    case 'access_denied':
      return {
        message: `The provider refused the login (access_denied${said}).`,
        fix: `Likely the login was cancelled on the provider's page, or this user may not use client ${clientId} (Pocket-ID: the client's "allowed user groups"). Log in again, or allow the user.`,
      };
    case 'invalid_scope':
      return {
        message: `The provider does not accept a requested scope (invalid_scope${said}).`,
        fix: 'Remove the extra scope the provider does not know (Pocket-ID knows openid, profile, email, groups, offline_access).',
      };
    case 'invalid_request':
      return {
        message: `The provider rejected the authorization request (invalid_request${said}).`,
        fix: /code_challenge|pkce/i.test(description ?? '')
          ? 'The provider and this client disagree about PKCE: enable S256 PKCE at the provider.'
          : 'Check the client ID and the callback URL registered for it.',
      };
    case 'unauthorized_client':
      return {
        message: `Client ${clientId} may not use the authorization code flow (unauthorized_client${said}).`,
        fix: 'Allow the authorization code grant for this client at the provider.',
      };
    case 'invalid_client':
      return {
        message: `The provider does not know client ${clientId} (invalid_client${said}).`,
        fix: 'Copy the client ID from the provider again (Pocket-ID: a UUID under OIDC Clients).',
      };
    case 'login_required':
    case 'consent_required':
    case 'interaction_required':
      return {
        message: `The provider needs an interactive login (${error}${said}).`,
        fix: 'Log in again in the browser.',
      };
    case 'server_error':
    case 'temporarily_unavailable':
      return { message: `The provider failed (${error}${said}).`, fix: "Look at the provider's logs, then try again." };
    default:
      return { message: `The provider returned an error (${error}${said}).` };
  }
}

/** An error answer from the token endpoint, in words with its likely cause. */
export function describeTokenError(
  error: string,
  description: string | undefined,
  hasSecret: boolean,
): { message: string; fix?: string } {
  const said = description ? `: ${description}` : '';
  switch (error) {
    case 'invalid_client':
      return {
        message: `The provider rejected the client's credentials (invalid_client${said}).`,
        fix: hasSecret
          ? 'The client secret is likely wrong or was regenerated (Pocket-ID shows a secret only once: create a new one), or the client is public and must not send one. A public client with PKCE needs no secret at all.'
          : 'The client is likely confidential and needs its client secret, or the client ID is wrong. A public client (no secret, PKCE) is the safer choice for kubectl.',
      };
    case 'invalid_grant':
      return {
        message: `The provider refused the authorization code (invalid_grant${said}).`,
        fix: 'Likely the code expired or was already used, or the redirect_uri differs from the one sent in the browser (a trailing slash counts). Log in again.',
      };
    case 'unauthorized_client':
      return {
        message: `The client may not use this grant (unauthorized_client${said}).`,
        fix: 'Allow the authorization code grant for this client.',
      };
    default:
      return { message: `The token endpoint returned an error (${error}${said}).` };
  }
}
