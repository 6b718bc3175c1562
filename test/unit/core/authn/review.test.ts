import * as assert from 'node:assert/strict';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import {
  authenticatorFromConfig,
  authenticatorFromFlags,
  decodeTokenInput,
  reviewToken,
} from '../../../../src/core/authn';
import type { AuthenticatorModel, TokenInput } from '../../../../src/core/authn';

const NOW = 1257894000; // 2009-11-10T23:00:00Z, as upstream's tests
const LATER = NOW + 3600;
const ISSUER = 'https://id.example.com';

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const compact = (claims: unknown, header: Record<string, unknown> = { alg: 'RS256', typ: 'JWT' }) =>
  `${b64(header)}.${b64(claims)}.c2lnbmF0dXJl`;
const token = (claims: Record<string, unknown>, alg = 'RS256'): TokenInput =>
  decodeTokenInput(compact(claims, { alg, typ: 'JWT' }));

function flagsModel(values: Record<string, string | string[]>): AuthenticatorModel {
  const { model, problems } = authenticatorFromFlags(
    new Map(Object.entries(values).map(([k, v]) => [k, Array.isArray(v) ? v : [v]])),
  );
  assert.deepEqual(problems, []);
  assert.ok(model);
  return model;
}

function configModel(jwt: unknown[]): AuthenticatorModel {
  const { model, problems } = authenticatorFromConfig({
    apiVersion: 'apiserver.config.k8s.io/v1',
    kind: 'AuthenticationConfiguration',
    jwt,
  });
  assert.deepEqual(
    problems.filter((p) => p.fatal),
    [],
  );
  assert.ok(model);
  return model;
}

const pocket = () =>
  flagsModel({
    'oidc-issuer-url': ISSUER,
    'oidc-client-id': 'kubernetes',
    'oidc-username-claim': 'email',
    'oidc-groups-claim': 'groups',
    'oidc-groups-prefix': 'oidc:',
  });
const base = { iss: ISSUER, aud: 'kubernetes', exp: LATER, sub: 'u1', email: 'jane@example.com', email_verified: true };

describe('reviewToken: the issuer pre-check', () => {
  it('accepts a matching compact token and says the signature was not verified', () => {
    const r = reviewToken(pocket(), token({ ...base, groups: ['kubernetes'] }), NOW);
    assert.equal(r.authenticated, true);
    assert.equal(r.username, 'jane@example.com');
    assert.deepEqual(r.groups, ['oidc:kubernetes']);
    assert.equal(r.error, null);
    assert.equal(r.authenticatorIndex, 0);
    assert.ok(r.notes?.some((n) => n.includes('signature was not verified')));
  });

  it('skips a token from another issuer: invalid bearer token', () => {
    for (const iss of [`${ISSUER}/`, 'https://ID.example.com', 'https://other.example.com', 42, undefined]) {
      const r = reviewToken(pocket(), token({ ...base, iss }), NOW);
      assert.equal(r.skipped, true, String(iss));
      assert.equal(r.authenticated, false);
      assert.equal(r.error, 'invalid bearer token');
    }
  });

  it('skips a JSON-serialized token and a payload with base64 padding, as the API server does', () => {
    const json = `{"payload":"${b64(base)}","protected":"${b64({ alg: 'RS256' })}","signature":"c2ln"}`;
    assert.equal(reviewToken(pocket(), { claims: base, compact: json }, NOW).skipped, true);
    const padded = `${b64({ alg: 'RS256' })}.${Buffer.from(JSON.stringify({ ...base, x: 'ab' })).toString('base64')}.c2ln`;
    assert.ok(padded.split('.')[1].endsWith('='), 'test token has padding');
    const input = decodeTokenInput(padded);
    assert.equal(input.claims.iss, ISSUER);
    assert.equal(reviewToken(pocket(), input, NOW).error, 'invalid bearer token');
  });

  it('rewrites the legacy Google issuer', () => {
    const google = flagsModel({
      'oidc-issuer-url': 'https://accounts.google.com',
      'oidc-client-id': 'kubernetes',
      'oidc-username-claim': 'email',
    });
    const r = reviewToken(google, token({ ...base, iss: 'accounts.google.com' }), NOW);
    assert.equal(r.authenticated, true);
  });

  it('lets the first authenticator whose issuer matches decide', () => {
    const model = configModel([
      {
        issuer: { url: 'https://a.example.com', audiences: ['a'] },
        claimMappings: { username: { claim: 'sub', prefix: 'a:' } },
      },
      {
        issuer: { url: ISSUER, audiences: ['kubernetes'] },
        claimMappings: { username: { claim: 'sub', prefix: 'b:' } },
      },
    ]);
    const r = reviewToken(model, token(base), NOW);
    assert.equal(r.authenticatorIndex, 1);
    assert.equal(r.username, 'b:u1');
    const wrongAud = reviewToken(model, token({ ...base, aud: 'a' }), NOW);
    assert.equal(wrongAud.authenticatorIndex, 1);
    assert.equal(wrongAud.error, 'oidc: verify token: oidc: expected audience "kubernetes" got ["a"]');
  });
});

