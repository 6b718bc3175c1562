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
  if (trimmed === '') throw new Error('The token is empty: paste a compact JWT (header.payload.signature) or a JSON object of claims.');
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (err) {
      throw new Error(`The claims are not valid JSON: ${(err as Error).message}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new Error('The claims must be a JSON object such as {"iss": "https://…", "sub": "…"}.');
    }
    return { claims: parsed as Record<string, unknown> };
  }
  if (/^bearer\s+/i.test(trimmed)) trimmed = trimmed.replace(/^bearer\s+/i, '');
  const parts = trimmed.split('.');
  if (parts.length === 5) {
    throw new Error('This is an encrypted token (JWE, five parts). The API server only accepts signed compact JWTs (three parts).');
  }
  if (parts.length !== 3) {
    throw new Error(`This is neither a JSON object of claims nor a compact JWT: a JWT has three base64url parts separated by dots, this text has ${parts.length}.`);
  }
  const header = decodePart(parts[0], 'header');
  const claims = decodePart(parts[1], 'payload');
  return { claims, header, compact: trimmed };
}

function decodePart(part: string, name: 'header' | 'payload'): Record<string, unknown> {
  // Lenient here (padding and standard base64 tolerated) so a review can still explain the token;
  // the review's issuer pre-check applies the API server's strict decoding to the compact text.
  const unpadded = part.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  if (!BASE64URL.test(unpadded) || unpadded.length % 4 === 1) {
    throw new Error(`The JWT ${name} is not base64url text.`);
  }
  const json = Buffer.from(unpadded, 'base64url').toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error(`The JWT ${name} does not decode to JSON.`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`The JWT ${name} must be a JSON object.`);
  }
  return parsed as Record<string, unknown>;
}

/** Go's base64.RawURLEncoding.DecodeString: no padding, URL alphabet, no stray characters. */
export function strictRawURLDecode(part: string): string | undefined {
  if (!BASE64URL.test(part) || part.length % 4 === 1) return undefined;
  // RawURLEncoding is not in strict mode: non-zero trailing bits are accepted, as Node does.
  return Buffer.from(part, 'base64url').toString('utf8');
}
