/** Turning what a user pastes (a compact JWT or a JSON claims payload) into a TokenInput. */
import type { TokenInput } from './types';

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Accepts a JSON claims object or a compact JWT (`header.payload.signature`, base64url as the
 * API server expects; a leading `Bearer ` is ignored). The token is decoded, not verified.
 * Throws an Error with a message for users when the text is neither.
 */
export function decodeTokenInput(text: string): TokenInput {
  let trimmed = text.trim();
  if (trimmed === '')
    throw new Error('The token is empty: paste a compact JWT (header.payload.signature) or a JSON object of claims.');
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (err) {
      throw new Error(`The claims are not valid JSON: ${(err as Error).message}`, { cause: err });
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new Error('The claims must be a JSON object such as {"iss": "https://…", "sub": "…"}.');
    }
    return { claims: parsed as Record<string, unknown> };
  }
  if (/^bearer\s+/i.test(trimmed)) trimmed = trimmed.replace(/^bearer\s+/i, '');
  return decodeBearerToken(trimmed);
}

/**
 * The token exactly as a request's `Authorization: Bearer` header carries it. Never throws: a
 * text that is no compact JWT at all (two or five parts, a payload that is not base64url JSON) is
 * a token the API server's JWT authenticator skips, so its review says "not authenticated".
 */
export function decodeBearerToken(token: string): TokenInput {
  const parts = token.split('.');
  const unreadable: TokenInput = { claims: {}, compact: token };
  if (parts.length !== 3 || token.trim().startsWith('{')) return unreadable;
  // The claims are read leniently (padding, standard base64) so a review can still explain the
  // token; the issuer pre-check applies the API server's strict decoding to the compact text.
  const claims = decodeJSONPart(parts[1], true);
  if (!claims.ok) return unreadable;
  // go-jose's compact parser: base64url of header, payload and signature, then the header's JSON.
  const headerText = strictRawURLDecode(parts[0]);
  if (headerText === undefined) return { claims: claims.value, compact: token, headerError: base64Error(parts[0]) };
  const signatureError = strictRawURLDecode(parts[2]) === undefined ? base64Error(parts[2]) : undefined;
  if (signatureError !== undefined) return { claims: claims.value, compact: token, headerError: signatureError };
  const header = decodeJSONPart(parts[0]);
  if (!header.ok)
    return {
      claims: claims.value,
      compact: token,
      headerError: header.truncated ? 'unexpected end of JSON input' : null,
    };
  return { claims: claims.value, header: header.value, compact: token };
}

function decodeJSONPart(
  part: string,
  lenient = false,
): { ok: true; value: Record<string, unknown> } | { ok: false; truncated: boolean } {
  const text = lenient ? lenientDecode(part) : strictRawURLDecode(part);
  if (text === undefined) return { ok: false, truncated: false };
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, truncated: false };
    return { ok: true, value: value as Record<string, unknown> };
  } catch {
    return { ok: false, truncated: isTruncatedJSON(text) };
  }
}

function lenientDecode(part: string): string | undefined {
  return strictRawURLDecode(part.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'));
}

/** True when the text is a valid beginning of a JSON value that ends too early. */
function isTruncatedJSON(text: string): boolean {
  for (const tail of ['"', '}', ']', '"}', '"]', '0}', '0]', 'null}', '"":0}']) {
    for (const closing of ['', '}', ']}', '}]', ']]', '}}']) {
      try {
        JSON.parse(text + tail + closing);
        return true;
      } catch {
        // try the next ending
      }
    }
  }
  return false;
}

/** Go's base64.CorruptInputError text for RawURLEncoding, at the first byte that cannot be decoded. */
function base64Error(part: string): string | null {
  const bad = part.search(/[^A-Za-z0-9_-]/);
  if (bad >= 0) return `illegal base64 data at input byte ${bad}`;
  return null;
}

/** Go's base64.RawURLEncoding.DecodeString: no padding, URL alphabet, no stray characters. */
export function strictRawURLDecode(part: string): string | undefined {
  if (!BASE64URL.test(part) || part.length % 4 === 1) return undefined;
  // RawURLEncoding is not in strict mode: non-zero trailing bits are accepted, as Node does.
  return Buffer.from(part, 'base64url').toString('utf8');
}
