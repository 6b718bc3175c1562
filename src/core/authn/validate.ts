/**
 * `AuthenticationConfiguration.jwt` validation with the API server's own messages
 * (k8s.io/apiserver pkg/apis/apiserver/validation ValidateAuthenticationConfiguration), plus the
 * signing-algorithm check `oidc.New` makes.
 */
import type { AuthenticatorModel, ConfigProblem, JWTAuthenticator, PrefixedClaimOrExpression } from './types';
import { ALL_SIGNING_ALGS } from './types';
import { aggregateText, formatFieldError, formatFieldPath, goQuote, type FieldErrorType } from './goformat';
import { apiServerUrlErrors } from './issuerUrl';
import { compileCel, type CelVariable } from './cel';
import { hasPemCertificate, looksLikePem } from '../text/pem';

export const MAX_JWT_AUTHENTICATORS = 64;

type Path = (string | number)[];

class Collector {
  readonly problems: ConfigProblem[] = [];
  constructor(private readonly prefix: string) {}

  /** The field path as printed: `path` starts with 'jwt', index; the printed one uses the prefix. */
  printed(path: Path): string {
    return formatFieldPath(this.prefix === '' ? path.slice(2) : [this.prefix, ...path.slice(1)]);
  }

  /** `fatal` false: cel-go may accept it; `ourWording`: the message is not the API server's verbatim. */
  add(
    type: FieldErrorType,
    path: Path,
    detail: string,
    value?: string | number,
    options: { fatal?: boolean; ourWording?: boolean } = {},
  ): void {
    const problem: ConfigProblem = {
      path,
      message: formatFieldError(type, this.printed(path), detail, value),
      fatal: options.fatal ?? true,
    };
    if (options.ourWording || options.fatal === false) problem.unverified = true;
    this.problems.push(problem);
  }
}

/**
 * Validate a model as kube-apiserver does at startup (flags) or on load/reload (config file).
 * `fieldPrefix` (default `jwt`) starts each printed field path; pass '' for the paths `oidc.New`
 * prints (`issuer.url: ...`). Problem paths are always ['jwt', i, ...].
 */
export function validateAuthenticator(model: AuthenticatorModel, options?: { fieldPrefix?: string }): ConfigProblem[] {
  const out = new Collector(options?.fieldPrefix ?? 'jwt');
  if (model.jwt.length > MAX_JWT_AUTHENTICATORS) {
    out.problems.push({
      path: ['jwt'],
      message: formatFieldError(
        'TooMany',
        options?.fieldPrefix || 'jwt',
        `must have at most ${MAX_JWT_AUTHENTICATORS} items`,
        model.jwt.length,
      ),
      fatal: true,
    });
    return out.problems;
  }
  const disallowed = new Set(model.disallowedIssuers ?? []);
  const seenIssuers = new Set<string>();
  const seenDiscovery = new Set<string>();
  model.jwt.forEach((authn, i) => {
    validateJWT(out, authn, ['jwt', i], disallowed);
    const url = authn.issuer?.url ?? '';
    if (seenIssuers.has(url)) out.add('Duplicate', ['jwt', i, 'issuer', 'url'], '', url);
    seenIssuers.add(url);
    const discovery = authn.issuer?.discoveryURL ?? '';
    if (discovery) {
      if (seenDiscovery.has(discovery)) out.add('Duplicate', ['jwt', i, 'issuer', 'discoveryURL'], '', discovery);
      seenDiscovery.add(discovery);
    }
  });
  for (const alg of model.signingAlgs) {
    if (!(ALL_SIGNING_ALGS as readonly string[]).includes(alg)) {
      out.problems.push({
        path: ['signingAlgs'],
        message: `oidc: unsupported signing alg: ${goQuote(alg)}`,
        fatal: true,
      });
      break;
    }
  }
  return out.problems;
}

interface EmailState {
  usesEmail: boolean;
  usesEmailVerified: boolean;
}

