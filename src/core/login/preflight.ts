/**
 * Checks that run before the browser opens: can this issuer work with the API server at all?
 * Each check is passed, failed (with the fix) or skipped (with why), in a fixed order.
 */
import { algorithmsOfKey, fetchDiscovery, fetchJwks, type JsonWebKeySet, type ProviderMetadata } from './discovery';
import { createFetch, type FetchLike } from './http';
import { issuerUrlProblem } from '../authn/issuerUrl';

export type PreflightCheckId =
  'issuer-url' | 'discovery' | 'issuer-match' | 'signing-algs' | 'jwks' | 'groups-scope' | 'pkce-s256';

export interface PreflightCheck {
  id: PreflightCheckId;
  title: string;
  status: 'passed' | 'failed' | 'skipped';
  message: string;
  fix?: string;
}

export interface PreflightOptions {
  issuerUrl: string;
  /** PEM of a private CA that signed the issuer's certificate. */
  caPem?: string;
  /** The API server's accepted algorithms: `oidc-signing-algs` (default RS256) or, with a config file, RS/ES/PS. */
  signingAlgs?: readonly string[];
  /** The configured groups claim, if any (`oidc-groups-claim` / claimMappings.groups.claim). */
  groupsClaim?: string;
  fetch?: FetchLike;
  signal?: AbortSignal;
}

/** What kube-apiserver can verify at all; EdDSA is not among them whatever is configured. */
export const API_SERVER_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512'];

const TITLES: Record<PreflightCheckId, string> = {
  'issuer-url': 'Issuer URL is an https URL',
  discovery: 'Discovery document answers over TLS',
  'issuer-match': 'Discovery issuer equals the configured issuer exactly',
  'signing-algs': "Provider's signing algorithms are accepted by the API server",
  jwks: 'JWKS has signing keys',
  'groups-scope': 'Provider offers the groups scope',
  'pkce-s256': 'Provider offers PKCE with S256',
};

export async function preflight(options: PreflightOptions): Promise<PreflightCheck[]> {
  const fetch = options.fetch ?? createFetch({ caPem: options.caPem });
  const allowedAlgs = (options.signingAlgs?.length ? options.signingAlgs : ['RS256']).filter((alg) =>
    API_SERVER_ALGORITHMS.includes(alg),
  );
  const checks: PreflightCheck[] = [];
  const add = (id: PreflightCheckId, status: PreflightCheck['status'], message: string, fix?: string) =>
    checks.push({ id, title: TITLES[id], status, message, ...(fix ? { fix } : {}) });
  const skipRest = (why: string) => {
    for (const id of Object.keys(TITLES) as PreflightCheckId[]) {
      if (!checks.some((check) => check.id === id)) add(id, 'skipped', why);
    }
    return checks;
  };

  const urlProblem = issuerUrlProblem(options.issuerUrl);
  if (urlProblem?.kind === 'unusable') {
    add('issuer-url', 'failed', urlProblem.message, urlProblem.fix);
    return skipRest('The issuer URL cannot be used.');
  }
  if (urlProblem) add('issuer-url', 'failed', urlProblem.message, urlProblem.fix);
  else add('issuer-url', 'passed', `${options.issuerUrl} is an https URL without query or fragment.`);

  const discovery = await fetchDiscovery(options.issuerUrl, fetch, options.signal);
  if (!discovery.ok) {
    add('discovery', 'failed', discovery.message, discovery.fix);
    return skipRest('The discovery document could not be read.');
  }
  const metadata = discovery.value;
  add('discovery', 'passed', `${discovery.url} answered.`);

  checks.push(issuerMatchCheck(options.issuerUrl, metadata.issuer));
  checks.push(signingAlgsCheck(metadata, allowedAlgs));

  const jwks = await fetchJwks(metadata.jwks_uri!, fetch, options.signal);
  if (!jwks.ok) add('jwks', 'failed', jwks.message, jwks.fix);
  else checks.push(jwksCheck(jwks.value, allowedAlgs));

  if (!options.groupsClaim) add('groups-scope', 'skipped', 'No groups claim is configured.');
  else if (!Array.isArray(metadata.scopes_supported))
    add('groups-scope', 'skipped', 'The provider does not list its scopes (scopes_supported).');
  else if (metadata.scopes_supported.includes('groups')) {
    add(
      'groups-scope',
      'passed',
      `The provider offers the "groups" scope; the client must request it (kubelogin: --oidc-extra-scope=groups) for the "${options.groupsClaim}" claim to appear.`,
    );
  } else {
    add(
      'groups-scope',
      'failed',
      `The provider does not offer a "groups" scope (it offers ${metadata.scopes_supported.join(', ')}), yet the API server reads groups from the "${options.groupsClaim}" claim.`,
      'Request the scope that carries that claim (kubelogin: --oidc-extra-scope), or check the groups claim name; Pocket-ID offers "groups".',
    );
  }

  const methods = metadata.code_challenge_methods_supported;
  if (Array.isArray(methods) && methods.includes('S256'))
    add('pkce-s256', 'passed', `The provider offers PKCE (${methods.join(', ')}).`);
  else {
    add(
      'pkce-s256',
      'failed',
      Array.isArray(methods)
        ? `The provider offers PKCE only as ${methods.join(', ') || 'nothing'}, not S256.`
        : 'The provider does not advertise PKCE (code_challenge_methods_supported is missing).',
      'Enable S256 PKCE at the provider; kubelogin sends PKCE only when advertised unless given --oidc-pkce-method=S256, and public clients need it.',
    );
  }
  return checks;
}

