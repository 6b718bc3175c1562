/**
 * The API server's `idTokenVerifier.Verify` (k8s.io/apiserver oidc.go over go-oidc v2 `Verify`),
 * with its error texts: the JWS, the claims (issuer, audience, expiry, not-before), the signing
 * algorithm and the signature, then `verifyAudience` for several audiences.
 */
import type { AuthenticatorModel, JWTAuthenticator, TokenInput } from './types';
import { rejected, unpredictable, type Outcome } from './outcome';
import { GO_ZERO_TIME, goQuote, goQuoteList, goTimeUTC, unmarshalTypeError } from './goformat';
import { decodeAudience, decodeJSONTime, goFold } from './gojson';
import { verifyCompactSignature, type JsonWebKeySet } from './signature';

export const GOOGLE_ISSUER = 'https://accounts.google.com';
export const GOOGLE_ISSUER_NO_SCHEME = 'accounts.google.com';
/** kube-apiserver's TokenSuccessCacheTTL. */
const SUCCESS_CACHE_SECONDS = 10;
/** go-oidc's leeway for `nbf`. There is none for `exp`. */
const NBF_LEEWAY_SECONDS = 60;

const SIGNATURE_NOTE =
  "The signature was not verified (that needs the provider's keys); this review assumes it is valid.";

export interface ReviewOptions {
  /** The issuer's keys (its JWKS): when given, a compact token's signature is verified as the API server does. */
  keys?: JsonWebKeySet;
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
 * `idTokenVerifier.Verify`: go-oidc's `Verify` (the JWS, the claims, the algorithm, the
 * signature), then `verifyAudience` for several audiences. Undefined when the token passes.
 */
export function verifyToken(
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