function validateJWT(out: Collector, a: JWTAuthenticator, base: Path, disallowed: Set<string>): void {
  const issuer = a.issuer ?? { url: '', audiences: [] };
  const ip = [...base, 'issuer'];
  // issuer.url
  if (!issuer.url) out.add('Required', [...ip, 'url'], '');
  else validateURL(out, issuer.url, disallowed, [...ip, 'url']);
  // issuer.discoveryURL
  if (issuer.discoveryURL) {
    if (issuer.url && issuer.url.replace(/\/+$/, '') === issuer.discoveryURL.replace(/\/+$/, '')) {
      out.add('Invalid', [...ip, 'discoveryURL'], 'discoveryURL must be different from URL', issuer.discoveryURL);
    }
    validateURL(out, issuer.discoveryURL, new Set(), [...ip, 'discoveryURL']);
  }
  // issuer.audiences
  const audiences = issuer.audiences ?? [];
  const policy = issuer.audienceMatchPolicy ?? '';
  if (audiences.length === 0) {
    out.add('Required', [...ip, 'audiences'], `at least one ${out.printed([...ip, 'audiences'])} is required`);
  } else {
    const seen = new Set<string>();
    audiences.forEach((aud, j) => {
      if (aud === '') out.add('Required', [...ip, 'audiences', j], '');
      if (seen.has(aud)) out.add('Duplicate', [...ip, 'audiences', j], '', aud);
      seen.add(aud);
    });
    if (audiences.length > 1 && policy !== 'MatchAny') {
      out.add(
        'Invalid',
        [...ip, 'audienceMatchPolicy'],
        'audienceMatchPolicy must be MatchAny for multiple audiences',
        policy,
      );
    }
    if (audiences.length === 1 && policy !== '' && policy !== 'MatchAny') {
      out.add(
        'Invalid',
        [...ip, 'audienceMatchPolicy'],
        'audienceMatchPolicy must be empty or MatchAny for single audience',
        policy,
      );
    }
  }
  // issuer.certificateAuthority: PEM with at least one certificate (flags carry a file path instead).
  if (issuer.certificateAuthority && looksLikePem(issuer.certificateAuthority)) {
    if (!hasPemCertificate(issuer.certificateAuthority)) {
      out.add(
        'Invalid',
        [...ip, 'certificateAuthority'],
        'data does not contain any valid RSA or ECDSA certificates',
        '<omitted>',
      );
    }
  }
  // issuer.egressSelectorType (the feature gate is on by default since 1.34).
  if (
    issuer.egressSelectorType &&
    issuer.egressSelectorType !== 'controlplane' &&
    issuer.egressSelectorType !== 'cluster'
  ) {
    out.add(
      'Invalid',
      [...ip, 'egressSelectorType'],
      'egress selector must be either controlplane or cluster',
      issuer.egressSelectorType,
    );
  }

  const email: EmailState = { usesEmail: false, usesEmailVerified: false };

  // claimValidationRules
  const seenClaims = new Set<string>();
  const seenExprs = new Set<string>();
  (a.claimValidationRules ?? []).forEach((rule, j) => {
    const rp = [...base, 'claimValidationRules', j];
    const claim = rule.claim ?? '';
    const expression = rule.expression ?? '';
    if (claim && expression) out.add('Invalid', rp, "claim and expression can't both be set", claim);
    else if (!claim && !expression) out.add('Required', rp, 'claim or expression is required');
    else if (claim) {
      if (rule.message) out.add('Invalid', [...rp, 'message'], 'may not be specified when claim is set', rule.message);
      if (seenClaims.has(claim)) out.add('Duplicate', [...rp, 'claim'], '', claim);
      seenClaims.add(claim);
    } else {
      if (rule.requiredValue)
        out.add('Invalid', [...rp, 'requiredValue'], 'may not be specified when expression is set', rule.requiredValue);
      if (seenExprs.has(expression)) {
        out.add('Duplicate', [...rp, 'expression'], '', expression);
        return;
      }
      seenExprs.add(expression);
      if (compileChecked(out, expression, 'claims', 'bool', [...rp, 'expression'])) {
        email.usesEmailVerified ||= selectsClaim(expression, 'email_verified');
      }
    }
  });

  // claimMappings
  const mp = [...base, 'claimMappings'];
  const mappings = a.claimMappings ?? { username: {} };
  if (validatePrefixed(out, mappings.username ?? {}, [...mp, 'username'], true) && mappings.username?.expression) {
    email.usesEmail = selectsClaim(mappings.username.expression, 'email');
    email.usesEmailVerified ||= selectsClaim(mappings.username.expression, 'email_verified');
  }
  validatePrefixed(out, mappings.groups ?? {}, [...mp, 'groups'], false);
  const uid = mappings.uid ?? {};
  if (uid.claim && uid.expression) out.add('Invalid', [...mp, 'uid'], "claim and expression can't both be set", '');
  else if (uid.expression) compileChecked(out, uid.expression, 'claims', 'any', [...mp, 'uid', 'expression']);

  const seenKeys = new Set<string>();
  (mappings.extra ?? []).forEach((extra, j) => {
    const ep = [...mp, 'extra', j];
    const key = extra.key ?? '';
    for (const msg of domainPrefixedPathErrors(key)) out.add(msg.type, [...ep, 'key'], msg.detail, msg.value);
    if (key !== key.toLowerCase()) out.add('Invalid', [...ep, 'key'], 'must be lowercase', key);
    if (isKubernetesDomain(key))
      out.add(
        'Invalid',
        [...ep, 'key'],
        'k8s.io, kubernetes.io and their subdomains are reserved for Kubernetes use',
        key,
      );
    if (seenKeys.has(key)) {
      out.add('Duplicate', [...ep, 'key'], '', key);
      return;
    }
    seenKeys.add(key);
    if (!extra.valueExpression) {
      out.add('Required', [...ep, 'valueExpression'], '');
      return;
    }
    if (compileChecked(out, extra.valueExpression, 'claims', 'any', [...ep, 'valueExpression'])) {
      email.usesEmailVerified ||= selectsClaim(extra.valueExpression, 'email_verified');
    }
  });

  if (email.usesEmail && !email.usesEmailVerified) {
    out.add(
      'Invalid',
      [...mp, 'username', 'expression'],
      'claims.email_verified must be used in claimMappings.username.expression or claimMappings.extra[*].valueExpression or claimValidationRules[*].expression when claims.email is used in claimMappings.username.expression',
      mappings.username?.expression ?? '',
    );
  }

  // userValidationRules
  const seenUserExprs = new Set<string>();
  (a.userValidationRules ?? []).forEach((rule, j) => {
    const up = [...base, 'userValidationRules', j, 'expression'];
    if (!rule.expression) {
      out.add('Required', up, '');
      return;
    }
    if (seenUserExprs.has(rule.expression)) {
      out.add('Duplicate', up, '', rule.expression);
      return;
    }
    seenUserExprs.add(rule.expression);
    compileChecked(out, rule.expression, 'user', 'bool', up);
  });
}

