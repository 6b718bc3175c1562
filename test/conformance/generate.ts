/**
 * The differential conformance suite's case generator: API server configurations (legacy
 * `--oidc-*` flags, `AuthenticationConfiguration` v1beta1 and v1) crossed with tokens signed for
 * real by a local issuer's keys (and by keys it does not publish), plus malformed tokens.
 * Deterministic for a seed: the same seed gives the same configurations, claims and headers
 * (signatures differ from run to run, because keys are made per run; outcomes do not).
 */
import {
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  sign as cryptoSign,
  constants,
  type KeyObject,
} from 'node:crypto';
import { stringify } from 'yaml';

/** The clock both judges use: 2025-11-30T00:00:00Z. Tokens' times are relative to it. */
export const NOW = 1764460800;

/** A small deterministic PRNG (mulberry32). */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** A few distinct items, in the list's order. */
  some<T>(items: readonly T[], max: number): T[] {
    const count = 1 + this.int(Math.min(max, items.length));
    const chosen = new Set<number>();
    while (chosen.size < count) chosen.add(this.int(items.length));
    return [...chosen].sort((a, b) => a - b).map((i) => items[i]);
  }
}

// ---------------------------------------------------------------------------------------------
// Keys

export interface SigningKey {
  kid: string;
  alg: string;
  privateKey: KeyObject | Buffer;
  /** Published in the issuer's JWKS. */
  published: boolean;
}

export interface Keys {
  signing: Record<string, SigningKey>;
  /** The issuer's JSON Web Key Set, as its jwks_uri serves it. */
  jwks: string;
}

export function makeKeys(): Keys {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ec384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ed = generateKeyPairSync('ed25519');
  const publish = (kid: string, alg: string, key: KeyObject) => ({
    ...key.export({ format: 'jwk' }),
    kid,
    alg,
    use: 'sig',
  });
  const jwks = JSON.stringify({
    keys: [
      publish('rsa-1', 'RS256', rsa.publicKey),
      publish('ec-256', 'ES256', ec256.publicKey),
      publish('ec-384', 'ES384', ec384.publicKey),
    ],
  });
  const signing: Record<string, SigningKey> = {
    rsa: { kid: 'rsa-1', alg: 'RS256', privateKey: rsa.privateKey, published: true },
    ec256: { kid: 'ec-256', alg: 'ES256', privateKey: ec256.privateKey, published: true },
    ec384: { kid: 'ec-384', alg: 'ES384', privateKey: ec384.privateKey, published: true },
    other: { kid: 'rsa-other', alg: 'RS256', privateKey: other.privateKey, published: false },
    ed: { kid: 'ed-1', alg: 'EdDSA', privateKey: ed.privateKey, published: false },
    hmac: { kid: 'hs-1', alg: 'HS256', privateKey: Buffer.from('not-a-public-key-secret'), published: false },
  };
  return { signing, jwks };
}

const b64 = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/** Sign `header.payload` with a key for the given JOSE algorithm (which may not suit the key). */
export function signJws(alg: string, key: KeyObject | Buffer, signingInput: string): string {
  const data = Buffer.from(signingInput);
  const hash = alg.endsWith('384') ? 'sha384' : alg.endsWith('512') ? 'sha512' : 'sha256';
  if (Buffer.isBuffer(key)) {
    return b64(createHash(hash).update(key).update(data).digest()); // not a real HMAC: only ever rejected
  }
  if (alg.startsWith('RS')) return b64(cryptoSign(hash, data, key));
  if (alg.startsWith('PS')) {
    return b64(
      cryptoSign(hash, data, {
        key,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
      }),
    );
  }
  if (alg.startsWith('ES')) return b64(cryptoSign(hash, data, { key, dsaEncoding: 'ieee-p1363' }));
  if (alg === 'EdDSA') return b64(cryptoSign(null, data, key));
  return '';
}

export function compactJws(
  header: Record<string, unknown>,
  payload: Record<string, unknown> | string,
  key: KeyObject | Buffer,
  alg: string,
): string {
  const input = `${b64(JSON.stringify(header))}.${b64(typeof payload === 'string' ? payload : JSON.stringify(payload))}`;
  return `${input}.${signJws(alg, key, input)}`;
}

