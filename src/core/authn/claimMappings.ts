/**
 * The claim mappings of a JWT authenticator, as the API server's oidc.go applies them:
 * `getUsername`, `getGroups`, `getUID`, `getExtra` (k8s.io/apiserver
 * plugin/pkg/authenticator/token/oidc). Each returns the mapped value or the outcome that ends
 * the review, with the API server's error text.
 */
import type { JWTAuthenticator } from './types';
import { goQuote } from './goformat';
import { decodeBool, decodeString, decodeStringOrArray } from './gojson';
import { celKind, evaluateCel, returnsSplitList } from './cel';
import { rejected, unpredictable, type Outcome } from './outcome';

export const CREDENTIAL_ID_KEY = 'authentication.kubernetes.io/credential-id';

/** A claim mapping's value, or the outcome that ends the review. */
export type Mapped<T> = { ok: true; value: T } | { ok: false; outcome: Outcome };

const mapped = <T>(value: T): Mapped<T> => ({ ok: true, value });

/** The two ways a mapping ends the review, with the notes gathered so far. */
function enders(notes: string[]) {
  return {
    refuse: (error: string): Mapped<never> => ({ ok: false, outcome: rejected(error, notes) }),
    cannotPredict: (reason: string): Mapped<never> => ({ ok: false, outcome: unpredictable(reason, notes) }),
  };
}

/** `getUsername`: the expression, or the claim (with `email_verified` for `email`) and its prefix. */
export function getUsername(a: JWTAuthenticator, claims: Record<string, unknown>, notes: string[]): Mapped<string> {
  const { refuse, cannotPredict } = enders(notes);
  const mappings = a.claimMappings;
  if (mappings.username.expression) {
    const r = evaluateCel(mappings.username.expression, 'claims', claims);
    if (!r.ok) {
      if (r.unpredictable) return cannotPredict(r.reason);
      return refuse(
        `oidc: error evaluating username claim expression: expression '${mappings.username.expression}' resulted in error: ${r.message}`,
      );
    }
    if (celKind(r.value) !== 'string') {
      return refuse('oidc: error evaluating username claim expression: username claim expression must return a string');
    }
    if (r.value === '') return refuse('oidc: empty username via CEL expression is not allowed');
    return mapped(r.value as string);
  } else {
    const claim = mappings.username.claim ?? '';
    if (!Object.hasOwn(claims, claim))
      return refuse(`oidc: parse username claims ${goQuote(claim)}: claim not present`);
    const d = decodeString(claims[claim]);
    if (!d.ok) return refuse(`oidc: parse username claims ${goQuote(claim)}: ${d.error}`);
    if (claim === 'email' && Object.hasOwn(claims, 'email_verified')) {
      const v = decodeBool(claims.email_verified);
      if (!v.ok) return refuse(`oidc: parse 'email_verified' claim: ${v.error}`);
      if (!v.value) return refuse('oidc: email not verified');
    }
    const prefix = mappings.username.prefix;
    return mapped(prefix ? prefix + d.value : d.value);
  }
}

/** `getGroups`: a present claim wins (with its prefix); otherwise the expression, if any. */
export function getGroups(a: JWTAuthenticator, claims: Record<string, unknown>, notes: string[]): Mapped<string[]> {
  const { refuse, cannotPredict } = enders(notes);
  const mappings = a.claimMappings;
  const groupsClaim = mappings.groups?.claim ?? '';
  if (groupsClaim !== '' && Object.hasOwn(claims, groupsClaim)) {
    const d = decodeStringOrArray(claims[groupsClaim]);
    if (!d.ok) return refuse(`oidc: parse groups claim ${goQuote(groupsClaim)}: ${d.error}`);
    const prefix = mappings.groups?.prefix;
    return mapped(prefix ? d.value.map((g) => prefix + g) : d.value);
  } else if (mappings.groups?.expression) {
    const expr = mappings.groups.expression;
    const r = evaluateCel(expr, 'claims', claims);
    if (!r.ok) {
      if (r.unpredictable) return cannotPredict(r.reason);
      return refuse(
        `oidc: error evaluating group claim expression: expression '${expr}' resulted in error: ${r.message}`,
      );
    }
    const split = splitListVerdict(expr, r.value);
    if (split === 'maybe') return cannotPredict(SPLIT_LIST_UNKNOWN(expr));
    const list = split === 'direct' ? undefined : toStringList(r.value);
    if (!list)
      return refuse(
        'oidc: error evaluating group claim expression: expression must return a string or a list of strings',
      );
    return mapped(list);
  }
  return mapped([]);
}

