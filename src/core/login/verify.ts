/**
 * ID token verification: signature against the provider's JWKS, then issuer, audience, expiry
 * and nonce. Each failure comes back as a sentence saying what differs and the likely cause.
 */
import { constants, createPublicKey, verify as cryptoVerify, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { JsonWebKeyEntry, JsonWebKeySet } from './discovery';

export interface DecodedJwt {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

export interface VerifyIdTokenOptions {
  /** The configured issuer: `iss` must equal it exactly, as the API server requires. */
  issuer: string;
  clientId: string;
  /** The nonce sent in the authorization request (required when given). */
  nonce?: string;
  jwks: JsonWebKeySet;
  /** Seconds since the epoch; defaults to now. */
  now?: number;
  /** Accept EdDSA signatures too (the API server does not; only when the user asks for it). */
  allowEdDSA?: boolean;
}

/** What kube-apiserver (go-oidc) accepts; HMAC, `none`, RS1/RS224 and friends never verify a provider. */
export const ALLOWED_SIGNING_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
] as const;

/** go-oidc's leeway for `nbf`: a token "not yet valid" by less than this is accepted (clock skew). */
export const NOT_BEFORE_LEEWAY_SECONDS = 5 * 60;

export type IdTokenVerification =
  | { ok: true; header: Record<string, unknown>; claims: Record<string, unknown>; kid?: string }
  | { ok: false; reason: string; header?: Record<string, unknown>; claims?: Record<string, unknown> };

/** Decodes a compact JWS without verifying it; throws an Error saying what is malformed. */
export function decodeJwt(token: string): DecodedJwt {
  const parts = token.split('.');
  if (parts.length !== 3)
    throw new Error(`The token is not a compact JWT (it has ${parts.length} dot-separated parts, not 3).`);
  const part = (text: string, name: string): Record<string, unknown> => {
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    } catch {
      throw new Error(`The token's ${name} is not base64url-encoded JSON.`);
    }
    if (!value || typeof value !== 'object' || Array.isArray(value))
      throw new Error(`The token's ${name} is not a JSON object.`);
    return value as Record<string, unknown>;
  };
  return {
    header: part(parts[0], 'header'),
    claims: part(parts[1], 'payload'),
    signingInput: `${parts[0]}.${parts[1]}`,
    signature: Buffer.from(parts[2], 'base64url'),
  };
}

