/**
 * Go formatting helpers, so that messages read exactly as kube-apiserver prints them
 * (`%q`, `%q` of a []string, `field.Error`, `time.Time` `%v`, encoding/json type names).
 */

/** Go's strconv.Quote (`%q` of a string). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\x07':
        out += '\\a';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\v':
        out += '\\v';
        continue;
    }
    if (cp < 0x20 || cp === 0x7f) {
      out += '\\x' + cp.toString(16).padStart(2, '0');
    } else if (cp >= 0xd800 && cp <= 0xdfff) {
      // A lone surrogate is not valid UTF-8; Go would print the replacement character.
      out += '\\ufffd';
    } else if (!isGoPrintable(ch, cp)) {
      out += cp > 0xffff ? '\\U' + cp.toString(16).padStart(8, '0') : '\\u' + cp.toString(16).padStart(4, '0');
    } else {
      out += ch;
    }
  }
  return out + '"';
}

function isGoPrintable(ch: string, cp: number): boolean {
  if (cp < 0x80) return cp >= 0x20 && cp < 0x7f;
  if (cp === 0xa0 || cp === 0xad) return false;
  // Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
  return /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(ch);
}

/** `%q` of a Go []string: `["a" "b"]`; an empty or nil slice prints `[]`. */
export function goQuoteList(values: readonly string[]): string {
  return '[' + values.map(goQuote).join(' ') + ']';
}

/** The name encoding/json uses for a JSON value's kind in `json: cannot unmarshal <kind> into ...`. */
export function jsonKind(value: unknown): 'string' | 'number' | 'bool' | 'array' | 'object' | 'null' {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number' || typeof value === 'bigint') return 'number';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return 'array';
  return 'object';
}

/** `json: cannot unmarshal number into Go value of type string`. */
export function unmarshalTypeError(value: unknown, goType: string, structField?: string): string {
  if (structField)
    return `json: cannot unmarshal ${jsonKind(value)} into Go struct field ${structField} of type ${goType}`;
  return `json: cannot unmarshal ${jsonKind(value)} into Go value of type ${goType}`;
}

/**
 * Go `time.Time` printed with `%v` in UTC: `2009-11-10 22:00:00 +0000 UTC`.
 * The API server prints its process's local zone; Kubernetes control planes (Talos included) run in UTC.
 */
export function goTimeUTC(unixSeconds: number): string {
  if (unixSeconds === GO_ZERO_TIME) return '0001-01-01 00:00:00 +0000 UTC';
  const total = Math.floor(unixSeconds);
  const days = Math.floor(total / 86400);
  const secondsOfDay = total - days * 86400;
  // Proleptic Gregorian date from days since 1970-01-01 (H. Hinnant's civil_from_days).
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const y = year < 0 ? '-' + pad(-year, 4) : pad(year, 4);
  const h = Math.floor(secondsOfDay / 3600);
  const m = Math.floor((secondsOfDay % 3600) / 60);
  const sec = secondsOfDay % 60;
  // Go prints fractional seconds with trailing zeros removed (".999999999" layout).
  const nanos = Math.round((unixSeconds - total) * 1e9);
  const fraction = nanos > 0 ? '.' + String(nanos).padStart(9, '0').replace(/0+$/, '') : '';
  return `${y}-${pad(month)}-${pad(day)} ${pad(h)}:${pad(m)}:${pad(sec)}${fraction} +0000 UTC`;
}

/** Marker for Go's zero time (a missing `exp`). */
export const GO_ZERO_TIME = Number.NEGATIVE_INFINITY;

/** A field path as apimachinery prints it: `jwt[0].issuer.url`. */
export function formatFieldPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : '.' + part;
  }
  return out;
}

export type FieldErrorType = 'Required' | 'Invalid' | 'Duplicate' | 'TooMany' | 'Forbidden' | 'Internal';

const TYPE_TEXT: Record<FieldErrorType, string> = {
  Required: 'Required value',
  Invalid: 'Invalid value',
  Duplicate: 'Duplicate value',
  TooMany: 'Too many',
  Forbidden: 'Forbidden',
  Internal: 'Internal error',
};

/** apimachinery `field.Error.Error()`: `<path>: <type>[: <value>][: <detail>]`. */
export function formatFieldError(type: FieldErrorType, path: string, detail: string, value?: string | number): string {
  let body = TYPE_TEXT[type];
  if (type !== 'Required' && type !== 'Forbidden' && type !== 'Internal' && value !== undefined) {
    body += ': ' + (typeof value === 'number' ? String(value) : goQuote(value));
  }
  if (detail) body += ': ' + detail;
  return `${path}: ${body}`;
}

/** utilerrors.NewAggregate(...).Error(): one message as is, several as `[a, b]` (duplicates dropped). */
export function aggregateText(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  if (unique.length === 1) return unique[0];
  return '[' + unique.join(', ') + ']';
}
