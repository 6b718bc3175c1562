import * as assert from 'node:assert/strict';
import { authenticatorFromConfig, authenticatorInitError, validateAuthenticator } from '../../../../src/core/authn';
import type { AuthenticatorModel, JWTAuthenticator } from '../../../../src/core/authn';

const EMAIL_RULE =
  'claims.email_verified must be used in claimMappings.username.expression or claimMappings.extra[*].valueExpression or claimValidationRules[*].expression when claims.email is used in claimMappings.username.expression';

function jwt(overrides: Partial<JWTAuthenticator> = {}): JWTAuthenticator {
  return {
    issuer: { url: 'https://issuer-url', audiences: ['audience'] },
    claimValidationRules: [],
    claimMappings: { username: { claim: 'sub', prefix: '' } },
    userValidationRules: [],
    ...overrides,
  };
}

function model(...authenticators: JWTAuthenticator[]): AuthenticatorModel {
  return { source: 'authentication-config', jwt: authenticators, signingAlgs: ['RS256'] };
}

/** Fatal messages, as oidc.New prints them for one authenticator (no `jwt[0].`). */
function initMessages(a: JWTAuthenticator, disallowedIssuers?: string[]): string[] {
  const m = model(a);
  if (disallowedIssuers) m.disallowedIssuers = disallowedIssuers;
  return validateAuthenticator(m, { fieldPrefix: '' })
    .filter((p) => p.fatal)
    .map((p) => p.message);
}

