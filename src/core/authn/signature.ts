/**
 * Signature verification as the API server's verifier does it (go-oidc v2's remote key set over
 * go-jose v2), for a review that is given the issuer's keys: every key whose `kid` equals the
 * token's (or every key when the token names none) is tried; the token passes when one verifies.
 */
import { constants, createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';

export interface JsonWebKeySet {
  keys: JsonWebKey[];
}

/** Parses a JSON Web Key Set; throws with a message for users when it is not one. */
export function parseJwks(text: string): JsonWebKeySet {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`The key set is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys))
    throw new Error('The key set must be a JSON object with a "keys" array (the document at the issuer\'s jwks_uri).');
  return { keys: keys.filter((k): k is JsonWebKey => k !== null && typeof k === 'object') };
}

const HASH: Record<string, string> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };
/** go-jose's signature size check for ECDSA: 2 × the curve's key size for the algorithm. */
const EC_SIGNATURE_BYTES: Record<string, number> = { ES256: 64, ES384: 96, ES512: 132 };

function verifyWithKey(alg: string, jwk: JsonWebKey, signingInput: Buffer, signature: Buffer): boolean {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: jwk, format: 'jwk' });
  } catch {
    return false;
  }
  const hash = HASH[alg.slice(2)];
  if (!hash) return false;
  try {
    if (alg.startsWith('RS') && key.asymmetricKeyType === 'rsa') return verify(hash, signingInput, key, signature);
    if (alg.startsWith('PS') && key.asymmetricKeyType === 'rsa') {
      // go-jose passes nil PSS options: the salt length is detected.
      return verify(
        hash,
        signingInput,
        { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO },
        signature,
      );
    }
    if (alg.startsWith('ES') && key.asymmetricKeyType === 'ec') {
      if (signature.length !== EC_SIGNATURE_BYTES[alg]) return false;
      return verify(hash, signingInput, { key, dsaEncoding: 'ieee-p1363' }, signature);
    }
  } catch {
    return false;
  }
  return false;
}

/**
 * True when the compact token's signature verifies with one of the keys (kid matched as go-oidc
 * does). The caller has already checked the algorithm against the allowed ones.
 */
export function verifyCompactSignature(compact: string, alg: string, kid: string, jwks: JsonWebKeySet): boolean {
  const parts = compact.split('.');
  if (parts.length !== 3) return false;
  const signingInput = Buffer.from(`${parts[0]}.${parts[1]}`);
  const signature = Buffer.from(parts[2], 'base64url');
  for (const jwk of jwks.keys) {
    const keyId = typeof (jwk as { kid?: unknown }).kid === 'string' ? (jwk as { kid: string }).kid : '';
    if (kid !== '' && keyId !== kid) continue;
    if (verifyWithKey(alg, jwk, signingInput, signature)) return true;
  }
  return false;
}
