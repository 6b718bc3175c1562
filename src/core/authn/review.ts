/**
 * What the API server's JWT authenticator does with one token
 * (k8s.io/apiserver plugin/pkg/authenticator/token/oidc AuthenticateToken, go-oidc v2 Verify),
 * step by step, with its error texts.
 *
 * A review never verifies the token's signature: that needs the provider's keys, which only the
 * login flow fetches. Every accepted review carries a note saying so.
 */
import type { AuthenticatorModel, JWTAuthenticator, TokenInput, TokenReview } from './types';
import { getExtra, getGroups, getUID, getUsername } from './claimMappings';
import { rejected, unpredictable, type Outcome } from './outcome';
import { checkClaimValidationRules, checkRequiredClaims, checkUserValidationRules } from './validationRules';
import { GO_ZERO_TIME, goQuote, goQuoteList, goTimeUTC, unmarshalTypeError } from './goformat';
import { decodeAudience, decodeJSONTime } from './gojson';
import { strictRawURLDecode } from './token';
import { authenticatorInitError } from './validate';
import { verifyCompactSignature, type JsonWebKeySet } from './signature';

const GOOGLE_ISSUER = 'https://accounts.google.com';
const GOOGLE_ISSUER_NO_SCHEME = 'accounts.google.com';
/** kube-apiserver's TokenSuccessCacheTTL. */
const SUCCESS_CACHE_SECONDS = 10;
/** go-oidc's leeway for `nbf`. There is none for `exp`. */
const NBF_LEEWAY_SECONDS = 60;

const SIGNATURE_NOTE =
  "The signature was not verified (that needs the provider's keys); this review assumes it is valid.";

/**
 * Review a token against every JWT authenticator, as the API server's union does, at `now`
 * (unix seconds). Models the current API server (1.32+: jti credential id, compact-only tokens).
 */
export interface ReviewOptions {
  /** The issuer's keys (its JWKS): when given, a compact token's signature is verified as the API server does. */
  keys?: JsonWebKeySet;
}

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

/** encoding/json matches struct fields case-insensitively (after an exact match fails). */
function goFold(key: string): string {
  return key.toLowerCase();
}

interface IDToken {
  issuer: string;
  audience: string[];
  /** Unix seconds; GO_ZERO_TIME when absent. */
  expiry: number;
  notBefore?: number;
  claimNames?: Record<string, string>;
  claimSources?: Record<string, { endpoint: string; accessToken: string }>;
}

