/**
 * The parts of Go's net/url.Parse that kube-apiserver's issuer validation depends on:
 * scheme, user info, raw query, fragment, and the parse errors it prints.
 */
import { goQuote } from './goformat';

export interface GoURL {
  scheme: string;
  hasUser: boolean;
  rawQuery: string;
  fragment: string;
  host: string;
  path: string;
  opaque: string;
}

export type GoURLResult = { url: GoURL; error?: undefined } | { url?: undefined; error: string };

/** url.Parse(raw): returns the parsed parts, or the error text (`parse "<raw>": <reason>`). */
export function parseGoURL(raw: string): GoURLResult {
  const fail = (reason: string): GoURLResult => ({ error: `parse ${goQuote(raw)}: ${reason}` });
  const hashAt = raw.indexOf('#');
  const beforeFragment = hashAt >= 0 ? raw.slice(0, hashAt) : raw;
  const rawFragment = hashAt >= 0 ? raw.slice(hashAt + 1) : '';

  if (/[\x00-\x1f\x7f]/.test(beforeFragment)) return fail('net/url: invalid control character in URL');

  let rest = beforeFragment;
  let scheme = '';
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    if (/[a-zA-Z]/.test(c)) continue;
    if (/[0-9+.-]/.test(c)) {
      if (i === 0) break;
      continue;
    }
    if (c === ':') {
      if (i === 0) return fail('missing protocol scheme');
      scheme = rest.slice(0, i).toLowerCase();
      rest = rest.slice(i + 1);
    }
    break;
  }

  let rawQuery = '';
  if (rest.endsWith('?') && rest.split('?').length === 2) {
    rest = rest.slice(0, -1);
  } else {
    const q = rest.indexOf('?');
    if (q >= 0) {
      rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }

  const fragmentResult = unescape(rawFragment, false);
  if (fragmentResult.error) return fail(fragmentResult.error);
  const base = { scheme, rawQuery, fragment: fragmentResult.value, hasUser: false, host: '', path: '', opaque: '' };

  if (!rest.startsWith('/')) {
    if (scheme !== '') return { url: { ...base, opaque: rest } };
    const colon = rest.indexOf(':');
    const slash = rest.indexOf('/');
    if (colon >= 0 && (slash < 0 || colon < slash)) return fail('first path segment in URL cannot contain colon');
  }

  if ((scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    const afterSlashes = rest.slice(2);
    const end = afterSlashes.indexOf('/');
    const authority = end >= 0 ? afterSlashes.slice(0, end) : afterSlashes;
    rest = end >= 0 ? afterSlashes.slice(end) : '';
    const at = authority.lastIndexOf('@');
    const hostPart = at >= 0 ? authority.slice(at + 1) : authority;
    if (at >= 0 && !/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(authority.slice(0, at))) {
      return fail('net/url: invalid userinfo');
    }
    const hostError = checkHost(hostPart);
    if (hostError) return fail(hostError);
    base.hasUser = at >= 0;
    base.host = hostPart;
  }
  return { url: { ...base, path: rest } };
}

function checkHost(host: string): string | undefined {
  if (host.startsWith('[')) {
    const close = host.lastIndexOf(']');
    if (close < 0) return "missing ']' in host";
    const colonPort = host.slice(close + 1);
    if (!validOptionalPort(colonPort)) return `invalid port ${goQuote(colonPort)} after host`;
    return undefined;
  }
  const colon = host.lastIndexOf(':');
  if (colon >= 0) {
    const colonPort = host.slice(colon);
    if (!validOptionalPort(colonPort)) return `invalid port ${goQuote(colonPort)} after host`;
  }
  const bad = host.match(/[ <>"`{}|\\^]/);
  if (bad) return `invalid character ${goQuote(bad[0])} in host name`;
  const escaped = unescape(host, true);
  return escaped.error;
}

function validOptionalPort(port: string): boolean {
  if (port === '') return true;
  if (port[0] !== ':') return false;
  return /^[0-9]*$/.test(port.slice(1));
}

function unescape(s: string, inHost: boolean): { value: string; error?: string } {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '%') {
      out += s[i];
      continue;
    }
    const hex = s.slice(i + 1, i + 3);
    if (!/^[0-9a-fA-F]{2}$/.test(hex)) {
      const shown = s.slice(i, i + 3);
      return { value: '', error: `invalid URL escape ${goQuote(shown)}` };
    }
    if (inHost && hex.toLowerCase() !== '25' && parseInt(hex, 16) < 0x80) {
      // Go only allows %25 (zone identifiers) and non-ASCII escapes in hosts.
      return { value: '', error: `invalid URL escape ${goQuote('%' + hex)}` };
    }
    out += String.fromCharCode(parseInt(hex, 16));
    i += 2;
  }
  return { value: out };
}
