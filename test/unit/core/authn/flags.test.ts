import * as assert from 'node:assert/strict';
import { authenticatorFromFlags } from '../../../../src/core/authn';

type FlagValues = Record<string, string | string[]>;
const flags = (values: FlagValues) => new Map(Object.entries(values).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));
const ISSUER = 'https://id.example.com';

describe('authenticatorFromFlags', () => {
  it('yields nothing when no oidc flag is set', () => {
    const result = authenticatorFromFlags(flags({ 'service-account-issuer': 'https://kubernetes.default.svc' }));
    assert.equal(result.model, undefined);
    assert.deepEqual(result.problems, []);
  });

  it('applies the defaults: username claim sub, prefix <issuer>#, RS256', () => {
    const { model, problems } = authenticatorFromFlags(
      flags({ 'oidc-issuer-url': ISSUER, 'oidc-client-id': 'kubernetes' }),
    );
    assert.deepEqual(problems, []);
    assert.ok(model);
    assert.equal(model.source, 'flags');
    assert.deepEqual(model.signingAlgs, ['RS256']);
    const jwt = model.jwt[0];
    assert.deepEqual(jwt.issuer, { url: ISSUER, audiences: ['kubernetes'] });
    assert.deepEqual(jwt.claimMappings.username, { claim: 'sub', prefix: `${ISSUER}#` });
    assert.equal(jwt.claimMappings.groups, undefined);
  });

  it('gives no username prefix for the email claim, and none for "-"', () => {
    const email = authenticatorFromFlags(
      flags({ 'oidc-issuer-url': ISSUER, 'oidc-client-id': 'k', 'oidc-username-claim': 'email' }),
    );
    assert.deepEqual(email.model?.jwt[0].claimMappings.username, { claim: 'email', prefix: '' });
    const dash = authenticatorFromFlags(
      flags({ 'oidc-issuer-url': ISSUER, 'oidc-client-id': 'k', 'oidc-username-prefix': '-' }),
    );
    assert.deepEqual(dash.model?.jwt[0].claimMappings.username, { claim: 'sub', prefix: '' });
    const custom = authenticatorFromFlags(
      flags({
        'oidc-issuer-url': ISSUER,
        'oidc-client-id': 'k',
        'oidc-username-claim': 'email',
        'oidc-username-prefix': 'oidc:',
      }),
    );
    assert.deepEqual(custom.model?.jwt[0].claimMappings.username, { claim: 'email', prefix: 'oidc:' });
  });

  it('keeps the groups prefix verbatim, "-" included', () => {
    const { model } = authenticatorFromFlags(
      flags({
        'oidc-issuer-url': ISSUER,
        'oidc-client-id': 'k',
        'oidc-groups-claim': 'groups',
        'oidc-groups-prefix': '-',
      }),
    );
    assert.deepEqual(model?.jwt[0].claimMappings.groups, { claim: 'groups', prefix: '-' });
    const none = authenticatorFromFlags(
      flags({ 'oidc-issuer-url': ISSUER, 'oidc-client-id': 'k', 'oidc-groups-claim': 'groups' }),
    );
    assert.deepEqual(none.model?.jwt[0].claimMappings.groups, { claim: 'groups', prefix: '' });
  });

  it('ignores a groups prefix without a groups claim', () => {
    const { model } = authenticatorFromFlags(
      flags({ 'oidc-issuer-url': ISSUER, 'oidc-client-id': 'k', 'oidc-groups-prefix': 'oidc:' }),
    );
    assert.equal(model?.jwt[0].claimMappings.groups, undefined);
  });

  it('turns each oidc-required-claim k=v into a claim rule, splitting at the first =', () => {
    const { model, problems } = authenticatorFromFlags(
      flags({
        'oidc-issuer-url': ISSUER,
        'oidc-client-id': 'k',
        'oidc-required-claim': ['hd=example.com', 'expr=a=b'],
      }),
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(model?.jwt[0].claimValidationRules, [
      { claim: 'hd', requiredValue: 'example.com' },
      { claim: 'expr', requiredValue: 'a=b' },
    ]);
  });

  it('rejects a required claim without =', () => {
    const { problems } = authenticatorFromFlags(
      flags({ 'oidc-issuer-url': ISSUER, 'oidc-client-id': 'k', 'oidc-required-claim': 'hd' }),
    );
    assert.deepEqual(
      problems.map((p) => p.message),
      ['invalid argument "hd" for "--oidc-required-claim" flag: malformed pair, expect string=string'],
    );
  });

  it('splits comma-separated signing algorithms and rejects unsupported ones', () => {
    const ok = authenticatorFromFlags(
      flags({ 'oidc-issuer-url': ISSUER, 'oidc-client-id': 'k', 'oidc-signing-algs': 'RS256,ES256' }),
    );
    assert.deepEqual(ok.model?.signingAlgs, ['RS256', 'ES256']);
    assert.deepEqual(ok.problems, []);
    const bad = authenticatorFromFlags(
      flags({ 'oidc-issuer-url': ISSUER, 'oidc-client-id': 'k', 'oidc-signing-algs': ['RS256', 'EdDSA'] }),
    );
    assert.deepEqual(bad.problems, [
      { path: ['oidc-signing-algs'], message: 'oidc: unsupported signing alg: "EdDSA"', fatal: true },
    ]);
    const hs = authenticatorFromFlags(
      flags({ 'oidc-issuer-url': ISSUER, 'oidc-client-id': 'k', 'oidc-signing-algs': 'HS256' }),
    );
    assert.equal(hs.problems[0].message, 'oidc: unsupported signing alg: "HS256"');
  });

  it('requires issuer and client id together', () => {
    const cases: FlagValues[] = [
      { 'oidc-issuer-url': ISSUER },
      { 'oidc-client-id': 'k' },
      { 'oidc-groups-claim': 'groups' },
      { 'oidc-issuer-url': ISSUER, 'oidc-client-id': '' },
    ];
    for (const values of cases) {
      const { model, problems } = authenticatorFromFlags(flags(values));
      assert.equal(model, undefined);
      assert.equal(problems.length, 1);
      assert.equal(
        problems[0].message,
        'oidc-issuer-url and oidc-client-id must be specified together when any oidc-* flags are set',
      );
      assert.equal(problems[0].fatal, true);
    }
    const onlyIssuer = authenticatorFromFlags(flags({ 'oidc-issuer-url': ISSUER }));
    assert.deepEqual(onlyIssuer.problems[0].path, ['oidc-client-id']);
  });

  it('reports authentication-config with oidc flags as mutually exclusive, on each oidc flag', () => {
    const { model, problems } = authenticatorFromFlags(
      flags({
        'authentication-config': '/etc/kubernetes/authn.yaml',
        'oidc-issuer-url': ISSUER,
        'oidc-client-id': 'k',
      }),
    );
    assert.equal(model, undefined);
    assert.deepEqual(
      problems.map((p) => [p.path[0], p.message]),
      [
        ['oidc-issuer-url', 'authentication-config file and oidc-* flags are mutually exclusive'],
        ['oidc-client-id', 'authentication-config file and oidc-* flags are mutually exclusive'],
      ],
    );
  });

  it('leaves authentication-config alone when no oidc flag is set', () => {
    assert.deepEqual(authenticatorFromFlags(flags({ 'authentication-config': '/etc/kubernetes/authn.yaml' })), {
      problems: [],
    });
  });

  it('refuses unknown oidc-* flags as kube-apiserver does', () => {
    const { problems } = authenticatorFromFlags(
      flags({ 'oidc-issuer-url': ISSUER, 'oidc-client-id': 'k', 'oidc-group-claim': 'groups' }),
    );
    assert.deepEqual(problems, [
      { path: ['oidc-group-claim'], message: 'unknown flag: --oidc-group-claim', fatal: true },
    ]);
  });

  it('accepts flag names written with leading dashes', () => {
    const { model } = authenticatorFromFlags(flags({ '--oidc-issuer-url': ISSUER, '--oidc-client-id': 'k' }));
    assert.equal(model?.jwt[0].issuer.url, ISSUER);
  });

  it('wraps structured validation errors as the API server does, on the right flag', () => {
    const http = authenticatorFromFlags(flags({ 'oidc-issuer-url': 'http://x', 'oidc-client-id': 'k' }));
    assert.deepEqual(http.problems, [
      {
        path: ['oidc-issuer-url'],
        message:
          'invalid authentication configuration: jwt[0].issuer.url: Invalid value: "http://x": URL scheme must be https',
        fatal: true,
      },
    ]);
    const query = authenticatorFromFlags(
      flags({ 'oidc-issuer-url': 'https://user:pw@x/?a=b#f', 'oidc-client-id': 'k' }),
    );
    assert.deepEqual(
      query.problems.map((p) => p.message),
      [
        'invalid authentication configuration: jwt[0].issuer.url: Invalid value: "https://user:pw@x/?a=b#f": URL must not contain a username or password',
        'invalid authentication configuration: jwt[0].issuer.url: Invalid value: "https://user:pw@x/?a=b#f": URL must not contain a query',
        'invalid authentication configuration: jwt[0].issuer.url: Invalid value: "https://user:pw@x/?a=b#f": URL must not contain a fragment',
      ],
    );
  });

  it('rejects an issuer equal to a service-account issuer', () => {
    const { problems } = authenticatorFromFlags(flags({ 'oidc-issuer-url': ISSUER, 'oidc-client-id': 'k' }), {
      serviceAccountIssuers: ['https://kubernetes.default.svc', ISSUER],
    });
    assert.deepEqual(
      problems.map((p) => p.message),
      [
        `invalid authentication configuration: jwt[0].issuer.url: Invalid value: "${ISSUER}": URL must not overlap with disallowed issuers: [${ISSUER} https://kubernetes.default.svc]`,
      ],
    );
  });

  it('uses the last value of a repeated single-valued flag', () => {
    const { model } = authenticatorFromFlags(
      flags({ 'oidc-issuer-url': ['https://a.example', ISSUER], 'oidc-client-id': 'k' }),
    );
    assert.equal(model?.jwt[0].issuer.url, ISSUER);
  });
});
