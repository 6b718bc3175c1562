/**
 * An `AuthenticationConfiguration` body (plain data as parsed from YAML) → the model, with the
 * API server's validation. Wrong shapes (a string where a list is expected, ...) become problems.
 */
import type {
  AuthenticatorModel,
  ClaimValidationRule,
  ConfigProblem,
  ExtraMapping,
  JWTAuthenticator,
  PrefixedClaimOrExpression,
  UserValidationRule,
} from './types';
import { ALL_SIGNING_ALGS } from './types';
import { validateAuthenticator } from './validate';
import { formatFieldPath, jsonKind } from './goformat';

export const AUTHENTICATION_CONFIG_API_VERSIONS = [
  'apiserver.config.k8s.io/v1alpha1',
  'apiserver.config.k8s.io/v1beta1',
  'apiserver.config.k8s.io/v1',
] as const;

type Path = (string | number)[];

/** Known fields per object, for strict decoding (kube-apiserver decodes this file strictly). */
const KNOWN_FIELDS: Record<string, readonly string[]> = {
  root: ['apiVersion', 'kind', 'jwt', 'anonymous'],
  jwt: ['issuer', 'claimValidationRules', 'claimMappings', 'userValidationRules'],
  issuer: ['url', 'discoveryURL', 'certificateAuthority', 'audiences', 'audienceMatchPolicy', 'egressSelectorType'],
  claimValidationRule: ['claim', 'requiredValue', 'expression', 'message'],
  claimMappings: ['username', 'groups', 'uid', 'extra'],
  prefixed: ['claim', 'prefix', 'expression'],
  uid: ['claim', 'expression'],
  extra: ['key', 'valueExpression'],
  userValidationRule: ['expression', 'message'],
  anonymous: ['enabled', 'conditions'],
  anonymousCondition: ['path'],
};

class Reader {
  readonly problems: ConfigProblem[] = [];

  problem(path: Path, message: string): void {
    this.problems.push({ path, message, fatal: true });
  }

  typeError(path: Path, want: string, value: unknown): void {
    this.problem(
      path,
      `${formatFieldPath(path)}: expected ${want}, got ${jsonKind(value)} (kube-apiserver cannot decode this file)`,
    );
  }

  object(value: unknown, path: Path, kind: keyof typeof KNOWN_FIELDS): Record<string, unknown> | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.typeError(path, 'an object', value);
      return undefined;
    }
    const obj = value as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      if (!KNOWN_FIELDS[kind].includes(key)) {
        this.problem([...path, key], `strict decoding error: unknown field "${formatFieldPath([...path, key])}"`);
      }
    }
    return obj;
  }

  list(value: unknown, path: Path): unknown[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.typeError(path, 'a list', value);
      return [];
    }
    return value;
  }

  /** A string field; undefined when absent or null (Go: unset pointer or ""). */
  string(value: unknown, path: Path): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    this.typeError(path, 'a string', value);
    return undefined;
  }
}

export function authenticatorFromConfig(body: unknown): { model?: AuthenticatorModel; problems: ConfigProblem[] } {
  const r = new Reader();
  if (body === null || body === undefined || typeof body !== 'object' || Array.isArray(body)) {
    r.problem([], `an AuthenticationConfiguration must be an object, got ${jsonKind(body)}`);
    return { problems: r.problems };
  }
  const root = r.object(body, [], 'root') ?? {};
  const apiVersion = root.apiVersion;
  const kind = root.kind;
  if (apiVersion !== undefined && !(AUTHENTICATION_CONFIG_API_VERSIONS as readonly unknown[]).includes(apiVersion)) {
    r.problem(
      ['apiVersion'],
      `no kind "AuthenticationConfiguration" is registered for version "${String(apiVersion)}" (use apiserver.config.k8s.io/v1, /v1beta1 or /v1alpha1)`,
    );
  }
  if (kind !== undefined && kind !== 'AuthenticationConfiguration') {
    r.problem(
      ['kind'],
      `no kind "${String(kind)}" is registered for version "${String(apiVersion ?? '')}" (expected kind AuthenticationConfiguration)`,
    );
  }

  const jwt: JWTAuthenticator[] = r.list(root.jwt, ['jwt']).map((entry, i) => readJWT(r, entry, ['jwt', i]));
  readAnonymous(r, root.anonymous);
  const model: AuthenticatorModel = { source: 'authentication-config', jwt, signingAlgs: [...ALL_SIGNING_ALGS] };
  // The API server cannot decode a file with wrong shapes, so validation never sees those fields:
  // leave out validation messages about a field that already has a decoding problem.
  const undecodable = r.problems.map((p) => formatFieldPath(p.path));
  const validation = validateAuthenticator(model).filter((p) => {
    const at = formatFieldPath(p.path);
    return !undecodable.some((u) => u !== '' && (at === u || at.startsWith(u + '.') || at.startsWith(u + '[')));
  });
  return { model, problems: [...r.problems, ...validation] };
}