describe('reviewToken: go-oidc verification order', () => {
  it('prints expiry in Go time format (UTC) with no leeway', () => {
    const r = reviewToken(pocket(), token({ ...base, exp: NOW - 3600 }), NOW);
    assert.equal(r.error, 'oidc: verify token: oidc: token is expired (Token Expiry: 2009-11-10 22:00:00 +0000 UTC)');
    assert.equal(reviewToken(pocket(), token({ ...base, exp: NOW - 1 }), NOW).authenticated, false);
    assert.equal(reviewToken(pocket(), token({ ...base, exp: NOW }), NOW).authenticated, true);
  });

  it('treats a missing exp as Go zero time, and decodes exp like json.Number', () => {
    const { exp: _omit, ...noExp } = base;
    assert.equal(
      reviewToken(pocket(), token(noExp), NOW).error,
      'oidc: verify token: oidc: token is expired (Token Expiry: 0001-01-01 00:00:00 +0000 UTC)',
    );
    assert.equal(reviewToken(pocket(), token({ ...base, exp: String(LATER) }), NOW).authenticated, true);
    assert.equal(reviewToken(pocket(), token({ ...base, exp: LATER + 0.9 }), NOW).authenticated, true);
    assert.equal(
      reviewToken(pocket(), token({ ...base, exp: true }), NOW).error,
      'oidc: verify token: oidc: failed to unmarshal claims: json: cannot unmarshal bool into Go struct field idToken.exp of type json.Number',
    );
    assert.equal(
      reviewToken(pocket(), token({ ...base, exp: 'soon' }), NOW).error,
      'oidc: verify token: oidc: failed to unmarshal claims: json: invalid number literal, trying to unmarshal "\\"soon\\"" into Number',
    );
  });

  it('allows nbf up to 60 seconds in the future', () => {
    assert.equal(reviewToken(pocket(), token({ ...base, nbf: NOW + 60 }), NOW).authenticated, true);
    assert.equal(
      reviewToken(pocket(), token({ ...base, nbf: NOW + 61 }), NOW).error,
      'oidc: verify token: oidc: current time 2009-11-10 23:00:00 +0000 UTC before the nbf (not before) time: 2009-11-10 23:01:01 +0000 UTC',
    );
  });

  it('with one audience, a wrong aud wins over expiry', () => {
    const r = reviewToken(pocket(), token({ ...base, aud: ['other', 'x'], exp: NOW - 10 }), NOW);
    assert.equal(r.error, 'oidc: verify token: oidc: expected audience "kubernetes" got ["other" "x"]');
    const { aud: _omit, ...noAud } = base;
    assert.equal(
      reviewToken(pocket(), token(noAud), NOW).error,
      'oidc: verify token: oidc: expected audience "kubernetes" got []',
    );
    assert.equal(reviewToken(pocket(), token({ ...base, aud: ['other', 'kubernetes'] }), NOW).authenticated, true);
  });

  it('with several audiences, expiry wins over a wrong aud, and the set is sorted', () => {
    const model = configModel([
      {
        issuer: { url: ISSUER, audiences: ['zeta', 'alpha'], audienceMatchPolicy: 'MatchAny' },
        claimMappings: { username: { claim: 'sub', prefix: '' } },
      },
    ]);
    assert.equal(
      reviewToken(model, token({ ...base, aud: 'other', exp: NOW - 3600 }), NOW).error,
      'oidc: verify token: oidc: token is expired (Token Expiry: 2009-11-10 22:00:00 +0000 UTC)',
    );
    assert.equal(
      reviewToken(model, token({ ...base, aud: 'other' }), NOW).error,
      'oidc: verify token: oidc: expected audience in ["alpha" "zeta"] got ["other"]',
    );
    assert.equal(reviewToken(model, token({ ...base, aud: ['x', 'zeta'] }), NOW).authenticated, true);
  });

  it('checks the header alg against the allowed list before anything about users', () => {
    const r = reviewToken(pocket(), token({ ...base, email_verified: false }, 'ES256'), NOW);
    assert.equal(
      r.error,
      'oidc: verify token: oidc: id token signed with unsupported algorithm, expected ["RS256"] got "ES256"',
    );
    const hs = reviewToken(pocket(), token(base, 'HS256'), NOW);
    assert.equal(
      hs.error,
      'oidc: verify token: oidc: id token signed with unsupported algorithm, expected ["RS256"] got "HS256"',
    );
    const file = configModel([
      { issuer: { url: ISSUER, audiences: ['kubernetes'] }, claimMappings: { username: { claim: 'sub', prefix: '' } } },
    ]);
    assert.equal(reviewToken(file, token(base, 'ES256'), NOW).authenticated, true);
    assert.equal(
      reviewToken(file, token(base, 'EdDSA'), NOW).error,
      'oidc: verify token: oidc: id token signed with unsupported algorithm, expected ["ES256" "ES384" "ES512" "PS256" "PS384" "PS512" "RS256" "RS384" "RS512"] got "EdDSA"',
    );
  });

  it('rejects a token with an empty signature after the algorithm check', () => {
    const unsigned = `${b64({ alg: 'RS256' })}.${b64(base)}.`;
    assert.equal(
      reviewToken(pocket(), decodeTokenInput(unsigned), NOW).error,
      'oidc: verify token: failed to verify signature: failed to verify id token signature',
    );
    const none = `${b64({ alg: 'none' })}.${b64(base)}.`;
    assert.equal(
      reviewToken(pocket(), decodeTokenInput(none), NOW).error,
      'oidc: verify token: oidc: id token signed with unsupported algorithm, expected ["RS256"] got "none"',
    );
  });

  it('says so when no header was given', () => {
    const r = reviewToken(pocket(), { claims: base }, NOW);
    assert.equal(r.authenticated, true);
    assert.ok(r.notes?.some((n) => n.includes('signing algorithm was not checked')));
  });

  it('reports claim type errors in encoding/json words', () => {
    assert.equal(
      reviewToken(pocket(), token({ ...base, aud: 7 }), NOW).error,
      'oidc: verify token: oidc: failed to unmarshal claims: json: cannot unmarshal number into Go struct field idToken.aud of type []string',
    );
    assert.equal(
      reviewToken(pocket(), token({ ...base, sub: 12 }), NOW).error,
      'oidc: verify token: oidc: failed to unmarshal claims: json: cannot unmarshal number into Go struct field idToken.sub of type string',
    );
    // An aborting (custom unmarshaler) error wins over an earlier saved type error.
    assert.equal(
      reviewToken(pocket(), token({ ...base, sub: 12, exp: false }), NOW).error,
      'oidc: verify token: oidc: failed to unmarshal claims: json: cannot unmarshal bool into Go struct field idToken.exp of type json.Number',
    );
  });

  it('checks _claim_names against _claim_sources even without a groups claim', () => {
    const model = flagsModel({ 'oidc-issuer-url': ISSUER, 'oidc-client-id': 'kubernetes' });
    assert.equal(
      reviewToken(model, token({ ...base, _claim_names: { groups: 'src1' } }), NOW).error,
      'oidc: verify token: oidc: source does not exist',
    );
    assert.equal(
      reviewToken(model, token({ ...base, _claim_names: { groups: '' }, _claim_sources: {} }), NOW).error,
      'oidc: verify token: oidc: failed to obtain source from claim name',
    );
  });
});