describe('validateAuthenticator: issuer (upstream validation_test.go messages)', () => {
  const urlCases: [string, string | undefined][] = [
    ['', 'issuer.url: Required value'],
    [
      'https://issuer-url:invalid-port',
      'issuer.url: Invalid value: "https://issuer-url:invalid-port": parse "https://issuer-url:invalid-port": invalid port ":invalid-port" after host',
    ],
    ['http://issuer-url', 'issuer.url: Invalid value: "http://issuer-url": URL scheme must be https'],
    [
      'https://user:pass@issuer-url',
      'issuer.url: Invalid value: "https://user:pass@issuer-url": URL must not contain a username or password',
    ],
    ['https://issuer-url?query', 'issuer.url: Invalid value: "https://issuer-url?query": URL must not contain a query'],
    [
      'https://issuer-url#fragment',
      'issuer.url: Invalid value: "https://issuer-url#fragment": URL must not contain a fragment',
    ],
    ['https://issuer-url', undefined],
    ['https://issuer-url/path/', undefined],
    // derived: url.Parse keeps an empty query/fragment empty, which passes.
    ['https://issuer-url?', undefined],
    ['https://issuer-url#', undefined],
    ['invalid-url', 'issuer.url: Invalid value: "invalid-url": URL scheme must be https'],
  ];
  for (const [url, want] of urlCases) {
    it(`url ${JSON.stringify(url)}`, () => {
      assert.deepEqual(initMessages(jwt({ issuer: { url, audiences: ['audience'] } })), want ? [want] : []);
    });
  }

  it('rejects an issuer that overlaps a service-account issuer, listing them sorted', () => {
    assert.deepEqual(initMessages(jwt(), ['c', 'https://issuer-url', 'a', 'b']), [
      'issuer.url: Invalid value: "https://issuer-url": URL must not overlap with disallowed issuers: [a b c https://issuer-url]',
    ]);
  });

  const discoveryCases: [string, string][] = [
    [
      'https://oidc.oidc-namespace.svc:invalid-port',
      'issuer.discoveryURL: Invalid value: "https://oidc.oidc-namespace.svc:invalid-port": parse "https://oidc.oidc-namespace.svc:invalid-port": invalid port ":invalid-port" after host',
    ],
    [
      'http://oidc.oidc-namespace.svc',
      'issuer.discoveryURL: Invalid value: "http://oidc.oidc-namespace.svc": URL scheme must be https',
    ],
    [
      'https://user:pass@oidc.oidc-namespace.svc',
      'issuer.discoveryURL: Invalid value: "https://user:pass@oidc.oidc-namespace.svc": URL must not contain a username or password',
    ],
    [
      'https://oidc.oidc-namespace.svc?query',
      'issuer.discoveryURL: Invalid value: "https://oidc.oidc-namespace.svc?query": URL must not contain a query',
    ],
    [
      'https://oidc.oidc-namespace.svc#fragment',
      'issuer.discoveryURL: Invalid value: "https://oidc.oidc-namespace.svc#fragment": URL must not contain a fragment',
    ],
    [
      'https://issuer-url',
      'issuer.discoveryURL: Invalid value: "https://issuer-url": discoveryURL must be different from URL',
    ],
    [
      'https://issuer-url/',
      'issuer.discoveryURL: Invalid value: "https://issuer-url/": discoveryURL must be different from URL',
    ],
    [
      'https://issuer-url///',
      'issuer.discoveryURL: Invalid value: "https://issuer-url///": discoveryURL must be different from URL',
    ],
  ];
  for (const [discoveryURL, want] of discoveryCases) {
    it(`discoveryURL ${discoveryURL}`, () => {
      assert.deepEqual(
        initMessages(jwt({ issuer: { url: 'https://issuer-url', discoveryURL, audiences: ['audience'] } })),
        [want],
      );
    });
  }

  it('checks audiences and the match policy', () => {
    const issuer = (audiences: string[], audienceMatchPolicy?: string) =>
      jwt({ issuer: { url: 'https://issuer-url', audiences, audienceMatchPolicy } });
    assert.deepEqual(initMessages(issuer([])), [
      'issuer.audiences: Required value: at least one issuer.audiences is required',
    ]);
    assert.deepEqual(initMessages(issuer([''])), ['issuer.audiences[0]: Required value']);
    assert.deepEqual(initMessages(issuer(['audience'], 'MatchExact')), [
      'issuer.audienceMatchPolicy: Invalid value: "MatchExact": audienceMatchPolicy must be empty or MatchAny for single audience',
    ]);
    assert.deepEqual(initMessages(issuer(['audience', 'audience'], 'MatchAny')), [
      'issuer.audiences[1]: Duplicate value: "audience"',
    ]);
    assert.deepEqual(initMessages(issuer(['audience', 'other'])), [
      'issuer.audienceMatchPolicy: Invalid value: "": audienceMatchPolicy must be MatchAny for multiple audiences',
    ]);
    assert.deepEqual(initMessages(issuer(['audience', 'other'], 'MatchAny')), []);
    assert.deepEqual(initMessages(issuer(['audience'], 'MatchAny')), []);
  });

  it('with the jwt[i] prefix, the required-audiences message names the full path', () => {
    const problems = validateAuthenticator(model(jwt(), jwt({ issuer: { url: 'https://other', audiences: [] } })));
    assert.deepEqual(
      problems.map((p) => [p.path, p.message]),
      [
        [
          ['jwt', 1, 'issuer', 'audiences'],
          'jwt[1].issuer.audiences: Required value: at least one jwt[1].issuer.audiences is required',
        ],
      ],
    );
  });

  it('checks the egress selector type', () => {
    assert.deepEqual(
      initMessages(jwt({ issuer: { url: 'https://issuer-url', audiences: ['a'], egressSelectorType: 'etcd' } })),
      ['issuer.egressSelectorType: Invalid value: "etcd": egress selector must be either controlplane or cluster'],
    );
    assert.deepEqual(
      initMessages(jwt({ issuer: { url: 'https://issuer-url', audiences: ['a'], egressSelectorType: 'cluster' } })),
      [],
    );
  });

  it('rejects a certificate authority without certificates', () => {
    const ca = '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n';
    assert.deepEqual(
      initMessages(jwt({ issuer: { url: 'https://issuer-url', audiences: ['a'], certificateAuthority: ca } })),
      [
        'issuer.certificateAuthority: Invalid value: "<omitted>": data does not contain any valid RSA or ECDSA certificates',
      ],
    );
  });
});

