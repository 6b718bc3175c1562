/**
 * Legacy kube-apiserver `--oidc-*` flags → the JWT authenticator model, as
 * `BuiltInAuthenticationOptions.ToAuthenticationConfig` converts them (since 1.29), with the
 * startup checks and their exact messages.
 */
import type { AuthenticatorModel, ConfigProblem, JWTAuthenticator } from './types';
import { validateAuthenticator } from './validate';
import { goQuote } from './goformat';

export const OIDC_FLAGS = [
  'oidc-issuer-url',
  'oidc-client-id',
  'oidc-ca-file',
  'oidc-username-claim',
  'oidc-username-prefix',
  'oidc-groups-claim',
  'oidc-groups-prefix',
  'oidc-signing-algs',
  'oidc-required-claim',
] as const;

export type OidcFlag = (typeof OIDC_FLAGS)[number];

export interface FlagOptions {
  /** `--service-account-issuer` values: an OIDC issuer may not equal one of them (1.30+). */
  serviceAccountIssuers?: string[];
}

export function isOidcFlag(name: string): name is OidcFlag {
  return (OIDC_FLAGS as readonly string[]).includes(name);
}

/**
 * Convert kube-apiserver flags (names without dashes → values; a repeated flag has several values)
 * into the model. No `oidc-*` flag at all → no model and no problems. With `authentication-config`
 * the JWT authenticators come from that file, so no model is returned here.
 */
export function authenticatorFromFlags(
  flags: ReadonlyMap<string, readonly string[]>,
  options?: FlagOptions,
): { model?: AuthenticatorModel; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const names = [...flags.keys()].map(stripDashes);
  const get = (name: string): readonly string[] | undefined => {
    for (const [k, v] of flags) if (stripDashes(k) === name) return v;
    return undefined;
  };

  // pflag stops at the first unknown flag: kube-apiserver does not start.
  for (const name of names) {
    if (name.startsWith('oidc-') && !isOidcFlag(name)) {
      problems.push({ path: [name], message: `unknown flag: --${name}`, fatal: true });
    }
  }
  const setOidc = names.filter(isOidcFlag);
  const authConfig = get('authentication-config');
  const authConfigFile = last(authConfig) ?? '';

  if (authConfigFile !== '') {
    for (const name of setOidc) {
      problems.push({
        path: [name],
        message: 'authentication-config file and oidc-* flags are mutually exclusive',
        fatal: true,
      });
    }
    return { problems };
  }
  if (setOidc.length === 0) return { problems };

  const issuerURL = last(get('oidc-issuer-url')) ?? '';
  const clientID = last(get('oidc-client-id')) ?? '';
  if (issuerURL === '' || clientID === '') {
    const missing: string[] = [];
    if (issuerURL === '') missing.push('oidc-issuer-url');
    if (clientID === '') missing.push('oidc-client-id');
    problems.push({
      path: [missing[0]],
      message: 'oidc-issuer-url and oidc-client-id must be specified together when any oidc-* flags are set',
      fatal: true,
    });
    return { problems };
  }

  // Defaults from WithOIDC(): username claim "sub", signing algs [RS256]. Single-valued flags: the last one wins.
  const usernameClaim = last(get('oidc-username-claim')) ?? 'sub';
  const prefixFlag = last(get('oidc-username-prefix')) ?? '';
  let usernamePrefix = prefixFlag;
  if (prefixFlag === '' && usernameClaim !== 'email') usernamePrefix = issuerURL + '#';
  if (prefixFlag === '-') usernamePrefix = '';

  const jwt: JWTAuthenticator = {
    issuer: { url: issuerURL, audiences: [clientID] },
    claimValidationRules: [],
    claimMappings: { username: { claim: usernameClaim, prefix: usernamePrefix } },
    userValidationRules: [],
  };
  const groupsClaim = last(get('oidc-groups-claim')) ?? '';
  if (groupsClaim !== '') {
    jwt.claimMappings.groups = { claim: groupsClaim, prefix: last(get('oidc-groups-prefix')) ?? '' };
  }
  const caFile = last(get('oidc-ca-file')) ?? '';
  if (caFile !== '') jwt.issuer.certificateAuthority = caFile;

  // MapStringStringNoSplit: each value is one k=v pair, split at the first '='; later keys overwrite.
  const required = new Map<string, string>();
  for (const entry of get('oidc-required-claim') ?? []) {
    const eq = entry.indexOf('=');
    if (eq < 0) {
      problems.push({
        path: ['oidc-required-claim'],
        message: `invalid argument ${goQuote(entry)} for "--oidc-required-claim" flag: malformed pair, expect string=string`,
        fatal: true,
      });
      continue;
    }
    required.set(entry.slice(0, eq).trim(), entry.slice(eq + 1).trim());
  }
  jwt.claimValidationRules = [...required].map(([claim, requiredValue]) => ({ claim, requiredValue }));

  // StringSlice: comma separated; the first use replaces the default, later uses append.
  const algValues = get('oidc-signing-algs');
  const listed = algValues ? algValues.flatMap(splitCSV) : [];
  // An empty list is defaulted to RS256 again by oidc.New.
  const signingAlgs = listed.length > 0 ? listed : ['RS256'];

  const model: AuthenticatorModel = { source: 'flags', jwt: [jwt], signingAlgs };
  if (options?.serviceAccountIssuers) model.disallowedIssuers = [...options.serviceAccountIssuers];

  for (const p of validateAuthenticator(model)) {
    if (p.path[0] === 'signingAlgs') {
      problems.push({ ...p, path: ['oidc-signing-algs'] });
      continue;
    }
    problems.push({
      ...p,
      path: [flagForField(p.path)],
      message: `invalid authentication configuration: ${p.message}`,
    });
  }
  return { model, problems };
}

function stripDashes(name: string): string {
  return name.replace(/^-+/, '');
}

function last(values: readonly string[] | undefined): string | undefined {
  return values && values.length > 0 ? values[values.length - 1] : undefined;
}

/** pflag's StringSlice parses its value as one CSV record. */
function splitCSV(value: string): string[] {
  if (value === '') return [];
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted) {
      if (c === '"' && value[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      out.push(field);
      field = '';
    } else field += c;
  }
  out.push(field);
  return out;
}

/** Which flag a `jwt[0].…` validation error is about. */
function flagForField(path: (string | number)[]): string {
  const rest = path.slice(2).join('.');
  if (rest.startsWith('issuer.url')) return 'oidc-issuer-url';
  if (rest.startsWith('issuer.audiences') || rest.startsWith('issuer.audienceMatchPolicy')) return 'oidc-client-id';
  if (rest.startsWith('issuer.certificateAuthority')) return 'oidc-ca-file';
  if (rest.startsWith('claimValidationRules')) return 'oidc-required-claim';
  if (rest.startsWith('claimMappings.username')) return 'oidc-username-claim';
  if (rest.startsWith('claimMappings.groups')) return 'oidc-groups-claim';
  return 'oidc-issuer-url';
}