/** go-oidc's json.Unmarshal(payload, &idToken): Go's abort-vs-saved error order included. */
function unmarshalIDToken(claims: Record<string, unknown>): { token: IDToken } | { error: string } {
  const token: IDToken = { issuer: '', audience: [], expiry: GO_ZERO_TIME };
  let saved: string | undefined;
  const save = (e: string) => (saved ??= e);
  for (const [key, value] of Object.entries(claims)) {
    const field = goFold(key);
    switch (field) {
      case 'iss':
      case 'sub':
      case 'nonce':
      case 'at_hash': {
        if (value === null) break;
        if (typeof value !== 'string') save(unmarshalTypeError(value, 'string', `idToken.${field}`));
        else if (field === 'iss') token.issuer = value;
        break;
      }
      case 'aud': {
        const d = decodeAudience(value);
        if (!d.ok) return { error: d.error };
        token.audience = d.value;
        break;
      }
      case 'exp':
      case 'iat': {
        const d = decodeJSONTime(value, `idToken.${field}`);
        if (!d.ok) return { error: d.error };
        if (field === 'exp') token.expiry = d.value;
        break;
      }
      case 'nbf': {
        if (value === null) {
          token.notBefore = undefined;
          break;
        }
        const d = decodeJSONTime(value, 'idToken.nbf');
        if (!d.ok) return { error: d.error };
        token.notBefore = d.value;
        break;
      }
      case '_claim_names': {
        if (value === null) break;
        if (typeof value !== 'object' || Array.isArray(value)) {
          save(unmarshalTypeError(value, 'map[string]string', 'idToken._claim_names'));
          break;
        }
        token.claimNames ??= {};
        for (const [name, src] of Object.entries(value as Record<string, unknown>)) {
          if (src === null) token.claimNames[name] ??= '';
          else if (typeof src !== 'string') {
            save(unmarshalTypeError(src, 'string', 'idToken._claim_names'));
            token.claimNames[name] = '';
          } else token.claimNames[name] = src;
        }
        break;
      }
      case '_claim_sources': {
        if (value === null) break;
        if (typeof value !== 'object' || Array.isArray(value)) {
          save(unmarshalTypeError(value, 'map[string]oidc.claimSource', 'idToken._claim_sources'));
          break;
        }
        token.claimSources ??= {};
        for (const [name, src] of Object.entries(value as Record<string, unknown>)) {
          const entry = { endpoint: '', accessToken: '' };
          if (src !== null && (typeof src !== 'object' || Array.isArray(src))) {
            save(unmarshalTypeError(src, 'oidc.claimSource', 'idToken._claim_sources'));
          } else if (src !== null) {
            for (const [k, v] of Object.entries(src as Record<string, unknown>)) {
              const f = goFold(k);
              if (f !== 'endpoint' && f !== 'access_token') continue;
              if (v === null) continue;
              if (typeof v !== 'string') save(unmarshalTypeError(v, 'string', `claimSource._claim_sources.${f}`));
              else if (f === 'endpoint') entry.endpoint = v;
              else entry.accessToken = v;
            }
          }
          token.claimSources[name] = entry;
        }
        break;
      }
    }
  }
  if (saved !== undefined) return { error: saved };
  return { token };
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
 * `idTokenVerifier.Verify`: go-oidc's `Verify` (the JWS, the claims, the algorithm, the
 * signature), then `verifyAudience` for several audiences. Undefined when the token passes.
 */