export { createPrivateKey };

// ---------------------------------------------------------------------------------------------
// Configurations

export const ISSUERS = [
  'https://id.example.com',
  'https://id.example.com/',
  'https://login.example.org/realms/k8s',
  'https://pocket-id.example.net',
  'https://accounts.google.com',
] as const;
const AUDIENCES = ['kubernetes', 'talos-oidc', 'a6d3c0de-0b5e-4c1f-9f0a-6d8a5b3e2f10', 'other-client'];

/** One configuration: flags (name → values, in order) or an AuthenticationConfiguration file. */
export type GeneratedConfig =
  | { kind: 'flags'; flags: [string, string][] }
  | { kind: 'file'; apiVersion: string; body: Record<string, unknown>; text: string };

/** The facts a token generator needs about a configuration's authenticators. */
export interface ConfigFacts {
  issuers: string[];
  audiences: string[];
  /** Claim names the configuration reads: tokens vary these. */
  claims: string[];
  requiredClaims: Record<string, string>;
  algs: string[];
}

export interface ConfigCase {
  id: string;
  config: GeneratedConfig;
  facts: ConfigFacts;
  /** What the generator meant to exercise (for reading disagreements). */
  shape: string;
}

const USERNAME_CLAIMS = ['sub', 'email', 'preferred_username', 'name', 'upn'];
const GROUPS_CLAIMS = ['groups', 'roles', 'cognito:groups'];
const PREFIXES = ['oidc:', '-', '', 'oidc-', 'https://id.example.com#', 'pocket:'];

/** CEL shapes seen in real AuthenticationConfigurations. */
export const USERNAME_EXPRESSIONS = [
  'claims.sub',
  '"oidc:" + claims.sub',
  'claims.preferred_username',
  'claims.email_verified ? claims.email : claims.sub',
  'has(claims.preferred_username) ? claims.preferred_username : claims.sub',
  'claims.?preferred_username.orValue(claims.sub)',
  '"oidc:" + claims.email.split("@")[0] + (claims.email_verified ? "" : "")',
  'claims.name.lowerAscii()',
  'claims.sub + "@" + claims.iss',
  'claims.email_verified == true ? claims.email : ""',
  'string(claims.uid_num)',
  'claims.upn.replace("@example.com", "")',
];
export const GROUPS_EXPRESSIONS = [
  'claims.groups',
  'claims.groups.map(g, "oidc:" + g)',
  'has(claims.groups) ? claims.groups : []',
  'claims.?groups.orValue([]).map(g, "oidc:" + g)',
  'claims.roles.filter(r, r.startsWith("k8s-"))',
  '[claims.tenant]',
  '"everyone"',
  'claims.groups + ["oidc:users"]',
  'claims.?roles.orValue([]).map(r, "role:" + r)',
  'claims.groups.filter(g, g != "kubernetes")',
  'dyn(claims.groups).map(g, "oidc:" + g)',
  'dyn(claims.roles).filter(r, r.startsWith("k8s-"))',
  'has(claims.groups) ? dyn(claims.groups).map(g, "oidc:" + g) : []',
  'claims.email.split("@")',
];
export const UID_EXPRESSIONS = [
  'claims.sub',
  'claims.oid',
  'string(claims.uid_num)',
  'claims.?oid.orValue(claims.sub)',
  '"uid-" + claims.sub',
];
export const EXTRA_MAPPINGS: [string, string][] = [
  ['example.com/tenant', 'claims.tenant'],
  ['example.com/roles', 'claims.?roles.orValue([])'],
  ['example.com/acr', 'has(claims.acr) ? [claims.acr] : []'],
  ['example.com/issued-at', 'string(claims.iat)'],
  ['talos.dev/groups', 'claims.groups'],
  ['example.com/amr', 'claims.?amr.orValue([])'],
];
export const CLAIM_RULE_EXPRESSIONS: [string, string][] = [
  ['claims.email_verified == true', 'email not verified'],
  ['claims.exp - claims.iat <= 86400', 'token lifetime too long'],
  ['has(claims.tenant) && claims.tenant == "a"', 'wrong tenant'],
  ['claims.hd == "example.com"', 'not from example.com'],
  ['!has(claims.act)', 'delegated tokens are not allowed'],
  ['size(claims.groups) > 0', 'no groups'],
  ['claims.?acr.orValue("") == "mfa"', 'multi-factor login required'],
  ['dyn(claims.groups).exists(g, g == "kubernetes")', 'not in the kubernetes group'],
];
export const USER_RULE_EXPRESSIONS: [string, string][] = [
  ['!user.username.startsWith("system:")', 'username cannot use reserved system: prefix'],
  ['user.groups.all(g, !g.startsWith("system:"))', 'groups cannot use reserved system: prefix'],
  ['user.username != ""', 'empty username'],
  ['"oidc:kubernetes" in user.groups', 'not in the kubernetes group'],
  ['user.uid != ""', 'no uid'],
  ['size(user.groups) < 5', 'too many groups'],
];