describe('reviewToken: username', () => {
  const subModel = (prefix?: string) =>
    flagsModel({
      'oidc-issuer-url': ISSUER,
      'oidc-client-id': 'kubernetes',
      ...(prefix !== undefined ? { 'oidc-username-prefix': prefix } : {}),
    });

  it('prefixes sub with <issuer># by default, and not with "-"', () => {
    assert.equal(reviewToken(subModel(), token(base), NOW).username, `${ISSUER}#u1`);
    assert.equal(reviewToken(subModel('-'), token(base), NOW).username, 'u1');
    assert.equal(reviewToken(subModel('oidc:'), token(base), NOW).username, 'oidc:u1');
  });

  it('maps a null claim to an empty string (Go null semantics) and rejects other types', () => {
    assert.equal(reviewToken(subModel('-'), token({ ...base, sub: null }), NOW).username, '');
    assert.equal(reviewToken(subModel(), token({ ...base, sub: null }), NOW).username, `${ISSUER}#`);
    const model = flagsModel({
      'oidc-issuer-url': ISSUER,
      'oidc-client-id': 'kubernetes',
      'oidc-username-claim': 'upn',
    });
    assert.equal(
      reviewToken(model, token({ ...base, upn: ['a'] }), NOW).error,
      'oidc: parse username claims "upn": json: cannot unmarshal array into Go value of type string',
    );
    assert.equal(
      reviewToken(model, token({ ...base, upn: { a: 1 } }), NOW).error,
      'oidc: parse username claims "upn": json: cannot unmarshal object into Go value of type string',
    );
    assert.equal(
      reviewToken(model, token({ ...base, upn: true }), NOW).error,
      'oidc: parse username claims "upn": json: cannot unmarshal bool into Go value of type string',
    );
    assert.equal(reviewToken(model, token(base), NOW).error, 'oidc: parse username claims "upn": claim not present');
  });

  it('checks email_verified only for the email claim', () => {
    assert.equal(
      reviewToken(pocket(), token({ ...base, email_verified: false }), NOW).error,
      'oidc: email not verified',
    );
    assert.equal(
      reviewToken(pocket(), token({ ...base, email_verified: null }), NOW).error,
      'oidc: email not verified',
    );
    assert.equal(
      reviewToken(pocket(), token({ ...base, email_verified: 'true' }), NOW).error,
      "oidc: parse 'email_verified' claim: json: cannot unmarshal string into Go value of type bool",
    );
    assert.equal(
      reviewToken(pocket(), token({ ...base, email_verified: 1 }), NOW).error,
      "oidc: parse 'email_verified' claim: json: cannot unmarshal number into Go value of type bool",
    );
    const { email_verified: _omit, ...unverifiedAbsent } = base;
    assert.equal(reviewToken(pocket(), token(unverifiedAbsent), NOW).authenticated, true);
    const { email: _e, ...noEmail } = { ...base, email_verified: false };
    assert.equal(
      reviewToken(pocket(), token(noEmail), NOW).error,
      'oidc: parse username claims "email": claim not present',
    );
    const upn = flagsModel({
      'oidc-issuer-url': ISSUER,
      'oidc-client-id': 'kubernetes',
      'oidc-username-claim': 'preferred_username',
      'oidc-username-prefix': '-',
    });
    const r = reviewToken(upn, token({ ...base, preferred_username: 'jane', email_verified: false }), NOW);
    assert.equal(r.username, 'jane');
  });
});