function readJWT(r: Reader, entry: unknown, path: Path): JWTAuthenticator {
  const obj = r.object(entry, path, 'jwt') ?? {};
  const issuerObj = r.object(obj.issuer, [...path, 'issuer'], 'issuer') ?? {};
  const ip = [...path, 'issuer'];
  const issuer: JWTAuthenticator['issuer'] = {
    url: r.string(issuerObj.url, [...ip, 'url']) ?? '',
    audiences: r
      .list(issuerObj.audiences, [...ip, 'audiences'])
      .map((a, j) => r.string(a, [...ip, 'audiences', j]) ?? ''),
  };
  const optional = ['discoveryURL', 'certificateAuthority', 'audienceMatchPolicy', 'egressSelectorType'] as const;
  for (const key of optional) {
    const v = r.string(issuerObj[key], [...ip, key]);
    if (v !== undefined && v !== '') issuer[key] = v;
  }

  const claimValidationRules: ClaimValidationRule[] = r
    .list(obj.claimValidationRules, [...path, 'claimValidationRules'])
    .map((raw, j) => {
      const rp = [...path, 'claimValidationRules', j];
      const o = r.object(raw, rp, 'claimValidationRule') ?? {};
      const rule: ClaimValidationRule = {};
      for (const key of ['claim', 'requiredValue', 'expression', 'message'] as const) {
        const v = r.string(o[key], [...rp, key]);
        if (v !== undefined) rule[key] = v;
      }
      return rule;
    });

  const mp = [...path, 'claimMappings'];
  const m = r.object(obj.claimMappings, mp, 'claimMappings') ?? {};
  const claimMappings: JWTAuthenticator['claimMappings'] = {
    username: readPrefixed(r, m.username, [...mp, 'username']),
  };
  if (m.groups !== undefined && m.groups !== null) claimMappings.groups = readPrefixed(r, m.groups, [...mp, 'groups']);
  if (m.uid !== undefined && m.uid !== null) {
    const o = r.object(m.uid, [...mp, 'uid'], 'uid') ?? {};
    const uid: { claim?: string; expression?: string } = {};
    const claim = r.string(o.claim, [...mp, 'uid', 'claim']);
    const expression = r.string(o.expression, [...mp, 'uid', 'expression']);
    if (claim) uid.claim = claim;
    if (expression) uid.expression = expression;
    claimMappings.uid = uid;
  }
  if (m.extra !== undefined && m.extra !== null) {
    claimMappings.extra = r.list(m.extra, [...mp, 'extra']).map((raw, j): ExtraMapping => {
      const ep = [...mp, 'extra', j];
      const o = r.object(raw, ep, 'extra') ?? {};
      return {
        key: r.string(o.key, [...ep, 'key']) ?? '',
        valueExpression: r.string(o.valueExpression, [...ep, 'valueExpression']) ?? '',
      };
    });
  }

  const userValidationRules: UserValidationRule[] = r
    .list(obj.userValidationRules, [...path, 'userValidationRules'])
    .map((raw, j) => {
      const up = [...path, 'userValidationRules', j];
      const o = r.object(raw, up, 'userValidationRule') ?? {};
      const rule: UserValidationRule = { expression: r.string(o.expression, [...up, 'expression']) ?? '' };
      const message = r.string(o.message, [...up, 'message']);
      if (message !== undefined) rule.message = message;
      return rule;
    });

  return { issuer, claimValidationRules, claimMappings, userValidationRules };
}

function readPrefixed(r: Reader, raw: unknown, path: Path): PrefixedClaimOrExpression {
  const o = r.object(raw, path, 'prefixed') ?? {};
  const out: PrefixedClaimOrExpression = {};
  const claim = r.string(o.claim, [...path, 'claim']);
  const expression = r.string(o.expression, [...path, 'expression']);
  if (claim) out.claim = claim;
  if (expression) out.expression = expression;
  // prefix is a *string: null/absent = unset, "" = set to empty.
  const prefix = r.string(o.prefix, [...path, 'prefix']);
  if (prefix !== undefined) out.prefix = prefix;
  return out;
}

/** The `anonymous` block (Talos keeps a default one): shape, and `enabled` with `conditions`. */
function readAnonymous(r: Reader, raw: unknown): void {
  const anonymous = r.object(raw, ['anonymous'], 'anonymous');
  if (!anonymous) return;
  const enabled = anonymous.enabled;
  if (enabled !== undefined && enabled !== null && typeof enabled !== 'boolean')
    r.typeError(['anonymous', 'enabled'], 'true or false', enabled);
  const conditions = r.list(anonymous.conditions, ['anonymous', 'conditions']);
  conditions.forEach((c, i) => {
    const o = r.object(c, ['anonymous', 'conditions', i], 'anonymousCondition');
    if (o) r.string(o.path, ['anonymous', 'conditions', i, 'path']);
  });
  if (enabled !== true && conditions.length > 0) {
    r.problems.push({
      path: ['anonymous', 'conditions'],
      // The API server prints the conditions as a Go value here; this tool does not reproduce that dump.
      message:
        'anonymous.conditions: Invalid value: (the conditions): enabled should be set to true when conditions are defined',
      fatal: true,
      unverified: true,
    });
  }
}