/** Deliberately invalid pieces, for the configuration-validation cases. */
const BAD_ISSUERS = [
  'http://id.example.com',
  'https://user@id.example.com',
  'https://id.example.com?x=1',
  'https://id.example.com#frag',
  '',
  'id.example.com',
  'https://',
];
const BAD_EXPRESSIONS = [
  'claims.sub +',
  'claims.sub == 1 ? "a" : 2',
  'foo.bar',
  '1 + 1',
  'claims.sub.nosuchfn()',
  'user.username',
];
const BAD_EXTRA_KEYS = [
  'tenant',
  'Example.com/tenant',
  'kubernetes.io/tenant',
  'example.com/',
  'example.k8s.io/x',
  'example.com/Tenant',
];

function flagsConfig(rng: Rng, valid: boolean): ConfigCase {
  const flags: [string, string][] = [];
  const issuer = rng.pick(ISSUERS);
  const audience = rng.pick(AUDIENCES);
  const claims: string[] = [];
  const requiredClaims: Record<string, string> = {};
  let shape = 'flags';
  const broken = valid ? 'none' : rng.pick(['issuer', 'missing', 'alg', 'unknown', 'required', 'none']);
  shape += `:${broken}`;
  if (broken !== 'missing' || rng.chance(0.5))
    flags.push(['oidc-issuer-url', broken === 'issuer' ? rng.pick(BAD_ISSUERS) : issuer]);
  if (broken !== 'missing' || !flags.length) flags.push(['oidc-client-id', broken === 'missing' ? '' : audience]);
  if (rng.chance(0.7)) {
    const claim = rng.pick(USERNAME_CLAIMS);
    flags.push(['oidc-username-claim', claim]);
    claims.push(claim);
  } else claims.push('sub');
  if (rng.chance(0.7)) flags.push(['oidc-username-prefix', rng.pick(PREFIXES)]);
  if (rng.chance(0.7)) {
    const claim = rng.pick(GROUPS_CLAIMS);
    flags.push(['oidc-groups-claim', claim]);
    claims.push(claim);
    if (rng.chance(0.7)) flags.push(['oidc-groups-prefix', rng.pick(PREFIXES.filter((p) => p !== '-'))]);
  } else if (rng.chance(0.2)) flags.push(['oidc-groups-prefix', 'oidc:']);
  if (rng.chance(0.25) || broken === 'required') {
    const [name, value] = rng.pick([
      ['hd', 'example.com'],
      ['tenant', 'a'],
      ['acr', 'mfa'],
    ]);
    flags.push(['oidc-required-claim', broken === 'required' ? name : `${name}=${value}`]);
    requiredClaims[name] = value;
    claims.push(name);
  }
  let algs = ['RS256'];
  if (rng.chance(0.4) || broken === 'alg') {
    const list =
      broken === 'alg'
        ? rng.pick(['RS256,EdDSA', 'HS256', 'none', 'EdDSA'])
        : rng.pick(['RS256', 'ES256', 'RS256,ES256', 'ES256,ES384,PS256', 'PS256,RS512']);
    flags.push(['oidc-signing-algs', list]);
    algs = list.split(',');
  }
  if (broken === 'unknown') flags.push([rng.pick(['oidc-username-claims', 'oidc-group-claim', 'oidc-issuer']), 'x']);
  return {
    id: '',
    config: { kind: 'flags', flags },
    facts: { issuers: [issuer], audiences: [audience], claims, requiredClaims, algs },
    shape,
  };
}

