/**
 * Go encoding/json decoding semantics for claim values (the API server decodes each claim from
 * its raw JSON into a Go string, bool, []string, ...), with Go's error texts.
 */
import { goQuote, jsonKind, unmarshalTypeError } from './goformat';

export type Decoded<T> = { ok: true; value: T } | { ok: false; error: string };

/** json.Unmarshal(raw, &string): null → "" (Go leaves the zero value). */
export function decodeString(value: unknown): Decoded<string> {
  if (value === null) return { ok: true, value: '' };
  if (typeof value === 'string') return { ok: true, value };
  return { ok: false, error: unmarshalTypeError(value, 'string') };
}

/** json.Unmarshal(raw, &bool): null → false. */
export function decodeBool(value: unknown): Decoded<boolean> {
  if (value === null) return { ok: true, value: false };
  if (typeof value === 'boolean') return { ok: true, value };
  return { ok: false, error: unmarshalTypeError(value, 'bool') };
}

/**
 * The API server's `stringOrArray`: first as []string, else as string. null → no groups.
 * A failing []string decode falls back to string, so its error names the whole value's kind.
 */
export function decodeStringOrArray(value: unknown): Decoded<string[]> {
  if (value === null) return { ok: true, value: [] };
  if (Array.isArray(value)) {
    // Go's []string accepts null elements (as ""), other kinds fail.
    if (value.every((v) => typeof v === 'string' || v === null))
      return { ok: true, value: value.map((v) => (v === null ? '' : (v as string))) };
    return { ok: false, error: unmarshalTypeError(value, 'string') };
  }
  if (typeof value === 'string') return { ok: true, value: [value] };
  return { ok: false, error: unmarshalTypeError(value, 'string') };
}

/** A number literal as Go's json.Number accepts it (also inside a JSON string). */
const NUMBER_LITERAL = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

/**
 * go-oidc's `jsonTime` (exp, iat, nbf): a json.Number; integer or float (truncated) unix seconds.
 * `structField` names the field for Go's error context (e.g. `idToken.exp`).
 */
export function decodeJSONTime(value: unknown, structField: string): Decoded<number> {
  if (value === null) return { ok: false, error: 'strconv.ParseFloat: parsing "": invalid syntax' };
  if (typeof value === 'number') return { ok: true, value: Math.trunc(value) };
  if (typeof value === 'string') {
    if (!NUMBER_LITERAL.test(value)) {
      return {
        ok: false,
        error: `json: invalid number literal, trying to unmarshal ${goQuote(JSON.stringify(value))} into Number`,
      };
    }
    return { ok: true, value: Math.trunc(Number(value)) };
  }
  return { ok: false, error: unmarshalTypeError(value, 'json.Number', structField) };
}

/** go-oidc's `audience`: a string or a []string. null decodes as the string "" → [""]. */
export function decodeAudience(value: unknown): Decoded<string[]> {
  if (value === null) return { ok: true, value: [''] };
  if (typeof value === 'string') return { ok: true, value: [value] };
  if (Array.isArray(value)) {
    const bad = value.find((v) => typeof v !== 'string' && v !== null);
    if (bad !== undefined) return { ok: false, error: unmarshalTypeError(bad, 'string', 'idToken.aud') };
    return { ok: true, value: value.map((v) => (v === null ? '' : (v as string))) };
  }
  return { ok: false, error: unmarshalTypeError(value, '[]string', 'idToken.aud') };
}

export { jsonKind };

/** encoding/json matches struct fields case-insensitively (after an exact match fails). */
export function goFold(key: string): string {
  return key.toLowerCase();
}