describe('reviewToken: groups, uid, extra', () => {
  it('reads a string or an array; null and absent mean none', () => {
    const groups = (value: unknown) => reviewToken(pocket(), token({ ...base, groups: value }), NOW);
    assert.deepEqual(groups('admins').groups, ['oidc:admins']);
    assert.deepEqual(groups(null).groups, []);
    assert.deepEqual(groups([]).groups, []);
    assert.deepEqual(groups('').groups, ['oidc:']);
    assert.deepEqual(groups(['a', 'a', '']).groups, ['oidc:a', 'oidc:a', 'oidc:']);
    assert.deepEqual(reviewToken(pocket(), token(base), NOW).groups, []);
  });

  it('reports other group types as the string fallback does', () => {
    const err = (value: unknown) => reviewToken(pocket(), token({ ...base, groups: value }), NOW).error;
    assert.equal(
      err(42),
      'oidc: parse groups claim "groups": json: cannot unmarshal number into Go value of type string',
    );
    assert.equal(
      err(['a', 1]),
      'oidc: parse groups claim "groups": json: cannot unmarshal array into Go value of type string',
    );
    assert.equal(
      err({ a: 1 }),
      'oidc: parse groups claim "groups": json: cannot unmarshal object into Go value of type string',
    );
    assert.equal(
      err(true),
      'oidc: parse groups claim "groups": json: cannot unmarshal bool into Go value of type string',
    );
  });

  it('ignores an aggregated (endpoint-less) distributed groups claim and cannot predict a fetched one', () => {
    const aggregated = { ...base, _claim_names: { groups: 'src1' }, _claim_sources: { src1: { JWT: 'x.y.z' } } };
    assert.deepEqual(reviewToken(pocket(), token(aggregated), NOW).groups, []);
    const distributed = {
      ...base,
      _claim_names: { groups: 'src1' },
      _claim_sources: { src1: { endpoint: 'https://id.example.com/groups' } },
    };
    const r = reviewToken(pocket(), token(distributed), NOW);
    assert.equal(r.authenticated, null);
    assert.match(r.error ?? '', /^cannot predict: .*distributed claim.*https:\/\/id\.example\.com\/groups/);
    assert.deepEqual(reviewToken(pocket(), token({ ...distributed, groups: ['x'] }), NOW).groups, ['oidc:x']);
    assert.equal(
      reviewToken(pocket(), token({ ...base, _claim_names: { other: 'src1' }, _claim_sources: undefined }), NOW).error,
      'oidc: verify token: oidc: source does not exist',
    );
    assert.equal(
      reviewToken(pocket(), token({ ...base, _claim_names: {} }), NOW).error,
      'oidc: could not expand distributed claims: oidc: no claim sources',
    );
  });

  it('adds the jti credential id only for a non-empty string', () => {
    assert.deepEqual(reviewToken(pocket(), token({ ...base, jti: 'abc' }), NOW).extra, {
      'authentication.kubernetes.io/credential-id': ['JTI=abc'],
    });
    assert.equal(reviewToken(pocket(), token({ ...base, jti: 5 }), NOW).extra, undefined);
    assert.equal(reviewToken(pocket(), token({ ...base, jti: '' }), NOW).extra, undefined);
  });

  it('requires a uid claim when one is configured', () => {
    const model = configModel([
      {
        issuer: { url: ISSUER, audiences: ['kubernetes'] },
        claimMappings: { username: { claim: 'sub', prefix: '' }, uid: { claim: 'oid' } },
      },
    ]);
    assert.equal(reviewToken(model, token(base), NOW).error, 'oidc: parse uid claim "oid": claim not present');
    assert.equal(reviewToken(model, token({ ...base, oid: 'x1' }), NOW).uid, 'x1');
  });
});