interface JwtFacts {
  issuer: string;
  audiences: string[];
  claims: string[];
  requiredClaims: Record<string, string>;
}

function jwtEntry(
  rng: Rng,
  valid: boolean,
  issuer: string,
  shapes: string[],
): { entry: Record<string, unknown>; facts: JwtFacts } {
  const claims: string[] = [];
  const requiredClaims: Record<string, string> = {};
  const broken = valid
    ? 'none'
    : rng.pick([
        'issuer',
        'audiences',
        'policy',
        'discovery',
        'username',
        'prefix',
        'expression',
        'extra',
        'userRule',
        'claimRule',
        'emailVerified',
        'groups',
        'uid',
        'rules',
        'none',
      ]);
  shapes.push(broken);

  const audiences = rng.chance(0.35) ? rng.some(AUDIENCES, 3) : [rng.pick(AUDIENCES)];
  const issuerBody: Record<string, unknown> = { url: broken === 'issuer' ? rng.pick(BAD_ISSUERS) : issuer, audiences };
  if (broken === 'audiences') issuerBody.audiences = rng.pick([[], ['kubernetes', 'kubernetes'], ['']]);
  if (audiences.length > 1 && broken !== 'policy') issuerBody.audienceMatchPolicy = 'MatchAny';
  if (broken === 'policy') issuerBody.audienceMatchPolicy = rng.pick(['MatchAll', '', 'MatchAny']);
  if (rng.chance(0.15) || broken === 'discovery') {
    issuerBody.discoveryURL =
      broken === 'discovery'
        ? rng.pick([issuer, 'http://discovery.example.com/.well-known/openid-configuration', `${issuer}/`])
        : 'https://discovery.internal.example.com/.well-known/openid-configuration';
  }

  const mappings: Record<string, unknown> = {};
  const useExpression = rng.chance(0.45) || broken === 'expression' || broken === 'emailVerified';
  if (broken === 'username')
    mappings.username = rng.pick([
      { claim: 'sub', prefix: 'oidc:', expression: 'claims.sub' },
      {},
      { claim: '', prefix: '' },
    ]);
  else if (broken === 'prefix')
    mappings.username = rng.pick([{ claim: 'sub' }, { expression: 'claims.sub', prefix: 'oidc:' }]);
  else if (broken === 'emailVerified')
    mappings.username = { expression: rng.pick(['claims.email', '"oidc:" + claims.email']) };
  else if (useExpression) {
    const expr = broken === 'expression' ? rng.pick(BAD_EXPRESSIONS) : rng.pick(USERNAME_EXPRESSIONS);
    mappings.username = { expression: expr };
  } else {
    const claim = rng.pick(USERNAME_CLAIMS);
    claims.push(claim);
    mappings.username = { claim, prefix: rng.pick(PREFIXES.filter((p) => p !== '-')) };
  }
  const groupsChoice = rng.int(3);
  if (broken === 'groups') {
    mappings.groups = rng.pick<Record<string, unknown>>([
      { prefix: 'oidc:' },
      { claim: 'groups' },
      { claim: 'groups', expression: 'claims.groups', prefix: '' },
      { expression: 'claims.groups', prefix: 'oidc:' },
      { expression: '1' },
    ]);
  } else if (groupsChoice === 1) {
    const claim = rng.pick(GROUPS_CLAIMS);
    claims.push(claim);
    mappings.groups = { claim, prefix: rng.pick(['oidc:', '']) };
  } else if (groupsChoice === 2) mappings.groups = { expression: rng.pick(GROUPS_EXPRESSIONS) };
  if (broken === 'uid')
    mappings.uid = rng.pick<Record<string, unknown>>([
      { claim: 'sub', expression: 'claims.sub' },
      { expression: 'claims.exp' },
      {},
    ]);
  else if (rng.chance(0.3))
    mappings.uid = rng.chance(0.4) ? { claim: rng.pick(['sub', 'oid']) } : { expression: rng.pick(UID_EXPRESSIONS) };
  if (rng.chance(0.3) || broken === 'extra') {
    const chosen = rng.some(EXTRA_MAPPINGS, 2).map(([key, valueExpression]) => ({ key, valueExpression }));
    if (broken === 'extra') {
      if (rng.chance(0.7)) chosen.push({ key: rng.pick(BAD_EXTRA_KEYS), valueExpression: 'claims.sub' });
      else
        chosen.push(
          rng.pick([
            { key: chosen[0].key, valueExpression: 'claims.sub' },
            { key: 'example.com/x', valueExpression: '' },
            { key: 'example.com/y', valueExpression: 'claims.exp' },
          ]),
        );
    }
    mappings.extra = chosen;
  }

  const entry: Record<string, unknown> = { issuer: issuerBody, claimMappings: mappings };
  const claimRules: Record<string, unknown>[] = [];
  if (rng.chance(0.25)) {
    const [claim, requiredValue] = rng.pick([
      ['hd', 'example.com'],
      ['tenant', 'a'],
      ['acr', 'mfa'],
    ]);
    claimRules.push({ claim, requiredValue });
    requiredClaims[claim] = requiredValue;
    claims.push(claim);
  }
  if (rng.chance(0.3) || broken === 'claimRule') {
    const [expression, message] =
      broken === 'claimRule'
        ? rng.pick([
            ['claims.sub', 'not a bool'],
            ['claims.hd == "x"', ''],
            ['user.username != ""', 'x'],
          ])
        : rng.pick(CLAIM_RULE_EXPRESSIONS);
    claimRules.push(message ? { expression, message } : { expression });
  }
  if (broken === 'rules') {
    claimRules.push(
      rng.pick<Record<string, unknown>>([
        { claim: 'hd', requiredValue: 'a', expression: 'claims.hd == "a"' },
        { claim: 'hd', message: 'x' },
        { requiredValue: 'a' },
        { expression: 'claims.hd == "a"', requiredValue: 'a' },
        { claim: 'tenant', requiredValue: 'a' },
        {},
      ]),
    );
    if (rng.chance(0.3)) claimRules.push({ claim: 'tenant', requiredValue: 'b' });
  }
  if (claimRules.length) entry.claimValidationRules = claimRules;
  if (rng.chance(0.25) || broken === 'userRule') {
    const [expression, message] =
      broken === 'userRule'
        ? rng.pick([
            ['claims.sub != ""', 'x'],
            ['user.username', 'x'],
            ['user.nosuchfield == ""', 'x'],
          ])
        : rng.pick(USER_RULE_EXPRESSIONS);
    entry.userValidationRules =
      broken === 'rules' && rng.chance(0.5) ? [{ expression }, { expression, message }] : [{ expression, message }];
  }
  return { entry, facts: { issuer, audiences, claims, requiredClaims } };
}