describe('validateAuthenticator: top level', () => {
  it('finds duplicate issuer and discovery URLs', () => {
    const a = jwt({
      issuer: {
        url: 'https://issuer-url',
        discoveryURL: 'https://discovery-url/.well-known/openid-configuration',
        audiences: ['a'],
      },
    });
    assert.deepEqual(
      validateAuthenticator(model(a, a)).map((p) => p.message),
      [
        'jwt[1].issuer.url: Duplicate value: "https://issuer-url"',
        'jwt[1].issuer.discoveryURL: Duplicate value: "https://discovery-url/.well-known/openid-configuration"',
      ],
    );
  });

  it('allows no authenticators and at most 64', () => {
    assert.deepEqual(validateAuthenticator(model()), []);
    const many = Array.from({ length: 65 }, (_, i) =>
      jwt({ issuer: { url: `https://issuer-${i}`, audiences: ['a'] } }),
    );
    assert.deepEqual(
      validateAuthenticator(model(...many)).map((p) => p.message),
      ['jwt: Too many: 65: must have at most 64 items'],
    );
    assert.deepEqual(validateAuthenticator(model(...many.slice(0, 64))), []);
  });

  it('rejects an unsupported signing algorithm after validation, as oidc.New does', () => {
    assert.equal(
      authenticatorInitError({ ...model(jwt()), signingAlgs: ['HS256'] }, 0),
      'oidc: unsupported signing alg: "HS256"',
    );
    assert.equal(authenticatorInitError(model(jwt()), 0), undefined);
    const both = { ...model(jwt({ issuer: { url: 'http://x', audiences: ['a'] } })), signingAlgs: ['HS256'] };
    assert.equal(authenticatorInitError(both, 0), 'issuer.url: Invalid value: "http://x": URL scheme must be https');
  });
});