function validateURL(out: Collector, raw: string, disallowed: Set<string>, path: Path): void {
  if (disallowed.has(raw)) {
    const list = [...disallowed].sort();
    out.add('Invalid', path, `URL must not overlap with disallowed issuers: [${list.join(' ')}]`, raw);
  }
  for (const error of apiServerUrlErrors(raw)) out.add('Invalid', path, error, raw);
}

/** Returns true when the mapping compiled (or needs no compiling) without errors. */
function validatePrefixed(out: Collector, m: PrefixedClaimOrExpression, path: Path, required: boolean): boolean {
  const claim = m.claim ?? '';
  const expression = m.expression ?? '';
  if (claim && expression) {
    out.add('Invalid', path, "claim and expression can't both be set", '');
    return false;
  }
  if (!claim && !expression) {
    if (required) {
      out.add('Required', path, 'claim or expression is required');
      return false;
    }
    return true;
  }
  if (expression) {
    let ok = true;
    if (m.prefix !== undefined) {
      out.add('Invalid', [...path, 'prefix'], 'may not be specified when expression is set', m.prefix);
      ok = false;
    }
    return compileChecked(out, expression, 'claims', 'any', [...path, 'expression']) && ok;
  }
  if (m.prefix === undefined) {
    out.add(
      'Required',
      [...path, 'prefix'],
      'prefix is required when claim is set. It can be set to an empty string to disable prefixing',
    );
  }
  return true;
}