function fileConfig(rng: Rng, valid: boolean): ConfigCase {
  const apiVersion = rng.pick(['apiserver.config.k8s.io/v1beta1', 'apiserver.config.k8s.io/v1']);
  const count = rng.chance(0.25) ? 2 + rng.int(2) : 1;
  const issuers = rng.some(ISSUERS, count);
  if (!valid && rng.chance(0.1) && issuers.length > 1) issuers[1] = issuers[0]; // duplicate issuer
  const shapes: string[] = [];
  const entries = issuers.map((issuer) => jwtEntry(rng, valid || rng.chance(0.3), issuer, shapes));
  const body: Record<string, unknown> = {
    apiVersion,
    kind: 'AuthenticationConfiguration',
    jwt: entries.map((e) => e.entry),
  };
  if (rng.chance(0.2)) {
    body.anonymous = { enabled: true, conditions: [{ path: '/livez' }, { path: '/readyz' }, { path: '/healthz' }] };
  }
  const facts: ConfigFacts = {
    issuers: entries.map((e) => e.facts.issuer),
    audiences: [...new Set(entries.flatMap((e) => e.facts.audiences))],
    claims: [...new Set(entries.flatMap((e) => e.facts.claims))],
    requiredClaims: Object.assign({}, ...entries.map((e) => e.facts.requiredClaims)),
    algs: ['ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512'],
  };
  const text = rng.chance(0.2) ? JSON.stringify(body, null, 2) : stringify(body);
  return {
    id: '',
    config: { kind: 'file', apiVersion, body, text },
    facts,
    shape: `file:${apiVersion.split('/')[1]}:${shapes.join(',')}`,
  };
}