describe('validateAuthenticator: claim rules, mappings and user rules', () => {
  const rules = (claimValidationRules: JWTAuthenticator['claimValidationRules']) =>
    initMessages(jwt({ claimValidationRules }));

  it('checks claim validation rules', () => {
    assert.deepEqual(rules([{}]), ['claimValidationRules[0]: Required value: claim or expression is required']);
    assert.deepEqual(rules([{ claim: 'claim', expression: 'claims.foo' }]), [
      `claimValidationRules[0]: Invalid value: "claim": claim and expression can't both be set`,
    ]);
    assert.deepEqual(rules([{ claim: 'claim', message: 'message' }]), [
      'claimValidationRules[0].message: Invalid value: "message": may not be specified when claim is set',
    ]);
    assert.deepEqual(rules([{ expression: "claims.foo == 'bar'", requiredValue: 'value' }]), [
      'claimValidationRules[0].requiredValue: Invalid value: "value": may not be specified when expression is set',
    ]);
    assert.deepEqual(rules([{ claim: 'claim' }, { claim: 'claim' }]), [
      'claimValidationRules[1].claim: Duplicate value: "claim"',
    ]);
    assert.deepEqual(rules([{ expression: "claims.foo == 'bar'" }, { expression: "claims.foo == 'bar'" }]), [
      `claimValidationRules[1].expression: Duplicate value: "claims.foo == 'bar'"`,
    ]);
    assert.deepEqual(rules([{ expression: 'foo.bar' }]), [
      `claimValidationRules[0].expression: Invalid value: "foo.bar": compilation failed: ERROR: <input>:1:1: undeclared reference to 'foo' (in container '')\n | foo.bar\n | ^`,
    ]);
    assert.deepEqual(rules([{ expression: 'claims.foo' }]), [
      'claimValidationRules[0].expression: Invalid value: "claims.foo": must evaluate to bool',
    ]);
    assert.deepEqual(
      rules([{ claim: 'hd', requiredValue: 'example.com' }, { expression: "claims.hd == 'example.com'" }]),
      [],
    );
  });

  it('checks username and groups mappings', () => {
    const mappings = (claimMappings: JWTAuthenticator['claimMappings']) => initMessages(jwt({ claimMappings }));
    assert.deepEqual(mappings({ username: { claim: 'claim', expression: 'claims.username' } }), [
      `claimMappings.username: Invalid value: "": claim and expression can't both be set`,
    ]);
    assert.deepEqual(mappings({ username: {} }), [
      'claimMappings.username: Required value: claim or expression is required',
    ]);
    assert.deepEqual(mappings({ username: { expression: 'claims.username', prefix: 'prefix' } }), [
      'claimMappings.username.prefix: Invalid value: "prefix": may not be specified when expression is set',
    ]);
    assert.deepEqual(mappings({ username: { claim: 'claim' } }), [
      'claimMappings.username.prefix: Required value: prefix is required when claim is set. It can be set to an empty string to disable prefixing',
    ]);
    assert.deepEqual(mappings({ username: { expression: 'foo.bar' } }), [
      `claimMappings.username.expression: Invalid value: "foo.bar": compilation failed: ERROR: <input>:1:1: undeclared reference to 'foo' (in container '')\n | foo.bar\n | ^`,
    ]);
    assert.deepEqual(
      mappings({ username: { claim: 'sub', prefix: '' }, groups: { claim: 'claim', expression: 'claims.groups' } }),
      [`claimMappings.groups: Invalid value: "": claim and expression can't both be set`],
    );
    assert.deepEqual(
      mappings({ username: { claim: 'sub', prefix: '' }, groups: { expression: 'claims.groups', prefix: 'prefix' } }),
      ['claimMappings.groups.prefix: Invalid value: "prefix": may not be specified when expression is set'],
    );
    assert.deepEqual(mappings({ username: { claim: 'sub', prefix: '' }, groups: { claim: 'groups' } }), [
      'claimMappings.groups.prefix: Required value: prefix is required when claim is set. It can be set to an empty string to disable prefixing',
    ]);
    assert.deepEqual(
      mappings({ username: { claim: 'sub', prefix: '' }, uid: { claim: 'claim', expression: 'claims.uid' } }),
      [`claimMappings.uid: Invalid value: "": claim and expression can't both be set`],
    );
  });

  it('checks extra keys', () => {
    const extra = (key: string, valueExpression = 'claims.foo') =>
      initMessages(
        jwt({ claimMappings: { username: { claim: 'sub', prefix: '' }, extra: [{ key, valueExpression }] } }),
      );
    assert.deepEqual(extra(''), ['claimMappings.extra[0].key: Required value']);
    assert.deepEqual(extra('example.org/foo', ''), ['claimMappings.extra[0].valueExpression: Required value']);
    assert.deepEqual(extra('foo'), [
      'claimMappings.extra[0].key: Invalid value: "foo": must be a domain-prefixed path (such as "acme.io/foo")',
    ]);
    assert.deepEqual(extra('example.org/Foo'), [
      'claimMappings.extra[0].key: Invalid value: "example.org/Foo": must be lowercase',
    ]);
    for (const key of ['k8s.io/foo', 'example.k8s.io/foo', 'kubernetes.io/foo', 'example.kubernetes.io/foo']) {
      assert.deepEqual(extra(key), [
        `claimMappings.extra[0].key: Invalid value: "${key}": k8s.io, kubernetes.io and their subdomains are reserved for Kubernetes use`,
      ]);
    }
    assert.deepEqual(extra('example.org/foo'), []);
    const dup = initMessages(
      jwt({
        claimMappings: {
          username: { claim: 'sub', prefix: '' },
          extra: [
            { key: 'example.org/foo', valueExpression: 'claims.a' },
            { key: 'example.org/foo', valueExpression: 'claims.b' },
          ],
        },
      }),
    );
    assert.deepEqual(dup, ['claimMappings.extra[1].key: Duplicate value: "example.org/foo"']);
  });

  it('checks user validation rules', () => {
    const users = (userValidationRules: JWTAuthenticator['userValidationRules']) =>
      initMessages(jwt({ userValidationRules }));
    assert.deepEqual(users([{ expression: '' }]), ['userValidationRules[0].expression: Required value']);
    assert.deepEqual(users([{ expression: "user.username == 'foo'" }, { expression: "user.username == 'foo'" }]), [
      `userValidationRules[1].expression: Duplicate value: "user.username == 'foo'"`,
    ]);
    assert.deepEqual(users([{ expression: 'foo.bar' }]), [
      `userValidationRules[0].expression: Invalid value: "foo.bar": compilation failed: ERROR: <input>:1:1: undeclared reference to 'foo' (in container '')\n | foo.bar\n | ^`,
    ]);
    assert.deepEqual(users([{ expression: 'user.username' }]), [
      'userValidationRules[0].expression: Invalid value: "user.username": must evaluate to bool',
    ]);
    assert.deepEqual(
      users([
        { expression: "!user.username.startsWith('system:')" },
        { expression: "user.groups.all(g, !g.startsWith('system:'))" },
      ]),
      [],
    );
  });
});

