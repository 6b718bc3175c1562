/**
 * Plays the browser against the test provider: follows redirects with cookies, submits the
 * devInteractions login form (the `login` value is the account ID) and the consent form, and
 * finally requests the redirect back to the client's loopback callback, as a browser would.
 */
import { createFetch } from '../../../src/core/login/http';

export interface DriveLoginOptions {
  /** The test provider's CA. */
  caPem: string;
  /** Account ID (`sub`) to log in as; required unless `abort`. */
  login?: string;
  /** Press "cancel" on the login page instead: the provider redirects with `error=access_denied`. */
  abort?: boolean;
  /** Change the authorization request before the "browser" opens it (e.g. swap the nonce). */
  tamper?: (url: URL) => void;
  /** Request the final redirect (default true). False: return it without calling the callback. */
  deliverCallback?: boolean;
  signal?: AbortSignal;
}

export interface DriveLoginResult {
  /** Where the provider sent the browser: the client's redirect URI with code/state (or error). */
  callbackUrl: string;
  /** The loopback listener's answer, when delivered. */
  callbackStatus?: number;
  callbackBody?: string;
}

/** The provider showed an error page instead of redirecting back (e.g. an unregistered redirect_uri). */
export class ProviderErrorPage extends Error {
  override name = 'ProviderErrorPage';
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
    readonly url: string,
  ) {
    super(
      `the provider showed an error page (HTTP ${status}) at ${url}: ${error}${description ? `: ${description}` : ''}`,
    );
  }
}

export async function driveLogin(authorizationUrl: string, options: DriveLoginOptions): Promise<DriveLoginResult> {
  // The driver plays the browser: it follows the redirect to the login's http://localhost callback.
  const fetch = createFetch({ caPem: options.caPem, allowHttpLoopback: true });
  const start = new URL(authorizationUrl);
  options.tamper?.(start);
  const providerOrigin = start.origin;
  const cookies = new Map<string, string>();

  let url = start;
  let method = 'GET';
  let body: URLSearchParams | undefined;
  for (let hop = 0; hop < 20; hop++) {
    if (url.origin !== providerOrigin) {
      if (options.deliverCallback === false) return { callbackUrl: url.href };
      const response = await fetch(url, { signal: options.signal });
      return { callbackUrl: url.href, callbackStatus: response.status, callbackBody: await response.text() };
    }
    const response = await fetch(url, {
      method,
      body,
      headers: cookies.size ? { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') } : {},
      signal: options.signal,
    });
    storeCookies(cookies, response.headers.getSetCookie());
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      url = new URL(location, url);
      method = 'GET';
      body = undefined;
      continue;
    }
    const html = await response.text();
    const form = parseForm(html);
    if (response.status !== 200 || !form) throw errorPageOf(response.status, html, url.href);

    url = new URL(form.action, url);
    method = 'POST';
    body = new URLSearchParams(form.fields);
    if (form.fields.prompt === 'login') {
      if (options.abort) {
        url = new URL(`${url.pathname}/abort`, url);
        method = 'GET';
        body = undefined;
        continue;
      }
      if (!options.login) throw new Error('driveLogin: the provider asks for a login but no `login` was given');
      body.set('login', options.login);
      body.set('password', 'test');
    }
  }
  throw new Error(`driveLogin: more than 20 redirects or forms starting at ${authorizationUrl}`);
}

function storeCookies(jar: Map<string, string>, setCookies: string[]): void {
  for (const line of setCookies) {
    const [pair, ...attributes] = line.split(';');
    const eq = pair.indexOf('=');
    if (eq < 1) continue;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const expired = attributes.some((attribute) => {
      const [key, val] = attribute.split('=').map((part) => part.trim().toLowerCase());
      return (key === 'expires' && Date.parse(val) < Date.now()) || (key === 'max-age' && Number(val) <= 0);
    });
    if (expired || value === '') jar.delete(name);
    else jar.set(name, value);
  }
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function parseForm(html: string): { action: string; fields: Record<string, string> } | undefined {
  const form = /<form\b[^>]*\baction="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) return undefined;
  const fields: Record<string, string> = {};
  for (const input of form[2].matchAll(/<input\b[^>]*>/gi)) {
    const name = /\bname="([^"]*)"/i.exec(input[0])?.[1];
    const type = /\btype="([^"]*)"/i.exec(input[0])?.[1];
    if (!name || type !== 'hidden') continue;
    fields[name] = decodeEntities(/\bvalue="([^"]*)"/i.exec(input[0])?.[1] ?? '');
  }
  return { action: decodeEntities(form[1]), fields };
}

function errorPageOf(status: number, html: string, url: string): ProviderErrorPage {
  const field = (key: string) => {
    const match = new RegExp(`data-key="${key}">([^<]*)<`).exec(html);
    return match ? decodeEntities(match[1]) : '';
  };
  const error = field('error') || (/<title>([^<]*)<\/title>/i.exec(html)?.[1] ?? `HTTP ${status}`);
  return new ProviderErrorPage(status, error, field('error_description'), url);
}