/** A configuration meant to start (for token cases), or one exploring invalid settings. */
export function generateConfig(rng: Rng, purpose: 'tokens' | 'validation'): ConfigCase {
  const valid = purpose === 'tokens';
  return rng.chance(0.4) ? flagsConfig(rng, valid) : fileConfig(rng, valid);
}

// ---------------------------------------------------------------------------------------------
// Tokens

export interface TokenCase {
  id: string;
  token: string;
  now: number;
  shape: string;
}

const GROUP_VALUES: unknown[] = [
  ['kubernetes', 'developers'],
  'kubernetes',
  [],
  ['system:masters'],
  [1, 2],
  'k8s-admins',
  ['k8s-admins', 'viewers'],
  null,
  { a: 1 },
];
const EMAIL_VERIFIED: unknown[] = [true, false, 'true', 'false', undefined, null, 1];

function claimValue(rng: Rng, name: string): unknown {
  switch (name) {
    case 'sub':
      return rng.pick<unknown>(['643c5a5e-0f2e-4c54-9d57-3c9e3f6a8b21', 'alice', '', 42, 'system:admin']);
    case 'email':
      return rng.pick<unknown>(['alice@example.com', 'bob@example.org', '', ['a@example.com'], 'ÄLICE@example.com']);
    case 'preferred_username':
    case 'name':
    case 'upn':
      return rng.pick<unknown>(['alice', 'Alice Smith', 'ALICE@example.com', '', 7, 'Ünïcode']);
    case 'groups':
    case 'roles':
    case 'cognito:groups':
      return rng.pick(GROUP_VALUES);
    case 'hd':
      return rng.pick<unknown>(['example.com', 'example.org', 1]);
    case 'tenant':
      return rng.pick<unknown>(['a', 'b', '', 3]);
    case 'acr':
      return rng.pick<unknown>(['mfa', 'pwd', 0]);
    case 'oid':
      return rng.pick<unknown>(['00000000-0000-0000-0000-000000000001', 5]);
    default:
      return 'x';
  }
}

/** A well-typed value for a claim, as a provider configured like Pocket-ID sends it. */
function cleanValue(name: string): unknown {
  if (['groups', 'roles', 'cognito:groups'].includes(name)) return ['kubernetes', 'k8s-admins'];
  if (name === 'email') return 'alice@example.com';
  if (name === 'hd') return 'example.com';
  if (name === 'tenant') return 'a';
  if (name === 'acr') return 'mfa';
  return 'alice';
}

