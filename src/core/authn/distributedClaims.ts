/**
 * Distributed claims (`_claim_names`/`_claim_sources`), as the API server's `claimResolver`
 * handles them: only for the configured groups claim. The review does not fetch them.
 */
import type { JWTAuthenticator } from './types';
import { goQuote, unmarshalTypeError } from './goformat';
import { goFold } from './gojson';
import { rejected, unpredictable, type Outcome } from './outcome';

/** `claimResolver.expand`: distributed claims, only for the configured groups claim. */
export function expandClaims(
  a: JWTAuthenticator,
  claims: Record<string, unknown>,
  notes: string[],
): Outcome | undefined {
  const groupsClaim = a.claimMappings.groups?.claim ?? '';
  if (groupsClaim === '') return undefined;
  const expanded = expandDistributedClaims(groupsClaim, claims);
  if (!expanded) return undefined;
  if ('error' in expanded) return rejected(`oidc: could not expand distributed claims: ${expanded.error}`, notes);
  return unpredictable(
    `the groups claim ${goQuote(groupsClaim)} is a distributed claim: the API server would fetch it from ${expanded.endpoint} ` +
      '(and verify the returned JWT with the same audiences and algorithms); this review does not fetch it',
    notes,
  );
}

/**
 * The API server's claimResolver.expand for the groups claim. Returns undefined when nothing
 * needs resolving, an error, or the endpoint that the API server would call.
 */
function expandDistributedClaims(
  claim: string,
  claims: Record<string, unknown>,
): { error: string } | { endpoint: string } | undefined {
  if (Object.hasOwn(claims, claim)) return undefined;
  if (!Object.hasOwn(claims, '_claim_names')) return undefined;
  const names = claims._claim_names;
  const claimToSource: Record<string, string> = {};
  if (names !== null) {
    if (typeof names !== 'object' || Array.isArray(names)) {
      return {
        error: `oidc: error parsing distributed claim names: ${unmarshalTypeError(names, 'map[string]string')}`,
      };
    }
    for (const [k, v] of Object.entries(names as Record<string, unknown>)) {
      if (v !== null && typeof v !== 'string')
        return { error: `oidc: error parsing distributed claim names: ${unmarshalTypeError(v, 'string')}` };
      claimToSource[k] = (v as string | null) ?? '';
    }
  }
  if (!Object.hasOwn(claims, '_claim_sources')) return { error: 'oidc: no claim sources' };
  const rawSources = claims._claim_sources;
  const sources: Record<string, { endpoint: string }> = {};
  if (rawSources !== null) {
    if (typeof rawSources !== 'object' || Array.isArray(rawSources)) {
      return {
        error: `oidc: could not parse claim sources: ${unmarshalTypeError(rawSources, 'map[string]oidc.endpoint')}`,
      };
    }
    for (const [name, src] of Object.entries(rawSources as Record<string, unknown>)) {
      const entry = { endpoint: '' };
      if (src !== null && (typeof src !== 'object' || Array.isArray(src))) {
        return { error: `oidc: could not parse claim sources: ${unmarshalTypeError(src, 'oidc.endpoint')}` };
      }
      for (const [k, v] of Object.entries((src ?? {}) as Record<string, unknown>)) {
        const f = goFold(k);
        if (f !== 'endpoint' && f !== 'access_token' && f !== 'jwt') continue;
        if (v !== null && typeof v !== 'string') {
          const goField = f === 'jwt' ? 'JWT' : f;
          return {
            error: `oidc: could not parse claim sources: ${unmarshalTypeError(v, 'string', `endpoint.${goField}`)}`,
          };
        }
        if (f === 'endpoint') entry.endpoint = (v as string | null) ?? '';
      }
      sources[name] = entry;
    }
  }
  if (!Object.hasOwn(claimToSource, claim)) return undefined;
  const src = claimToSource[claim];
  if (!Object.hasOwn(sources, src))
    return { error: `id token _claim_names contained a source ${src} missing in _claims_sources` };
  if (sources[src].endpoint === '') return undefined; // an aggregated claim (JWT): ignored
  return { endpoint: sources[src].endpoint };
}
