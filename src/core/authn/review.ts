/**
 * What the API server's JWT authenticator does with one token
 * (k8s.io/apiserver plugin/pkg/authenticator/token/oidc AuthenticateToken, go-oidc v2 Verify),
 * step by step, with its error texts. This file is the union of authenticators, the issuer
 * pre-check and the order of the steps; the steps are verifier.ts (idTokenVerifier.Verify),
 * distributedClaims.ts (claimResolver), claimMappings.ts (getUsername, getGroups, getUID,
 * getExtra) and validationRules.ts (required claims, claimValidationRules, userValidationRules).
 *
 * A review never verifies the token's signature: that needs the provider's keys, which only the
 * login flow fetches. Every accepted review carries a note saying so.
 */
import type { AuthenticatorModel, JWTAuthenticator, TokenInput, TokenReview } from './types';
import { getExtra, getGroups, getUID, getUsername } from './claimMappings';
import type { Outcome } from './outcome';
import { checkClaimValidationRules, checkRequiredClaims, checkUserValidationRules } from './validationRules';
import { expandClaims } from './distributedClaims';
import { goFold } from './gojson';
import { strictRawURLDecode } from './token';
import { authenticatorInitError } from './validate';
import { GOOGLE_ISSUER, GOOGLE_ISSUER_NO_SCHEME, verifyToken, type ReviewOptions } from './verifier';

export type { ReviewOptions } from './verifier';

/**
 * Review a token against every JWT authenticator, as the API server's union does, at `now`
 * (unix seconds). Models the current API server (1.32+: jti credential id, compact-only tokens).
 */
export function reviewToken(
  model: AuthenticatorModel,
  token: TokenInput,
  now: number,
  options: ReviewOptions = {},
): TokenReview {
  for (let i = 0; i < model.jwt.length; i++) {
    const authn = model.jwt[i];
    if (!hasCorrectIssuer(authn.issuer.url, token)) continue;
    // The JWT authenticators are combined fail-on-error: the first one whose issuer matches decides.
    const review = reviewWithAuthenticator(model, authn, token, now, options);
    review.authenticatorIndex = i;
    const startup = authenticatorInitError(model, i);
    if (startup !== undefined) {
      (review.notes ??= []).push(
        `This configuration does not load in the API server (${startup}); the review shows what it would do if it did.`,
      );
    }
    return review;
  }
  const shape = notCompactJwt(token);
  const notes = [
    (shape ?? `No JWT authenticator's issuer matches the token's "iss" (${describeIss(token)}), so each skips it. `) +
      'The API server then tries its other token authenticators (service-account tokens, a token webhook if configured); ' +
      'when none accepts the token the request fails with this error.',
  ];
  return { authenticated: false, username: null, groups: [], error: 'invalid bearer token', skipped: true, notes };
}

/** Why the JWT authenticators cannot even read the token's issuer, when they cannot. */
function notCompactJwt(token: TokenInput): string | undefined {
  if (token.compact === undefined) return undefined;
  const parts = token.compact.split('.').length;
  if (token.compact.trim().startsWith('{'))
    return 'The token is JSON, not a compact JWT, so every JWT authenticator skips it. ';
  if (parts === 5)
    return 'The token has five parts (an encrypted JWE); the API server only reads signed compact JWTs (three parts), so every JWT authenticator skips it. ';
  if (parts !== 3)
    return `The token has ${parts} part${parts === 1 ? '' : 's'}, not the three of a compact JWT, so every JWT authenticator skips it. `;
  if (strictRawURLDecode(token.compact.split('.')[1]) === undefined)
    return "The token's payload is not unpadded base64url, so the JWT authenticators cannot read its issuer and skip it. ";
  return undefined;
}

function describeIss(token: TokenInput): string {
  const iss = token.claims.iss;
  return iss === undefined ? 'absent' : JSON.stringify(iss);
}

/**
 * The issuer pre-check (`untrustedIssuer`): it can only skip. On the compact text when given,
 * exactly as the API server does; otherwise on the decoded claims.
 */
export function hasCorrectIssuer(issuerURL: string, token: TokenInput): boolean {
  let claims: unknown;
  if (token.compact !== undefined) {
    const compact = token.compact;
    if (compact.trim().startsWith('{')) return false;
    const parts = compact.split('.');
    if (parts.length !== 3) return false;
    const payload = strictRawURLDecode(parts[1]);
    if (payload === undefined) return false;
    try {
      claims = JSON.parse(payload);
    } catch {
      return false;
    }
  } else {
    claims = token.claims;
  }
  if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) return false;
  let iss = '';
  for (const [key, value] of Object.entries(claims as Record<string, unknown>)) {
    if (goFold(key) !== 'iss') continue;
    if (value === null) continue;
    if (typeof value !== 'string') return false;
    iss = value;
  }
  if (iss === GOOGLE_ISSUER_NO_SCHEME) iss = GOOGLE_ISSUER;
  return iss === issuerURL;
}

/**
 * One JWT authenticator's `AuthenticateToken`, in its steps and their order: the verifier
 * (go-oidc's checks, then the audience policy), distributed claims, the claim mappings
 * (`getUsername`, `getGroups`, `getUID`, `getExtra`), the required claims, then the
 * `claimValidationRules` and `userValidationRules`. The first step that fails decides.
 */
function reviewWithAuthenticator(
  model: AuthenticatorModel,
  a: JWTAuthenticator,
  input: TokenInput,
  now: number,
  options: ReviewOptions,
): Outcome {
  const notes: string[] = [];
  const claims = input.claims;
  const verified = verifyToken(model, a, input, now, options, notes);
  if (verified) return verified;
  const distributed = expandClaims(a, claims, notes);
  if (distributed) return distributed;

  const username = getUsername(a, claims, notes);
  if (!username.ok) return username.outcome;
  const groups = getGroups(a, claims, notes);
  if (!groups.ok) return groups.outcome;
  const uid = getUID(a, claims, notes);
  if (!uid.ok) return uid.outcome;
  const extra = getExtra(a, claims, notes);
  if (!extra.ok) return extra.outcome;

  const refused =
    checkRequiredClaims(a, claims, notes) ??
    checkClaimValidationRules(a, claims, notes) ??
    checkUserValidationRules(
      a,
      { username: username.value, uid: uid.value, groups: groups.value, extra: extra.value },
      notes,
    );
  if (refused) return refused;

  const review: Outcome = { authenticated: true, username: username.value, groups: groups.value, error: null, notes };
  if (uid.value !== '') review.uid = uid.value;
  if (Object.keys(extra.value).length > 0) review.extra = extra.value;
  return review;
}

/**
 * The groups a request finally has: the API server's AuthenticatedGroupAdder appends
 * `system:authenticated`, unless the user is `system:anonymous` or the groups already contain
 * `system:authenticated` or `system:unauthenticated` (an IdP group of that name, unprefixed, suppresses it).
 */
export function groupsAfterAuthentication(username: string, groups: readonly string[]): string[] {
  if (username === 'system:anonymous') return [...groups];
  if (groups.includes('system:authenticated') || groups.includes('system:unauthenticated')) return [...groups];
  return [...groups, 'system:authenticated'];
}