export function verifyIdToken(token: string, options: VerifyIdTokenOptions): IdTokenVerification {
  let decoded: DecodedJwt;
  try {
    decoded = decodeJwt(token);
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  const { header, claims } = decoded;
  const fail = (reason: string): IdTokenVerification => ({ ok: false, reason, header, claims });

  const alg = header.alg;
  if (typeof alg !== 'string') return fail('The token header has no "alg".');
  if (alg === 'none' || alg.startsWith('HS')) {
    return fail(
      `The token is signed with "${alg}", which proves nothing about the provider (no key or a shared secret); only asymmetric signatures can be verified.`,
    );
  }
  const allowed: readonly string[] = options.allowEdDSA
    ? [...ALLOWED_SIGNING_ALGORITHMS, 'EdDSA']
    : ALLOWED_SIGNING_ALGORITHMS;
  if (!allowed.includes(alg)) {
    return fail(
      `The token is signed with "${alg}", which is not accepted: the API server verifies only ${ALLOWED_SIGNING_ALGORITHMS.join(', ')}${alg === 'EdDSA' ? ' (EdDSA only when you ask for it)' : ''}.`,
    );
  }
  // RFC 7515: a critical header extension the verifier does not understand makes the token invalid
  // (go-jose, under the API server, understands none that an ID token would carry).
  if (header.crit !== undefined) {
    return fail(
      `The token header marks ${JSON.stringify(header.crit)} as critical extensions, which this verifier (like the API server's) does not understand, so the token must be rejected.`,
    );
  }
  const kid = typeof header.kid === 'string' ? header.kid : undefined;
  const candidates = options.jwks.keys.filter((key) => (kid === undefined || key.kid === kid) && keyFitsAlg(key, alg));
  if (candidates.length === 0) {
    const kids = options.jwks.keys.map((key) => key.kid ?? '(none)').join(', ') || 'none';
    return fail(
      kid
        ? `The token was signed by a key the provider does not publish (kid "${kid}"; the JWKS has ${kids}): it comes from another key or issuer, or the provider rotated its keys.`
        : `The provider's JWKS has no key for "${alg}" (kids: ${kids}).`,
    );
  }
  const signatureValid = candidates.some((key) => {
    const publicKey = importKey(key);
    return (
      publicKey !== undefined && verifySignature(alg, publicKey, Buffer.from(decoded.signingInput), decoded.signature)
    );
  });
  if (!signatureValid) {
    return fail(
      `The signature does not verify with the provider's key${kid ? ` "${kid}"` : 's'}: the token was signed by another key or altered after signing.`,
    );
  }

  if (claims.iss !== options.issuer) {
    const iss = JSON.stringify(claims.iss);
    const hint =
      typeof claims.iss === 'string' && claims.iss.replace(/\/$/, '') === options.issuer.replace(/\/$/, '')
        ? ' They differ only in a trailing slash, which counts: the API server compares them character for character.'
        : '';
    return fail(`The token's issuer (iss) is ${iss}, not the configured "${options.issuer}".${hint}`);
  }
  const audiences =
    typeof claims.aud === 'string'
      ? [claims.aud]
      : Array.isArray(claims.aud)
        ? claims.aud.filter((a): a is string => typeof a === 'string')
        : [];
  if (!audiences.includes(options.clientId)) {
    return fail(
      `The token's audience (aud) ${JSON.stringify(claims.aud ?? [])} does not contain the client ID "${options.clientId}": it was issued to another client.`,
    );
  }
  // OpenID Connect Core 3.1.3.7: when azp is present it must be this client (whatever the number of audiences).
  if (claims.azp !== undefined && claims.azp !== options.clientId) {
    return fail(
      `The token's authorized party (azp) is ${JSON.stringify(claims.azp)}, not the client ID "${options.clientId}": it was issued to another client.`,
    );
  }
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (typeof claims.exp !== 'number')
    return fail('The token has no expiry (exp), which the API server treats as expired.');
  if (claims.exp <= now) {
    return fail(
      `The token expired at ${new Date(claims.exp * 1000).toISOString()} (now ${new Date(now * 1000).toISOString()}).`,
    );
  }
  if (claims.nbf !== undefined) {
    if (typeof claims.nbf !== 'number')
      return fail(`The token's "not before" (nbf) is ${JSON.stringify(claims.nbf)}, not a number of seconds.`);
    if (claims.nbf > now + NOT_BEFORE_LEEWAY_SECONDS) {
      return fail(
        `The token is not valid before ${new Date(claims.nbf * 1000).toISOString()} (nbf; now ${new Date(now * 1000).toISOString()}, 5 minutes of clock skew allowed): the API server rejects it until then. Check the provider's clock.`,
      );
    }
  }
  if (options.nonce !== undefined) {
    if (claims.nonce === undefined)
      return fail('The token has no nonce although this login sent one: it was not issued for this login.');
    if (claims.nonce !== options.nonce)
      return fail(
        "The token's nonce differs from the one this login sent: it was issued for another login (replayed or substituted).",
      );
  }
  return { ok: true, header, claims, kid };
}

function keyFitsAlg(key: JsonWebKeyEntry, alg: string): boolean {
  if (key.use !== undefined && key.use !== 'sig') return false;
  if (typeof key.alg === 'string' && key.alg !== alg) return false;
  if (alg.startsWith('RS') || alg.startsWith('PS')) return key.kty === 'RSA';
  if (alg === 'ES256') return key.kty === 'EC' && key.crv === 'P-256';
  if (alg === 'ES384') return key.kty === 'EC' && key.crv === 'P-384';
  if (alg === 'ES512') return key.kty === 'EC' && key.crv === 'P-521';
  if (alg === 'EdDSA') return key.kty === 'OKP' && (key.crv === 'Ed25519' || key.crv === 'Ed448');
  return false;
}

function importKey(key: JsonWebKeyEntry): KeyObject | undefined {
  try {
    return createPublicKey({ key: key as JsonWebKey, format: 'jwk' });
  } catch {
    return undefined;
  }
}

function verifySignature(alg: string, key: KeyObject, input: Buffer, signature: Buffer): boolean {
  try {
    if (alg === 'EdDSA') return cryptoVerify(null, input, key, signature);
    const hash = `sha${alg.slice(2)}`;
    if (alg.startsWith('RS')) return cryptoVerify(hash, input, key, signature);
    if (alg.startsWith('PS')) {
      return cryptoVerify(
        hash,
        input,
        { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(alg.slice(2)) / 8 },
        signature,
      );
    }
    if (alg.startsWith('ES')) return cryptoVerify(hash, input, { key, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    return false;
  }
  return false;
}