function verifyToken(
  model: AuthenticatorModel,
  a: JWTAuthenticator,
  input: TokenInput,
  now: number,
  options: ReviewOptions,
  notes: string[],
): Outcome | undefined {
  const laterOrder = algorithmOrSignatureError(model, input, options);
  const verifyError = (e: string) => {
    if (laterOrder !== undefined && e !== laterOrder) {
      notes.push(
        `Kubernetes 1.36 and newer check the signing algorithm and the signature before the claims, and say instead: oidc: verify token: ${laterOrder}`,
      );
    }
    return rejected(`oidc: verify token: ${e}`, notes);
  };
  const claims = input.claims;
  const audiences = [...new Set(a.issuer.audiences)];

  // go-oidc v2.3 Verify (Kubernetes 1.35), in its order: parse the JWS (go-jose), decode and check
  // the claims (issuer, audience, expiry), then the algorithm and the signature. go-oidc v2.5
  // (Kubernetes 1.36+) checks the algorithm and the signature first: see laterOrder below.
  if (input.headerError !== undefined) {
    if (input.headerError === null) {
      return unpredictable(
        "the token's header or signature cannot be parsed; the API server rejects it as malformed, with a message this tool does not reproduce",
        notes,
      );
    }
    return verifyError(`oidc: malformed jwt: ${input.headerError}`);
  }

  const parsed = unmarshalIDToken(claims);
  if ('error' in parsed) return verifyError(`oidc: failed to unmarshal claims: ${parsed.error}`);
  const t = parsed.token;
  // Go converts a float beyond int64 to a platform-dependent value (amd64: the minimum int64).
  const outOfRange = [t.expiry, t.notBefore].some(
    (v) => v !== undefined && v !== GO_ZERO_TIME && Math.abs(v) >= 2 ** 63,
  );
  if (outOfRange) {
    return unpredictable(
      '"exp" or "nbf" is beyond the range of a 64-bit integer; the API server converts such a time differently per CPU architecture',
      notes,
    );
  }

  // Every _claim_names entry must name an existing source (Go map order: random when several fail).
  const sourceErrors = new Set<string>();
  for (const src of Object.values(t.claimNames ?? {})) {
    if (src === '') sourceErrors.add('oidc: failed to obtain source from claim name');
    else if (!t.claimSources || !(src in t.claimSources)) sourceErrors.add('oidc: source does not exist');
  }
  if (sourceErrors.size > 0) {
    const [first, ...others] = [...sourceErrors];
    if (others.length)
      notes.push(
        `The API server checks _claim_names in random order; it may report instead: oidc: verify token: ${others.join('; ')}`,
      );
    return verifyError(first);
  }

  if (t.issuer !== a.issuer.url && !(a.issuer.url === GOOGLE_ISSUER && t.issuer === GOOGLE_ISSUER_NO_SCHEME)) {
    return verifyError(
      `oidc: id token issued by a different provider, expected ${goQuote(a.issuer.url)} got ${goQuote(t.issuer)}`,
    );
  }
  if (audiences.length === 1 && !t.audience.includes(audiences[0])) {
    return verifyError(`oidc: expected audience ${goQuote(audiences[0])} got ${goQuoteList(t.audience)}`);
  }
  // time.Time.Before: expired only when exp < now. No leeway.
  if (t.expiry < now) {
    if (now - t.expiry <= SUCCESS_CACHE_SECONDS) {
      notes.push(
        `The API server caches successful authentications for ${SUCCESS_CACHE_SECONDS}s, so a request with this token may still succeed if the token was used just before it expired.`,
      );
    }
    // The API server prints the expiry in its process's local time zone; shown here in UTC.
    return verifyError(`oidc: token is expired (Token Expiry: ${goTimeUTC(t.expiry)})`);
  }
  if (t.notBefore !== undefined && now + NBF_LEEWAY_SECONDS < t.notBefore) {
    return verifyError(
      `oidc: current time ${goTimeUTC(now)} before the nbf (not before) time: ${goTimeUTC(t.notBefore)}`,
    );
  }
  // Then the signing algorithm, then the signature.
  if (input.header) {
    const alg = input.header.alg;
    if (typeof alg !== 'string') {
      return unpredictable(
        'the JWT header\'s "alg" is not a string; the API server rejects such a token as malformed, with a message this tool does not reproduce',
        notes,
      );
    }
    if (!model.signingAlgs.includes(alg)) {
      return verifyError(
        `oidc: id token signed with unsupported algorithm, expected ${goQuoteList(model.signingAlgs)} got ${goQuote(alg)}`,
      );
    }
    if (options.keys && input.compact !== undefined) {
      const kid = typeof input.header.kid === 'string' ? input.header.kid : '';
      if (!verifyCompactSignature(input.compact, alg, kid, options.keys)) {
        return verifyError('failed to verify signature: failed to verify id token signature');
      }
    }
  } else {
    notes.push(
      `No JWT header was given, so the signing algorithm was not checked (allowed: ${model.signingAlgs.join(', ')}).`,
    );
  }
  if (input.compact !== undefined && input.compact.split('.')[2] === '') {
    // An unsigned token (empty signature part) cannot pass signature verification.
    return verifyError('failed to verify signature: failed to verify id token signature');
  }
  if (!options.keys || input.compact === undefined) notes.push(SIGNATURE_NOTE);

  return verifyAudience(audiences, t.audience, verifyError);
}

/** `verifyAudience`: with several audiences, the API server's own MatchAny check, after go-oidc's. */
function verifyAudience(
  audiences: string[],
  tokenAudience: string[],
  verifyError: (e: string) => Outcome,
): Outcome | undefined {
  if (audiences.length > 1 && !tokenAudience.some((aud) => audiences.includes(aud))) {
    return verifyError(
      `oidc: expected audience in ${goQuoteList([...audiences].sort())} got ${goQuoteList(tokenAudience)}`,
    );
  }
  return undefined;
}

/** `claimResolver.expand`: distributed claims, only for the configured groups claim. */
function expandClaims(a: JWTAuthenticator, claims: Record<string, unknown>, notes: string[]): Outcome | undefined {
  const groupsClaim = a.claimMappings.groups?.claim ?? '';
  if (groupsClaim === '') return undefined;
  const expanded = expandDistributedClaims(groupsClaim, claims);
  if (!expanded) return undefined;
  if ('error' in expanded) return rejected(`oidc: could not expand distributed claims: ${expanded.error}`, notes);
  return unpredictable(
    `the groups claim ${goQuote(groupsClaim)} is a distributed claim: the API server would fetch it from ${expanded.endpoint} ` +
      '(and verify the returned JWT with the same audiences and algorithms); this review does not fetch it',
    notes,
  );
}