describe('reviewToken: required claims and rule order', () => {
  const required = (...pairs: string[]) =>
    flagsModel({ 'oidc-issuer-url': ISSUER, 'oidc-client-id': 'kubernetes', 'oidc-required-claim': pairs });

  it('checks presence, type and exact value', () => {
    assert.equal(
      reviewToken(required('hd=example.com'), token(base), NOW).error,
      'oidc: required claim hd not present in ID token',
    );
    assert.equal(
      reviewToken(required('hd=example.com'), token({ ...base, hd: true }), NOW).error,
      'oidc: parse claim hd: json: cannot unmarshal bool into Go value of type string',
    );
    assert.equal(
      reviewToken(required('hd=example.com'), token({ ...base, hd: 'Example.com' }), NOW).error,
      'oidc: required claim hd value does not match. Got = Example.com, want = example.com',
    );
    assert.equal(
      reviewToken(required('hd=example.com'), token({ ...base, hd: null }), NOW).error,
      'oidc: required claim hd value does not match. Got = , want = example.com',
    );
    assert.equal(
      reviewToken(required('hd=example.com'), token({ ...base, hd: 'example.com' }), NOW).authenticated,
      true,
    );
  });

  it('reports the username error before a required claim error', () => {
    const model = flagsModel({
      'oidc-issuer-url': ISSUER,
      'oidc-client-id': 'k',
      'oidc-username-claim': 'upn',
      'oidc-required-claim': 'hd=x',
    });
    assert.equal(
      reviewToken(model, token({ ...base, aud: 'k' }), NOW).error,
      'oidc: parse username claims "upn": claim not present',
    );
  });

  it('says that the order is random when several required claims fail', () => {
    const r = reviewToken(required('a=1', 'b=2'), token(base), NOW);
    assert.equal(r.authenticated, false);
    assert.ok(
      ['oidc: required claim a not present in ID token', 'oidc: required claim b not present in ID token'].includes(
        r.error ?? '',
      ),
    );
    assert.ok(r.notes?.some((n) => n.includes('random order')));
  });
});

