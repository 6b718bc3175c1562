/**
 * A `fetch` that trusts an extra CA (a private issuer's, like kubelogin's
 * `--certificate-authority`) on top of the system roots. Node's built-in fetch cannot be given
 * a CA without the `undici` package, so this is a small fetch over `https.request`.
 * It never follows redirects: every caller here (discovery, token endpoint, the login-form
 * driver) wants to see them.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import * as tls from 'node:tls';

export interface FetchInit {
  method?: string;
  headers?: Headers | Record<string, string> | [string, string][];
  body?: string | URLSearchParams | Uint8Array | null;
  signal?: AbortSignal | null;
  redirect?: string;
}

export type FetchLike = (url: string | URL, init?: FetchInit) => Promise<Response>;

export interface HttpOptions {
  /** PEM text of one or more CA certificates trusted in addition to the system roots. */
  caPem?: string;
  /** Largest response body accepted, in bytes (discovery documents and token responses are small). */
  maxBodyBytes?: number;
  /**
   * Allow plain http to loopback addresses (tests, and the login-form driver acting as a
   * browser). Off by default: discovery, JWKS and token requests go over https only.
   */
  allowHttpLoopback?: boolean;
  /** Milliseconds one request may take, connection to the end of the body (default 30 s). */
  timeoutMs?: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** Hosts that are this machine: the only ones plain http may go to, and only when allowed. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/**
 * Why a URL may not be requested, or undefined: https always; http only to loopback and only
 * when `allowHttpLoopback` is set; nothing else (file:, data:, javascript:, …).
 */
export function disallowedUrl(url: URL, allowHttpLoopback: boolean): string | undefined {
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:') {
    if (allowHttpLoopback && isLoopbackHost(url.hostname)) return undefined;
    return `${url.href} is plain http; the provider must be reached over https (tokens and keys must not travel unencrypted)`;
  }
  return `${url.href} is not an https URL (scheme ${url.protocol})`;
}

/** Statuses whose responses have no body (the Response constructor rejects one). */
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

export function createFetch(options: HttpOptions = {}): FetchLike {
  const ca = options.caPem ? [...tls.rootCertificates, options.caPem] : undefined;
  const maxBodyBytes = options.maxBodyBytes ?? 5 * 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = typeof input === 'string' ? new URL(input) : input;
      const refused = disallowedUrl(url, options.allowHttpLoopback === true);
      if (refused) {
        reject(Object.assign(new TypeError(refused), { code: 'ERR_INSECURE_URL' }));
        return;
      }
      const headers = new Headers(init.headers ?? {});
      let body: Buffer | undefined;
      if (init.body instanceof URLSearchParams) {
        body = Buffer.from(init.body.toString());
        if (!headers.has('content-type'))
          headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8');
      } else if (typeof init.body === 'string') body = Buffer.from(init.body);
      else if (init.body) body = Buffer.from(init.body);
      if (body) headers.set('content-length', String(body.length));
      const outgoing: Record<string, string> = {};
      headers.forEach((value, key) => (outgoing[key] = value));

      const signal = init.signal ?? undefined;
      if (signal?.aborted) {
        reject(abortError(signal));
        return;
      }
      const requestOptions: https.RequestOptions = {
        method: init.method ?? 'GET',
        headers: outgoing,
      };
      let request: http.ClientRequest;
      if (url.protocol === 'https:') request = https.request(url, { ...requestOptions, ca });
      else if (url.protocol === 'http:') request = http.request(url, requestOptions);
      else {
        reject(new TypeError(`unsupported URL scheme ${url.protocol} in ${url.href}`));
        return;
      }
      const onAbort = () => request.destroy(abortError(signal!));
      signal?.addEventListener('abort', onAbort, { once: true });
      // One deadline for the whole exchange: a server that accepts and then trickles or stalls must not hang the caller.
      const timer = setTimeout(() => {
        request.destroy(
          Object.assign(new Error(`no complete answer from ${url.origin} within ${Math.round(timeoutMs / 1000)} s`), {
            code: 'ETIMEDOUT',
          }),
        );
      }, timeoutMs);
      timer.unref?.();
      request.on('close', () => clearTimeout(timer));
      request.on('error', (error) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        reject(error);
      });
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBodyBytes) {
            request.destroy(new Error(`response from ${url.origin} is larger than ${maxBodyBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        response.on('error', reject);
        response.on('end', () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          const responseHeaders = new Headers();
          for (const [key, value] of Object.entries(response.headers)) {
            if (value === undefined) continue;
            for (const item of Array.isArray(value) ? value : [value]) responseHeaders.append(key, item);
          }
          const status = response.statusCode ?? 500;
          const result = new Response(NULL_BODY_STATUSES.has(status) ? null : Buffer.concat(chunks), {
            status,
            statusText: response.statusMessage,
            headers: responseHeaders,
          });
          // Response.url is read-only and empty for constructed responses; callers that need it get it here.
          Object.defineProperty(result, 'url', { value: url.href });
          resolve(result);
        });
      });
      request.end(body);
    });
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('The operation was aborted', 'AbortError');
}

/** The TLS and network error codes a user can act on, in words, with the fix. */
export function describeNetworkError(error: unknown, url: string): { message: string; fix?: string } {
  const code = errorCode(error);
  const origin = safeOrigin(url);
  switch (code) {
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT':
      return {
        message: `The TLS certificate of ${origin} is not signed by a trusted CA (${code}).`,
        fix: `Give the CA that signed it as a CA file (PEM), as kubelogin's --certificate-authority does; the API server needs the same CA in oidc-ca-file (or issuer.certificateAuthority).`,
      };
    case 'CERT_HAS_EXPIRED':
      return {
        message: `The TLS certificate of ${origin} has expired.`,
        fix: 'Renew the certificate of the provider.',
      };
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return {
        message: `The TLS certificate of ${origin} does not name this host (${code}).`,
        fix: 'Use the host name the certificate was issued for in the issuer URL, or reissue the certificate with this name.',
      };
    case 'ECONNREFUSED':
      return {
        message: `Nothing answers at ${origin} (connection refused).`,
        fix: 'Check the issuer URL and that the provider is running.',
      };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return {
        message: `The host of ${origin} cannot be resolved (${code}).`,
        fix: 'Check the issuer URL for typos and DNS.',
      };
    case 'ERR_INSECURE_URL':
      return {
        message: `Refused to request ${url}: ${error instanceof Error ? error.message : String(error)}.`,
        fix: 'The issuer and every endpoint in its discovery document must be https URLs, as the API server and kubelogin require.',
      };
    case 'ETIMEDOUT':
    case 'ECONNRESET':
      return {
        message: `The connection to ${origin} failed (${code}).`,
        fix: 'Check the network path to the provider.',
      };
    case 'EPROTO':
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
      return {
        message: `${origin} does not speak TLS (${code}).`,
        fix: 'Check the scheme and port of the issuer URL: the API server only accepts https issuers.',
      };
    default:
      return { message: `Request to ${url} failed: ${error instanceof Error ? error.message : String(error)}.` };
  }
}

function errorCode(error: unknown): string | undefined {
  if (error && typeof error === 'object') {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const cause = (error as { cause?: unknown }).cause;
    if (cause) return errorCode(cause);
  }
  return undefined;
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