describe('validateAuthenticator: claims.email needs claims.email_verified (upstream cases)', () => {
  const withUsername = (
    expression: string,
    more: {
      claimValidationRules?: JWTAuthenticator['claimValidationRules'];
      extra?: { key: string; valueExpression: string }[];
    } = {},
  ) =>
    validateAuthenticator(
      model(
        jwt({
          claimMappings: { username: { expression }, extra: more.extra },
          claimValidationRules: more.claimValidationRules ?? [],
        }),
      ),
    )
      .filter((p) => p.fatal)
      .map((p) => p.message);
  const emailError = (expr: string) =>
    `jwt[0].claimMappings.username.expression: Invalid value: ${JSON.stringify(expr)}: ${EMAIL_RULE}`;

  for (const expr of [
    'claims.email',
    "['yay', string(claims.email), 'panda'].join(' ')",
    'claims.?email',
    '{claims.?email: "panda"}',
    '{"fancy": claims.?email}',
    '["a"].map(i, i + claims.email)',
    'has(claims.email) ? claims.email : claims.sub',
    'claims.email.trim()',
  ]) {
    it(`rejects ${expr}`, () => assert.deepEqual(withUsername(expr), [emailError(expr)]));
  }
  it('accepts claims.email_ (a different claim)', () => assert.deepEqual(withUsername('claims.email_'), []));
  it('accepts email_verified in the username expression', () => {
    assert.deepEqual(withUsername('claims.?email_verified.orValue(true) ? claims.email : claims.sub'), []);
    assert.deepEqual(withUsername('claims.?email_verified.orValue(false) ? claims.email : claims.sub'), []);
  });
  it('accepts email_verified in a claim validation rule or an extra expression', () => {
    assert.deepEqual(
      withUsername("['yay', string(claims.email), 'panda'].join(' ')", {
        claimValidationRules: [{ expression: 'string(claims.email_verified) == "panda"' }],
      }),
      [],
    );
    assert.deepEqual(
      withUsername("['yay', string(claims.email), 'panda'].join(' ')", {
        extra: [{ key: 'panda.io/foo', valueExpression: 'claims.?email_verified' }],
      }),
      [],
    );
    assert.deepEqual(
      withUsername('{claims.?email: "panda"}', {
        claimValidationRules: [{ expression: 'claims.?email_verified.orValue(true) == true' }],
      }),
      [],
    );
  });
  it('does not count a rule that fails to compile', () => {
    assert.deepEqual(
      withUsername('{claims.?email: "panda"}', {
        claimValidationRules: [{ expression: 'claims.?email_verified.orValue(true)' }],
      }),
      [
        'jwt[0].claimValidationRules[0].expression: Invalid value: "claims.?email_verified.orValue(true)": must evaluate to bool',
        emailError('{claims.?email: "panda"}'),
      ],
    );
  });
  it('ignores claims.email inside a string literal', () => assert.deepEqual(withUsername('"claims.email"'), []));
});