/** Claims for a token aimed at one of the configuration's issuers, varied around what it reads. */
function claimsFor(rng: Rng, facts: ConfigFacts, shape: string[], clean: boolean): Record<string, unknown> {
  const issuer = rng.pick(facts.issuers);
  const claims: Record<string, unknown> = {};
  const issChoice = clean ? 99 : rng.int(20);
  if (issChoice === 0) {
    claims.iss = issuer.endsWith('/') ? issuer.slice(0, -1) : `${issuer}/`;
    shape.push('iss-slash');
  } else if (issChoice === 1) {
    claims.iss = 'https://evil.example.com';
    shape.push('iss-other');
  } else if (issChoice === 2) {
    shape.push('iss-absent');
  } else if (issChoice === 3 && issuer === 'https://accounts.google.com') {
    claims.iss = 'accounts.google.com';
    shape.push('iss-google');
  } else claims.iss = issuer;

  const audChoice = clean ? 99 : rng.int(10);
  if (audChoice === 0) {
    claims.aud = 'someone-else';
    shape.push('aud-wrong');
  } else if (audChoice === 1) {
    claims.aud = [rng.pick(facts.audiences), 'someone-else'];
    shape.push('aud-array');
  } else if (audChoice === 2) {
    shape.push('aud-absent');
  } else if (audChoice === 3) {
    claims.aud = 5;
    shape.push('aud-number');
  } else claims.aud = rng.pick(facts.audiences);

  const timeChoice = clean ? 99 : rng.int(14);
  const iat = NOW - 60;
  claims.iat = iat;
  const exps = [NOW - 1, NOW, NOW + 1, NOW - 61, NOW - 3600];
  if (timeChoice === 0) {
    claims.exp = rng.pick(exps);
    shape.push(`exp${(claims.exp as number) - NOW}`);
  } else if (timeChoice === 1) {
    claims.nbf = NOW + rng.pick([59, 60, 61, 3600]);
    claims.exp = NOW + 7200;
    shape.push(`nbf+${(claims.nbf as number) - NOW}`);
  } else if (timeChoice === 2) {
    shape.push('exp-absent');
  } else if (timeChoice === 3) {
    claims.exp = rng.pick<unknown>([`${NOW + 3600}`, NOW + 3600.5, null, true]);
    shape.push('exp-type');
  } else if (timeChoice === 4) {
    claims.iat = NOW + 600;
    claims.exp = NOW + 3600;
    shape.push('iat-future');
  } else if (timeChoice === 5) {
    claims.exp = NOW + 200000;
    shape.push('exp-long');
  } else claims.exp = NOW + 3600;

  for (const name of ['sub', ...facts.claims, 'email', 'preferred_username', 'groups']) {
    if (name in claims) continue;
    const r = rng.int(10);
    if (r === 0 && !clean) {
      shape.push(`${name}-absent`);
      continue;
    }
    claims[name] = clean && rng.chance(0.6) ? cleanValue(name) : claimValue(rng, name);
  }
  const verified = clean ? true : rng.pick(EMAIL_VERIFIED);
  if (verified !== undefined) claims.email_verified = verified;
  for (const [name, value] of Object.entries(facts.requiredClaims)) {
    if (clean || rng.chance(0.7)) claims[name] = value;
  }
  if (rng.chance(0.5)) claims.tenant = rng.pick<unknown>(['a', 'b']);
  if (rng.chance(0.3)) claims.roles = rng.pick<unknown>([['k8s-admins', 'viewers'], ['k8s-dev'], 'k8s-ops', []]);
  if (rng.chance(0.3)) claims.uid_num = rng.pick<unknown>([1001, 12345678901, 1.5, -3]);
  if (rng.chance(0.3)) claims.jti = rng.pick<unknown>(['f3c1d9e0-1', '', 99]);
  if (rng.chance(0.2)) claims.acr = rng.pick<unknown>(['mfa', 'pwd']);
  if (rng.chance(0.1)) claims.act = { sub: 'service' };
  if (rng.chance(0.1)) claims.amr = ['pwd', 'otp'];
  if (rng.chance(0.1)) claims.oid = '00000000-0000-0000-0000-000000000002';
  if (!clean && rng.chance(0.04)) {
    // encoding/json matches struct fields case-insensitively: a second spelling of a registered claim.
    const [key, value] = rng.pick<[string, unknown]>([
      ['EXP', NOW - 10],
      ['Aud', 'someone-else'],
      ['ISS', 'https://evil.example.com'],
      ['Nbf', NOW + 3600],
      ['exp', 1e20],
    ]);
    claims[key] = value;
    shape.push(`case-${key}`);
  }
  return claims;
}

const MALFORMED = [
  'two-segments',
  'four-segments',
  'five-segments',
  'one-segment',
  'json',
  'padded',
  'std-base64',
  'header-not-json',
  'payload-not-json',
  'payload-array',
  'no-signature',
  'bad-signature-b64',
  'trailing-dot',
] as const;