function issuerMatchCheck(configured: string, discovered: string): PreflightCheck {
  const base = { id: 'issuer-match' as const, title: TITLES['issuer-match'] };
  if (configured === discovered)
    return { ...base, status: 'passed', message: `The provider's issuer is "${discovered}", as configured.` };
  const apiServerError = `the API server reports: oidc: issuer did not match the issuer returned by provider, expected "${configured}" got "${discovered}"`;
  const fix = `Use "${discovered}" exactly, everywhere: the API server's issuer URL (oidc-issuer-url or jwt.issuer.url) and kubelogin's --oidc-issuer-url. Tokens carry the provider's issuer in "iss", compared character for character.`;
  let why: string;
  if (`${configured}/` === discovered) why = "The provider's issuer ends with a slash and the configured one does not";
  else if (configured === `${discovered}/`) why = "The configured issuer ends with a slash and the provider's does not";
  else if (configured.toLowerCase() === discovered.toLowerCase()) why = 'The issuers differ only in letter case';
  else why = 'The issuers differ';
  return {
    ...base,
    status: 'failed',
    message: `${why}: configured "${configured}", provider "${discovered}"; ${apiServerError}.`,
    fix:
      configured === `${discovered}/` || `${configured}/` === discovered
        ? `${fix} (For Pocket-ID, whose issuer never ends with a slash, remove the slash from the configured URL.)`
        : fix,
  };
}

function signingAlgsCheck(metadata: ProviderMetadata, allowedAlgs: string[]): PreflightCheck {
  const base = { id: 'signing-algs' as const, title: TITLES['signing-algs'] };
  const offered = metadata.id_token_signing_alg_values_supported;
  if (!Array.isArray(offered) || offered.length === 0) {
    return {
      ...base,
      status: 'skipped',
      message:
        'The provider does not advertise id_token_signing_alg_values_supported; see the JWKS check for its keys.',
    };
  }
  const usable = offered.filter((alg) => allowedAlgs.includes(alg));
  if (usable.length) {
    return {
      ...base,
      status: 'passed',
      message: `The provider signs ID tokens with ${offered.join(', ')}; the API server accepts ${usable.join(', ')}.`,
    };
  }
  if (offered.every((alg) => alg === 'EdDSA')) {
    return {
      ...base,
      status: 'failed',
      message:
        'The provider signs ID tokens only with EdDSA, which the API server never accepts (it verifies RS, ES and PS algorithms only).',
      fix: 'Switch the provider to an RSA or ECDSA signing key (Pocket-ID: pocket-id key-rotate --alg RS256).',
    };
  }
  const fixableByFlag = offered.filter((alg) => API_SERVER_ALGORITHMS.includes(alg));
  return {
    ...base,
    status: 'failed',
    message: `The provider signs ID tokens with ${offered.join(', ')}, but the API server accepts only ${allowedAlgs.join(', ') || 'none'}.`,
    fix: fixableByFlag.length
      ? `Add ${fixableByFlag[0]} to the API server's oidc-signing-algs (an authentication config file accepts every RS, ES and PS algorithm), or switch the provider to RS256.`
      : 'Switch the provider to RS256.',
  };
}

function jwksCheck(jwks: JsonWebKeySet, allowedAlgs: string[]): PreflightCheck {
  const base = { id: 'jwks' as const, title: TITLES.jwks };
  const signing = jwks.keys.filter((key) => key.use === undefined || key.use === 'sig');
  if (signing.length === 0) {
    return {
      ...base,
      status: 'failed',
      message: 'The JWKS has no signing keys, so no token can be verified.',
      fix: "Check the provider's key setup.",
    };
  }
  const describe = signing
    .map((key) => `${key.kid ? `kid ${key.kid}` : 'no kid'} (${algorithmsOfKey(key).join('/') || key.kty})`)
    .join(', ');
  const usable = signing.filter((key) => algorithmsOfKey(key).some((alg) => allowedAlgs.includes(alg)));
  if (usable.length === 0) {
    return {
      ...base,
      status: 'failed',
      message: `The JWKS has ${signing.length} key(s): ${describe}; none can sign with an algorithm the API server accepts (${allowedAlgs.join(', ')}).`,
      fix: 'Give the provider an RSA (RS256) signing key, or allow its algorithm in oidc-signing-algs.',
    };
  }
  return { ...base, status: 'passed', message: `The JWKS has ${signing.length} key(s): ${describe}.` };
}
