/**
 * The checks after the claim mappings, in the API server's order: the required claims
 * (`claimValidationRules` with `claim`), the `claimValidationRules` expressions, then the
 * `userValidationRules` on the mapped user. Each returns the outcome that ends the review, or
 * undefined when the token passes.
 */
import type { JWTAuthenticator } from './types';
import { decodeString } from './gojson';
import { evaluateCel } from './cel';
import { rejected, unpredictable, type Outcome } from './outcome';

/** The required claims (`claimValidationRules` with `claim`). Go map order: random when several fail. */
export function checkRequiredClaims(
  a: JWTAuthenticator,
  claims: Record<string, unknown>,
  notes: string[],
): Outcome | undefined {
  const requiredErrors: string[] = [];
  const required = new Map<string, string>();
  for (const rule of a.claimValidationRules) if (rule.claim) required.set(rule.claim, rule.requiredValue ?? '');
  for (const [claim, want] of required) {
    if (!Object.hasOwn(claims, claim)) {
      requiredErrors.push(`oidc: required claim ${claim} not present in ID token`);
      continue;
    }
    const d = decodeString(claims[claim]);
    if (!d.ok) requiredErrors.push(`oidc: parse claim ${claim}: ${d.error}`);
    else if (d.value !== want)
      requiredErrors.push(`oidc: required claim ${claim} value does not match. Got = ${d.value}, want = ${want}`);
  }
  if (requiredErrors.length > 0) {
    if (requiredErrors.length > 1) {
      notes.push(
        `Several required claims fail; the API server checks them in random order and reports one of: ${requiredErrors.join(' | ')}`,
      );
    }
    return rejected(requiredErrors[0], notes);
  }
  return undefined;
}

/** `claimValidationRules` with an expression: all are evaluated first (an error wins), then checked in order. */
export function checkClaimValidationRules(
  a: JWTAuthenticator,
  claims: Record<string, unknown>,
  notes: string[],
): Outcome | undefined {
  const claimRules = a.claimValidationRules.filter((r) => r.expression);
  const claimVerdict = checkRules(
    claimRules.map((r) => ({ expression: r.expression as string, message: r.message ?? '' })),
    'claims',
    claims,
    'oidc: error evaluating claim validation expression: ',
  );
  if (claimVerdict)
    return claimVerdict.unpredictable ? unpredictable(claimVerdict.text, notes) : rejected(claimVerdict.text, notes);
  return undefined;
}

/** `userValidationRules`, on the user after prefixes. */
export function checkUserValidationRules(
  a: JWTAuthenticator,
  userValue: { username: string; uid: string; groups: string[]; extra: Record<string, string[]> },
  notes: string[],
): Outcome | undefined {
  const userVerdict = checkRules(
    a.userValidationRules.map((r) => ({ expression: r.expression, message: r.message ?? '' })),
    'user',
    userValue,
    'oidc: error evaluating user info validation rule: ',
  );
  if (userVerdict)
    return userVerdict.unpredictable ? unpredictable(userVerdict.text, notes) : rejected(userVerdict.text, notes);
  return undefined;
}

function checkRules(
  rules: { expression: string; message: string }[],
  variable: 'claims' | 'user',
  value: unknown,
  prefix: string,
): { unpredictable: boolean; text: string } | undefined {
  const results: unknown[] = [];
  for (const rule of rules) {
    const r = evaluateCel(rule.expression, variable, value);
    if (!r.ok) {
      if (r.unpredictable) return { unpredictable: true, text: r.reason };
      return { unpredictable: false, text: `${prefix}expression '${rule.expression}' resulted in error: ${r.message}` };
    }
    results.push(r.value);
  }
  for (let i = 0; i < rules.length; i++) {
    if (typeof results[i] !== 'boolean')
      return { unpredictable: false, text: `${prefix}validation expression must return a boolean` };
    if (results[i] === false)
      return {
        unpredictable: false,
        text: `${prefix}validation expression '${rules[i].expression}' failed: ${rules[i].message}`,
      };
  }
  return undefined;
}