/** A token for a configuration: usually well-formed and signed, sometimes every kind of broken. */
export function generateToken(rng: Rng, facts: ConfigFacts, keys: Keys): TokenCase {
  const shape: string[] = [];
  // Half the tokens are what a working provider sends (only the claims' values vary), so the
  // username, groups, uid and extra of accepted tokens are compared often.
  const clean = rng.chance(0.5);
  if (clean) shape.push('clean');
  const claims = claimsFor(rng, facts, shape, clean);
  const keyChoice = clean ? 8 + rng.int(2) * 8 : rng.int(16);
  let key = keys.signing.rsa;
  let alg = 'RS256';
  let kid: string | undefined = key.kid;
  const allowed = facts.algs;
  if (keyChoice < 3) {
    key = keys.signing.ec256;
    alg = 'ES256';
  } else if (keyChoice === 3) {
    key = keys.signing.ec384;
    alg = 'ES384';
  } else if (keyChoice === 4) {
    alg = rng.pick(['PS256', 'RS384', 'RS512', 'PS512']);
  } else if (keyChoice === 5) {
    key = keys.signing.other;
    shape.push('other-key');
  } else if (keyChoice === 6) {
    key = keys.signing.ed;
    alg = 'EdDSA';
  } else if (keyChoice === 7) {
    key = keys.signing.hmac;
    alg = 'HS256';
  } else if (keyChoice === 8) {
    kid = undefined;
    shape.push('no-kid');
  } else if (keyChoice === 9) {
    kid = 'unknown-kid';
    shape.push('kid-unknown');
  } else if (keyChoice === 10) {
    key = keys.signing.ec256;
    alg = 'ES384';
    shape.push('alg-key-mismatch');
  }
  if (key !== keys.signing.rsa && kid === keys.signing.rsa.kid) kid = key.kid;
  shape.push(alg);
  if (!allowed.includes(alg)) shape.push('alg-not-allowed');
  const header: Record<string, unknown> = { alg, typ: 'JWT' };
  if (kid !== undefined) header.kid = kid;

  let token = compactJws(header, claims, key.privateKey as KeyObject, alg);
  if (!clean && rng.chance(0.1)) {
    const kind = rng.pick(MALFORMED);
    shape.push(`malformed:${kind}`);
    const [h, p, s] = token.split('.');
    switch (kind) {
      case 'two-segments':
        token = `${h}.${p}`;
        break;
      case 'four-segments':
        token = `${h}.${p}.${s}.${s}`;
        break;
      case 'five-segments':
        token = `${h}.${p}.${b64('iv')}.${s}.${b64('tag')}`;
        break;
      case 'one-segment':
        token = p;
        break;
      case 'json':
        token = JSON.stringify(claims);
        break;
      case 'padded':
        token = `${h}.${p}==.${s}`;
        break;
      case 'std-base64':
        token = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64')}.${s}`;
        break;
      case 'header-not-json':
        token = `${b64('{"alg":"RS256",')}.${p}.${s}`;
        break;
      case 'payload-not-json':
        token = `${h}.${b64('{"iss":')}.${s}`;
        break;
      case 'payload-array':
        token = `${h}.${b64(JSON.stringify([claims]))}.${s}`;
        break;
      case 'no-signature':
        token = `${h}.${p}.`;
        break;
      case 'bad-signature-b64':
        token = `${h}.${p}.${s.slice(0, -2)}!!`;
        break;
      case 'trailing-dot':
        token = `${token}.`;
        break;
    }
  }
  return { id: '', token, now: NOW, shape: shape.join(' ') };
}

/** Every CEL expression a configuration uses, with where. */
export function celExpressionsOf(config: GeneratedConfig): string[] {
  if (config.kind !== 'file') return [];
  const out: string[] = [];
  for (const entry of (config.body.jwt as Record<string, unknown>[]) ?? []) {
    const m = entry.claimMappings as Record<string, Record<string, unknown> | Record<string, unknown>[] | undefined>;
    for (const key of ['username', 'groups', 'uid'] as const) {
      const expr = (m?.[key] as Record<string, unknown> | undefined)?.expression;
      if (typeof expr === 'string') out.push(expr);
    }
    for (const extra of (m?.extra as Record<string, unknown>[] | undefined) ?? [])
      if (typeof extra.valueExpression === 'string') out.push(extra.valueExpression);
    for (const rule of (entry.claimValidationRules as Record<string, unknown>[] | undefined) ?? [])
      if (typeof rule.expression === 'string') out.push(rule.expression);
    for (const rule of (entry.userValidationRules as Record<string, unknown>[] | undefined) ?? [])
      if (typeof rule.expression === 'string') out.push(rule.expression);
  }
  return out;
}