/** Compile and check the result type ('bool' or 'any'); returns true when it compiled. */
function compileChecked(
  out: Collector,
  expression: string,
  variable: CelVariable,
  want: 'bool' | 'any',
  path: Path,
): boolean {
  const result = compileCel(expression, variable);
  if (!result.ok) {
    out.add('Invalid', path, result.detail, expression, { fatal: result.certain, ourWording: !result.exact });
    return false;
  }
  if (want === 'bool' && result.outputType !== 'bool') {
    // This library types some expressions `dyn` that cel-go infers as bool (optional index chains
    // such as `claims[?"a"]["b"].orValue(true)`): only report what cel-go surely rejects.
    const sure = result.outputType !== 'dyn' || surelyDynInCelGo(expression);
    out.add('Invalid', path, 'must evaluate to bool', expression, { fatal: sure });
    return false;
  }
  return true;
}

const SELECT_STEP = String.raw`(?:\s*\.\s*[A-Za-z_]\w*|\s*\[\s*(?:"[^"\\]*"|'[^'\\]*'|\d+)\s*\])`;
const PLAIN_SELECTION = new RegExp(String.raw`^\s*claims${SELECT_STEP}+\s*$`);
const OPTIONAL_SELECT_OR_VALUE = new RegExp(
  String.raw`^\s*claims${SELECT_STEP}*\s*\.\s*\?\s*[A-Za-z_]\w*\s*\.\s*orValue\s*\([\s\S]*\)\s*$`,
);

/** Expressions whose cel-go type is certainly `dyn`: a plain claim selection, or `claims…?x.orValue(…)`. */
function surelyDynInCelGo(expression: string): boolean {
  return PLAIN_SELECTION.test(expression) || OPTIONAL_SELECT_OR_VALUE.test(expression);
}

/**
 * Whether the expression selects `claims.<field>` (`claims.email`, `claims.?email`), as the
 * API server's AST walk does. Works on the token stream with strings removed.
 */
export function selectsClaim(expression: string, field: string): boolean {
  const code = stripStringLiterals(expression);
  const re = new RegExp(`(^|[^\\w.])claims\\s*\\.\\s*\\??\\s*${field}(?![\\w])`);
  return re.test(code);
}

function stripStringLiterals(expr: string): string {
  return expr.replace(/[rR]?("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')/g, '""');
}

/** apimachinery IsDomainPrefixedPath: its errors with the value each one prints. */
function domainPrefixedPathErrors(key: string): { type: FieldErrorType; detail: string; value?: string }[] {
  if (key.length === 0) return [{ type: 'Required', detail: '' }];
  const slash = key.indexOf('/');
  const host = slash < 0 ? key : key.slice(0, slash);
  const path = slash < 0 ? '' : key.slice(slash + 1);
  if (slash < 0 || host === '' || path === '') {
    return [{ type: 'Invalid', detail: 'must be a domain-prefixed path (such as "acme.io/foo")', value: key }];
  }
  const errors: { type: FieldErrorType; detail: string; value?: string }[] = [];
  if (host.length > 253) errors.push({ type: 'Invalid', detail: 'must be no more than 253 characters', value: host });
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(host)) {
    errors.push({
      type: 'Invalid',
      value: host,
      detail:
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    });
  }
  if (!/^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/.test(path)) {
    errors.push({
      type: 'Invalid',
      value: path,
      detail: "Invalid path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')",
    });
  }
  return errors;
}

function isKubernetesDomain(key: string): boolean {
  const parts = key.split('/');
  if (parts.length < 2) return false;
  const d = parts[0];
  return d === 'kubernetes.io' || d.endsWith('.kubernetes.io') || d === 'k8s.io' || d.endsWith('.k8s.io');
}

/**
 * The error `oidc.New` returns for one authenticator at startup: the aggregated validation errors
 * (field paths without `jwt[i].`), else an unsupported signing algorithm; undefined when it starts.
 */
export function authenticatorInitError(model: AuthenticatorModel, index: number): string | undefined {
  const single: AuthenticatorModel = { ...model, jwt: [model.jwt[index]] };
  const problems = validateAuthenticator({ ...single, signingAlgs: [] }, { fieldPrefix: '' }).filter((p) => p.fatal);
  if (problems.length > 0) return aggregateText(problems.map((p) => p.message));
  const algs = model.signingAlgs.length > 0 ? model.signingAlgs : ['RS256'];
  const bad = algs.find((alg) => !(ALL_SIGNING_ALGS as readonly string[]).includes(alg));
  return bad === undefined ? undefined : `oidc: unsupported signing alg: ${goQuote(bad)}`;
}