/** The error of the algorithm and signature checks alone, when they fail. */
function algorithmOrSignatureError(
  model: AuthenticatorModel,
  input: TokenInput,
  options: ReviewOptions,
): string | undefined {
  const alg = input.header?.alg;
  if (typeof alg !== 'string') return undefined;
  if (!model.signingAlgs.includes(alg))
    return `oidc: id token signed with unsupported algorithm, expected ${goQuoteList(model.signingAlgs)} got ${goQuote(alg)}`;
  const unsigned = input.compact !== undefined && input.compact.split('.')[2] === '';
  const kid = typeof input.header?.kid === 'string' ? input.header.kid : '';
  if (
    unsigned ||
    (options.keys && input.compact !== undefined && !verifyCompactSignature(input.compact, alg, kid, options.keys))
  ) {
    return 'failed to verify signature: failed to verify id token signature';
  }
  return undefined;
}

/**
 * The API server's claimResolver.expand for the groups claim. Returns undefined when nothing
 * needs resolving, an error, or the endpoint that the API server would call.
 */
function expandDistributedClaims(
  claim: string,
  claims: Record<string, unknown>,
): { error: string } | { endpoint: string } | undefined {
  if (Object.hasOwn(claims, claim)) return undefined;
  if (!Object.hasOwn(claims, '_claim_names')) return undefined;
  const names = claims._claim_names;
  const claimToSource: Record<string, string> = {};
  if (names !== null) {
    if (typeof names !== 'object' || Array.isArray(names)) {
      return {
        error: `oidc: error parsing distributed claim names: ${unmarshalTypeError(names, 'map[string]string')}`,
      };
    }
    for (const [k, v] of Object.entries(names as Record<string, unknown>)) {
      if (v !== null && typeof v !== 'string')
        return { error: `oidc: error parsing distributed claim names: ${unmarshalTypeError(v, 'string')}` };
      claimToSource[k] = (v as string | null) ?? '';
    }
  }
  if (!Object.hasOwn(claims, '_claim_sources')) return { error: 'oidc: no claim sources' };
  const rawSources = claims._claim_sources;
  const sources: Record<string, { endpoint: string }> = {};
  if (rawSources !== null) {
    if (typeof rawSources !== 'object' || Array.isArray(rawSources)) {
      return {
        error: `oidc: could not parse claim sources: ${unmarshalTypeError(rawSources, 'map[string]oidc.endpoint')}`,
      };
    }
    for (const [name, src] of Object.entries(rawSources as Record<string, unknown>)) {
      const entry = { endpoint: '' };
      if (src !== null && (typeof src !== 'object' || Array.isArray(src))) {
        return { error: `oidc: could not parse claim sources: ${unmarshalTypeError(src, 'oidc.endpoint')}` };
      }
      for (const [k, v] of Object.entries((src ?? {}) as Record<string, unknown>)) {
        const f = goFold(k);
        if (f !== 'endpoint' && f !== 'access_token' && f !== 'jwt') continue;
        if (v !== null && typeof v !== 'string') {
          const goField = f === 'jwt' ? 'JWT' : f;
          return {
            error: `oidc: could not parse claim sources: ${unmarshalTypeError(v, 'string', `endpoint.${goField}`)}`,
          };
        }
        if (f === 'endpoint') entry.endpoint = (v as string | null) ?? '';
      }
      sources[name] = entry;
    }
  }
  if (!Object.hasOwn(claimToSource, claim)) return undefined;
  const src = claimToSource[claim];
  if (!Object.hasOwn(sources, src))
    return { error: `id token _claim_names contained a source ${src} missing in _claims_sources` };
  if (sources[src].endpoint === '') return undefined; // an aggregated claim (JWT): ignored
  return { endpoint: sources[src].endpoint };
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