/** `getUID`: the claim or the expression; empty when neither is configured. */
export function getUID(a: JWTAuthenticator, claims: Record<string, unknown>, notes: string[]): Mapped<string> {
  const { refuse, cannotPredict } = enders(notes);
  const mappings = a.claimMappings;
  if (mappings.uid?.claim) {
    const claim = mappings.uid.claim;
    if (!Object.hasOwn(claims, claim)) return refuse(`oidc: parse uid claim ${goQuote(claim)}: claim not present`);
    const d = decodeString(claims[claim]);
    if (!d.ok) return refuse(`oidc: parse uid claim ${goQuote(claim)}: ${d.error}`);
    return mapped(d.value);
  } else if (mappings.uid?.expression) {
    const expr = mappings.uid.expression;
    const r = evaluateCel(expr, 'claims', claims);
    if (!r.ok) {
      if (r.unpredictable) return cannotPredict(r.reason);
      return refuse(
        `oidc: error evaluating uid claim expression: expression '${expr}' resulted in error: ${r.message}`,
      );
    }
    if (celKind(r.value) !== 'string')
      return refuse('oidc: error evaluating uid claim expression: uid claim expression must return a string');
    return mapped(r.value as string);
  }
  return mapped('');
}

/** `getExtra`: the jti credential id (1.32+, `getCredentialID`), then the expressions (all evaluated, then converted). */
export function getExtra(
  a: JWTAuthenticator,
  claims: Record<string, unknown>,
  notes: string[],
): Mapped<Record<string, string[]>> {
  const { refuse, cannotPredict } = enders(notes);
  const mappings = a.claimMappings;
  const extra: Record<string, string[]> = {};
  if (Object.hasOwn(claims, 'jti') && typeof claims.jti === 'string' && claims.jti !== '') {
    extra[CREDENTIAL_ID_KEY] = [`JTI=${claims.jti}`];
  }
  const extraResults: { key: string; expr: string; value: unknown }[] = [];
  for (const mapping of mappings.extra ?? []) {
    const r = evaluateCel(mapping.valueExpression, 'claims', claims);
    if (!r.ok) {
      if (r.unpredictable) return cannotPredict(r.reason);
      // The API server returns this one without the "oidc: " prefix.
      return refuse(`expression '${mapping.valueExpression}' resulted in error: ${r.message}`);
    }
    extraResults.push({ key: mapping.key, expr: mapping.valueExpression, value: r.value });
  }
  for (const { key, expr, value } of extraResults) {
    const split = splitListVerdict(expr, value);
    if (split === 'maybe') return cannotPredict(SPLIT_LIST_UNKNOWN(expr));
    const list = split === 'direct' ? undefined : toStringList(value);
    if (!list)
      return refuse(
        `oidc: error evaluating extra claim expression: ${expr}: expression must return a string or a list of strings`,
      );
    if (list.length > 0) extra[key] = list;
  }
  return mapped(extra);
}

/** convertCELValueToStringList: a string, a list of strings, or null; "" entries dropped. */
const SPLIT_LIST_UNKNOWN = (expr: string) =>
  `expression '${expr}' may return the list split() made, which the API server refuses as not "a list of strings" (cel-go backs it by a Go []string); which branch returns it is not worked out here`;

/** Whether a list result is the one split() returned (see returnsSplitList). */
function splitListVerdict(expression: string, value: unknown): 'direct' | 'maybe' | undefined {
  if (celKind(value) !== 'list' || (value as unknown[]).length === 0)
    return celKind(value) === 'list' && returnsSplitList(expression) === 'direct' ? 'direct' : undefined;
  return returnsSplitList(expression);
}

function toStringList(value: unknown): string[] | undefined {
  const kind = celKind(value);
  if (kind === 'null') return [];
  if (kind === 'string') return value === '' ? [] : [value as string];
  if (kind === 'list') {
    const out: string[] = [];
    for (const v of value as unknown[]) {
      if (typeof v !== 'string') return undefined;
      if (v !== '') out.push(v);
    }
    return out;
  }
  return undefined;
}
