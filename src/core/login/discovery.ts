/** Reading an issuer's discovery document and JWKS, with failures as words and fixes. */
import { describeNetworkError, type FetchLike } from './http';

/** The discovery fields this tool reads (OpenID Connect Discovery 1.0). */
export interface ProviderMetadata {
  issuer: string;
  authorization_endpoint?: string;
  token_endpoint?: string;
  jwks_uri?: string;
  scopes_supported?: string[];
  id_token_signing_alg_values_supported?: string[];
  code_challenge_methods_supported?: string[];
  token_endpoint_auth_methods_supported?: string[];
  authorization_response_iss_parameter_supported?: boolean;
  [field: string]: unknown;
}

export interface JsonWebKeyEntry {
  kty: string;
  kid?: string;
  alg?: string;
  use?: string;
  crv?: string;
  [field: string]: unknown;
}

export interface JsonWebKeySet {
  keys: JsonWebKeyEntry[];
}

export type Fetched<T> =
  { ok: true; value: T; url: string } | { ok: false; message: string; fix?: string; url: string };

/** Where go-oidc and kubelogin look: the issuer without its trailing slash, plus the well-known path. */
export function discoveryUrlOf(issuerUrl: string): string {
  return `${issuerUrl.replace(/\/$/, '')}/.well-known/openid-configuration`;
}

export async function fetchJson(
  url: string,
  fetch: FetchLike,
  what: string,
  signal?: AbortSignal,
): Promise<Fetched<unknown>> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' }, signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    return { ok: false, url, ...describeNetworkError(error, url) };
  }
  if (response.status !== 200) {
    return {
      ok: false,
      url,
      message: `The ${what} at ${url} answered HTTP ${response.status} instead of 200.`,
      fix:
        what === 'discovery document'
          ? 'Check the issuer URL: its discovery document must be at <issuer>/.well-known/openid-configuration (for Pocket-ID the issuer is its public app URL).'
          : undefined,
    };
  }
  const text = await response.text();
  try {
    return { ok: true, url, value: JSON.parse(text) as unknown };
  } catch {
    return {
      ok: false,
      url,
      message: `The ${what} at ${url} is not JSON (it starts with ${JSON.stringify(text.slice(0, 40))}).`,
    };
  }
}

export async function fetchDiscovery(
  issuerUrl: string,
  fetch: FetchLike,
  signal?: AbortSignal,
): Promise<Fetched<ProviderMetadata>> {
  const fetched = await fetchJson(discoveryUrlOf(issuerUrl), fetch, 'discovery document', signal);
  if (!fetched.ok) return fetched;
  const body = fetched.value;
  if (
    !body ||
    typeof body !== 'object' ||
    Array.isArray(body) ||
    typeof (body as { issuer?: unknown }).issuer !== 'string'
  ) {
    return { ok: false, url: fetched.url, message: `The discovery document at ${fetched.url} has no "issuer" string.` };
  }
  const metadata = body as ProviderMetadata;
  const missing = (['authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const).filter(
    (field) => typeof metadata[field] !== 'string',
  );
  if (missing.length) {
    return {
      ok: false,
      url: fetched.url,
      message: `The discovery document at ${fetched.url} lacks ${missing.join(', ')}.`,
    };
  }
  return { ok: true, url: fetched.url, value: metadata };
}

export async function fetchJwks(
  jwksUri: string,
  fetch: FetchLike,
  signal?: AbortSignal,
): Promise<Fetched<JsonWebKeySet>> {
  const fetched = await fetchJson(jwksUri, fetch, 'JWKS', signal);
  if (!fetched.ok) return fetched;
  const keys = (fetched.value as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys))
    return { ok: false, url: fetched.url, message: `The JWKS at ${fetched.url} has no "keys" array.` };
  const valid = keys.filter(
    (key): key is JsonWebKeyEntry =>
      !!key && typeof key === 'object' && typeof (key as { kty?: unknown }).kty === 'string',
  );
  return { ok: true, url: fetched.url, value: { keys: valid } };
}

/** The JWS algorithms a key can sign with (its `alg` when set, else what its type allows). */
export function algorithmsOfKey(key: JsonWebKeyEntry): string[] {
  if (typeof key.alg === 'string') return [key.alg];
  switch (key.kty) {
    case 'RSA':
      return ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
    case 'EC':
      return key.crv === 'P-256' ? ['ES256'] : key.crv === 'P-384' ? ['ES384'] : key.crv === 'P-521' ? ['ES512'] : [];
    case 'OKP':
      return key.crv === 'Ed25519' || key.crv === 'Ed448' ? ['EdDSA'] : [];
    default:
      return [];
  }
}