describe('reviewToken: CEL', () => {
  const celModel = (mappings: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    configModel([{ issuer: { url: ISSUER, audiences: ['kubernetes'] }, claimMappings: mappings, ...extra }]);

  it('evaluates username and groups expressions', () => {
    const model = celModel({
      username: {
        expression:
          "claims.?email_verified.orValue(true) == true ? 'oidc:' + claims.email.split('@')[0].lowerAscii() : claims.sub",
      },
      groups: { expression: "dyn(claims.?groups.orValue([])).filter(g, g.startsWith('k8s-')).map(g, 'oidc:' + g)" },
    });
    const r = reviewToken(
      model,
      token({ ...base, email: 'Jane@example.com', groups: ['k8s-admins', 'other', 'k8s-'] }),
      NOW,
    );
    assert.equal(r.error, null);
    assert.equal(r.username, 'oidc:jane');
    assert.deepEqual(r.groups, ['oidc:k8s-admins', 'oidc:k8s-']);
  });

  it('drops empty strings from expression groups and rejects non-strings', () => {
    assert.deepEqual(
      reviewToken(
        celModel({ username: { claim: 'sub', prefix: '' }, groups: { expression: "['a', '']" } }),
        token(base),
        NOW,
      ).groups,
      ['a'],
    );
    assert.deepEqual(
      reviewToken(celModel({ username: { claim: 'sub', prefix: '' }, groups: { expression: "''" } }), token(base), NOW)
        .groups,
      [],
    );
    assert.equal(
      reviewToken(celModel({ username: { claim: 'sub', prefix: '' }, groups: { expression: '[1]' } }), token(base), NOW)
        .error,
      'oidc: error evaluating group claim expression: expression must return a string or a list of strings',
    );
  });

  it('rejects an empty or non-string username expression result', () => {
    assert.equal(
      reviewToken(celModel({ username: { expression: "''" } }), token(base), NOW).error,
      'oidc: empty username via CEL expression is not allowed',
    );
    assert.equal(
      reviewToken(celModel({ username: { expression: 'claims.exp' } }), token(base), NOW).error,
      'oidc: error evaluating username claim expression: username claim expression must return a string',
    );
    assert.equal(
      reviewToken(celModel({ username: { expression: 'claims.upn' } }), token(base), NOW).error,
      "oidc: error evaluating username claim expression: expression 'claims.upn' resulted in error: no such key: upn",
    );
  });

  it('says "cannot predict" for what the CEL library cannot evaluate', () => {
    const model = celModel({ username: { expression: 'claims.sub.format([])' } });
    const r = reviewToken(model, token(base), NOW);
    assert.equal(r.authenticated, null);
    assert.match(r.error ?? '', /^cannot predict: /);
    assert.equal(r.username, null);
  });

  it('evaluates claim and user validation rules with their messages', () => {
    const model = celModel(
      { username: { claim: 'sub', prefix: 'system:' } },
      {
        claimValidationRules: [{ expression: "claims.sub != 'blocked'", message: 'blocked user' }],
        userValidationRules: [
          {
            expression: "!user.username.startsWith('system:')",
            message: 'username cannot use reserved system: prefix',
          },
        ],
      },
    );
    assert.equal(
      reviewToken(model, token({ ...base, sub: 'blocked' }), NOW).error,
      "oidc: error evaluating claim validation expression: validation expression 'claims.sub != 'blocked'' failed: blocked user",
    );
    assert.equal(
      reviewToken(model, token(base), NOW).error,
      "oidc: error evaluating user info validation rule: validation expression '!user.username.startsWith('system:')' failed: username cannot use reserved system: prefix",
    );
  });

  it('reads escaped claim names like kubernetes.io', () => {
    const model = celModel({
      username: { expression: "claims.kubernetes__dot__io.namespace + '/' + claims['kubernetes.io'].sa" },
    });
    assert.equal(
      reviewToken(model, token({ ...base, 'kubernetes.io': { namespace: 'ns', sa: 'x' } }), NOW).username,
      'ns/x',
    );
  });
});

describe('decodeTokenInput', () => {
  it('reads a compact JWT, with or without "Bearer "', () => {
    const text = compact(base);
    const input = decodeTokenInput(`  Bearer ${text}\n`);
    assert.deepEqual(input.claims, base);
    assert.deepEqual(input.header, { alg: 'RS256', typ: 'JWT' });
    assert.equal(input.compact, text);
  });

  it('reads a JSON payload', () => {
    const input = decodeTokenInput(JSON.stringify(base));
    assert.deepEqual(input.claims, base);
    assert.equal(input.compact, undefined);
    assert.equal(input.header, undefined);
  });

  it('explains what is wrong with an empty text or broken JSON claims', () => {
    assert.throws(() => decodeTokenInput(''), /empty/);
    assert.throws(() => decodeTokenInput('{"iss": '), /not valid JSON/);
  });

  it('answers "not authenticated" for a bearer token that is no compact JWT at all, as the API server does', () => {
    const signed = compact(base);
    const [h, p, s] = signed.split('.');
    for (const text of [
      'hello',
      `${h}.${p}`,
      `${h}.${p}.${s}.${s}`,
      `${h}.${p}.aXY.${s}.dGFn`,
      '[1,2]',
      'a!.b.c',
      `${h}.${b64('not json')}.${s}`,
      `${h}.${b64([1])}.${s}`,
    ]) {
      const review = reviewToken(pocket(), decodeTokenInput(text), NOW);
      assert.equal(review.authenticated, false, text);
      assert.equal(review.skipped, true, text);
      assert.equal(review.error, 'invalid bearer token', text);
    }
  });

  it("gives go-jose's words for a header or signature the API server cannot parse", () => {
    const [, p, s] = compact(base).split('.');
    const truncatedHeader = Buffer.from('{"alg":"RS256",').toString('base64url');
    assert.equal(
      reviewToken(pocket(), decodeTokenInput(`${truncatedHeader}.${p}.${s}`), NOW).error,
      'oidc: verify token: oidc: malformed jwt: unexpected end of JSON input',
    );
    assert.equal(
      reviewToken(pocket(), decodeTokenInput(`${b64({ alg: 'RS256' })}.${p}.ab!d`), NOW).error,
      'oidc: verify token: oidc: malformed jwt: illegal base64 data at input byte 2',
    );
  });
});

describe("reviewToken with the issuer's keys: the signature, as go-oidc verifies it", () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keys = {
    keys: [
      { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'r1' },
      { ...ec.publicKey.export({ format: 'jwk' }), kid: 'e1' },
    ],
  };
  const signed = (header: Record<string, unknown>, key: KeyObject, options: { ec?: boolean } = {}) => {
    const input = `${b64(header)}.${b64({ ...base, groups: ['kubernetes'] })}`;
    const signature = options.ec
      ? sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' })
      : sign('sha256', Buffer.from(input), key);
    return `${input}.${signature.toString('base64url')}`;
  };
  const BAD = 'oidc: verify token: failed to verify signature: failed to verify id token signature';
  const review = (compactToken: string, algs = ['RS256', 'ES256']) =>
    reviewToken({ ...pocket(), signingAlgs: algs }, decodeTokenInput(compactToken), NOW, { keys });

  it('accepts a token signed by a published key, with or without its kid, and does not say the signature was unverified', () => {
    for (const t of [
      signed({ alg: 'RS256', kid: 'r1' }, rsa.privateKey),
      signed({ alg: 'RS256' }, rsa.privateKey),
      signed({ alg: 'ES256', kid: 'e1' }, ec.privateKey, { ec: true }),
    ]) {
      const r = review(t);
      assert.equal(r.authenticated, true, r.error ?? '');
      assert.ok(!r.notes?.some((n) => n.includes('signature was not verified')));
    }
  });

  it('rejects a token signed by another key, naming a key of another kid, or with the key of another algorithm', () => {
    assert.equal(review(signed({ alg: 'RS256', kid: 'r1' }, other.privateKey)).error, BAD);
    assert.equal(review(signed({ alg: 'RS256', kid: 'e1' }, rsa.privateKey)).error, BAD);
    assert.equal(review(signed({ alg: 'ES256', kid: 'r1' }, rsa.privateKey)).error, BAD);
  });
});