describe('authenticatorFromConfig', () => {
  const body = (jwtEntries: unknown[], extra: Record<string, unknown> = {}) => ({
    apiVersion: 'apiserver.config.k8s.io/v1',
    kind: 'AuthenticationConfiguration',
    jwt: jwtEntries,
    ...extra,
  });
  const pocketID = {
    issuer: { url: 'https://id.example.com', audiences: ['kubernetes'] },
    claimMappings: { username: { claim: 'email', prefix: '' }, groups: { claim: 'groups', prefix: 'oidc:' } },
  };

  it('builds the model with all nine signing algorithms and no defaults', () => {
    const { model: m, problems } = authenticatorFromConfig(body([pocketID]));
    assert.deepEqual(problems, []);
    assert.ok(m);
    assert.equal(m.source, 'authentication-config');
    assert.deepEqual(m.signingAlgs, ['ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512']);
    assert.deepEqual(m.jwt[0].claimMappings, {
      username: { claim: 'email', prefix: '' },
      groups: { claim: 'groups', prefix: 'oidc:' },
    });
  });

  it('accepts a body without apiVersion and kind, and an empty jwt list', () => {
    assert.deepEqual(authenticatorFromConfig({ jwt: [pocketID] }).problems, []);
    assert.deepEqual(authenticatorFromConfig(body([])).problems, []);
    assert.deepEqual(authenticatorFromConfig({}).model?.jwt, []);
  });

  it('requires a prefix with a claim (no flag-style defaulting)', () => {
    const { problems } = authenticatorFromConfig(
      body([{ issuer: pocketID.issuer, claimMappings: { username: { claim: 'sub' } } }]),
    );
    assert.deepEqual(problems, [
      {
        path: ['jwt', 0, 'claimMappings', 'username', 'prefix'],
        message:
          'jwt[0].claimMappings.username.prefix: Required value: prefix is required when claim is set. It can be set to an empty string to disable prefixing',
        fatal: true,
      },
    ]);
  });

  it('treats prefix: null as unset and prefix: "" as set', () => {
    const unset = authenticatorFromConfig(
      body([{ issuer: pocketID.issuer, claimMappings: { username: { claim: 'sub', prefix: null } } }]),
    );
    assert.equal(unset.problems.length, 1);
    const empty = authenticatorFromConfig(
      body([{ issuer: pocketID.issuer, claimMappings: { username: { claim: 'sub', prefix: '' } } }]),
    );
    assert.deepEqual(empty.problems, []);
  });

  it('reports wrong shapes instead of throwing, without follow-up noise', () => {
    const { problems } = authenticatorFromConfig(
      body([
        {
          issuer: { url: 'https://id.example.com', audiences: 'kubernetes' },
          claimMappings: { username: { claim: 'sub', prefix: '' } },
        },
      ]),
    );
    assert.deepEqual(
      problems.map((p) => p.path),
      [['jwt', 0, 'issuer', 'audiences']],
    );
    assert.match(problems[0].message, /expected a list, got string/);
    for (const bad of [
      null,
      'text',
      42,
      [],
      { jwt: 'x' },
      { jwt: [42] },
      { jwt: [{ issuer: 'x' }] },
      { jwt: [{ claimValidationRules: {} }] },
    ]) {
      const result = authenticatorFromConfig(bad);
      assert.ok(result.problems.length > 0, JSON.stringify(bad));
      assert.ok(result.problems.every((p) => p.fatal));
    }
  });

  it('reports unknown fields as the strict decoder does', () => {
    const { problems } = authenticatorFromConfig(
      body([{ ...pocketID, issuer: { ...pocketID.issuer, clientID: 'x' } }]),
    );
    assert.deepEqual(
      problems.map((p) => p.message),
      ['strict decoding error: unknown field "jwt[0].issuer.clientID"'],
    );
  });

  it('reports a wrong apiVersion or kind', () => {
    assert.equal(
      authenticatorFromConfig({
        apiVersion: 'apiserver.config.k8s.io/v2',
        kind: 'AuthenticationConfiguration',
        jwt: [],
      }).problems.length,
      1,
    );
    assert.deepEqual(
      authenticatorFromConfig({
        apiVersion: 'apiserver.config.k8s.io/v1',
        kind: 'AuthorizationConfiguration',
      }).problems.map((p) => p.path),
      [['kind']],
    );
  });

  it("accepts Talos' default anonymous block and checks conditions need enabled", () => {
    assert.deepEqual(
      authenticatorFromConfig(
        body([], { anonymous: { enabled: true, conditions: [{ path: '/livez' }, { path: '/readyz' }] } }),
      ).problems,
      [],
    );
    const { problems } = authenticatorFromConfig(
      body([], { anonymous: { enabled: false, conditions: [{ path: '/livez' }] } }),
    );
    assert.deepEqual(
      problems.map((p) => [p.path, p.fatal]),
      [[['anonymous', 'conditions'], true]],
    );
    assert.match(problems[0].message, /enabled should be set to true when conditions are defined/);
  });

  it('puts paths on validation problems', () => {
    const { problems } = authenticatorFromConfig(
      body([{ ...pocketID, issuer: { url: 'http://id.example.com', audiences: ['a', 'b'] } }]),
    );
    assert.deepEqual(
      problems.map((p) => [p.path, p.message]),
      [
        [
          ['jwt', 0, 'issuer', 'url'],
          'jwt[0].issuer.url: Invalid value: "http://id.example.com": URL scheme must be https',
        ],
        [
          ['jwt', 0, 'issuer', 'audienceMatchPolicy'],
          'jwt[0].issuer.audienceMatchPolicy: Invalid value: "": audienceMatchPolicy must be MatchAny for multiple audiences',
        ],
      ],
    );
  });
});
