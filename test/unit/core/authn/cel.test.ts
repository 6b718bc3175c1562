import * as assert from 'node:assert/strict';
import {
  celUnescape,
  compileCel,
  evaluateCel,
  fidelityRisk,
  goFormatDouble,
  rewriteHasMacros,
} from '../../../../src/core/authn/cel';
import { groupsAfterAuthentication, validateAuthenticator } from '../../../../src/core/authn';
import type { JWTAuthenticator } from '../../../../src/core/authn';

const claims = {
  sub: 'u1',
  email: 'Jane@Example.com',
  groups: ['a', 'b'],
  exp: 1257897600,
  small: 5,
  'kubernetes.io': { namespace: 'ns' },
  list: [{ 'uid.io': 'x' }],
};

function value(expression: string, input: unknown = claims, variable: 'claims' | 'user' = 'claims'): unknown {
  const r = evaluateCel(expression, variable, input);
  assert.ok(r.ok, JSON.stringify(r));
  return r.value;
}

describe('CEL evaluation for the authenticator', () => {
  it('supports the Kubernetes features expressions commonly use', () => {
    assert.equal(value("claims.?nickname.orValue('none')"), 'none');
    assert.equal(value('has(claims.email)'), true);
    assert.deepEqual(value("claims.email.split('@')"), ['Jane', 'Example.com']);
    assert.equal(value("claims.sub.startsWith('u')"), true);
    assert.deepEqual(value("dyn(claims.groups).map(g, 'oidc:' + g)"), ['oidc:a', 'oidc:b']);
    assert.deepEqual(value("dyn(claims.groups).filter(g, g != 'a')"), ['b']);
    assert.equal(value("dyn(claims.groups).exists(g, g == 'b')"), true);
    assert.equal(value("claims.groups.join(',')"), 'a,b');
    assert.equal(value("claims.sub.replace('u', 'user-')"), 'user-1');
  });

  it('has the sets extension with cel-go semantics', () => {
    assert.equal(value("sets.contains(claims.groups, ['a'])"), true);
    assert.equal(value("sets.contains(claims.groups, ['c'])"), false);
    assert.equal(value("sets.equivalent(claims.groups, ['b', 'a', 'a'])"), true);
    assert.equal(value("sets.intersects(claims.groups, ['c', 'b'])"), true);
    assert.equal(value('sets.contains([1], [1.0])'), true);
  });

  it('reads escaped names as the API server does', () => {
    assert.equal(celUnescape('kubernetes__dot__io'), 'kubernetes.io');
    assert.equal(celUnescape('a__dash__b__slash__c__underscores__d'), 'a-b/c__d');
    assert.equal(celUnescape('__in__'), 'in');
    assert.equal(celUnescape('plain_name'), undefined);
    assert.equal(celUnescape('bad__thing'), undefined);
    assert.equal(value('claims.kubernetes__dot__io.namespace'), 'ns');
    assert.equal(value('has(claims.list[0].uid__dot__io)'), true);
  });

  it('rewrites has() over an indexed operand, which the library rejects, keeping other has() calls', () => {
    assert.equal(
      rewriteHasMacros('has(claims.a[0].b) && has(claims.c)'),
      '(claims.a[0]).?b.hasValue() && has(claims.c)',
    );
    assert.equal(rewriteHasMacros("has(claims.c) || 'has(x[0].y)' == ''"), undefined);
    assert.equal(value('has(claims.list[0].missing)'), false);
  });

  it('reports a missing key with cel-go wording', () => {
    const r = evaluateCel('claims.hd', 'claims', claims);
    assert.deepEqual(r, { ok: false, unpredictable: false, message: 'no such key: hd' });
    assert.deepEqual(evaluateCel("claims['kubernetes.io'].pod", 'claims', claims), {
      ok: false,
      unpredictable: false,
      message: 'no such key: pod',
    });
  });

  it('does not guess the error text for a field of a non-map', () => {
    for (const expression of ['claims.sub.x', 'claims.nothing.x', 'claims.groups[5]']) {
      const r = evaluateCel(expression, 'claims', { ...claims, nothing: null });
      assert.ok(!r.ok && r.unpredictable, expression);
    }
  });

  it("formats string() of a claim's number as cel-go does (JSON numbers are doubles)", () => {
    assert.equal(value('string(claims.exp)'), '1.2578976e+09');
    assert.equal(value('string(claims.small)'), '5');
    assert.equal(value('"n-" + string(claims.n)', { n: 1.5 }), 'n-1.5');
    assert.equal(value("string('a') + string(claims.sub)"), 'au1');
  });

  it("gives cel-go's runtime errors where they are known to match", () => {
    const error = (expression: string, input: unknown) => {
      const r = evaluateCel(expression, 'claims', input);
      assert.ok(!r.ok && !r.unpredictable, `${expression}: ${JSON.stringify(r)}`);
      return r.message;
    };
    assert.equal(error('claims.v ? "a" : "b"', { v: 'true' }), 'no such overload');
    assert.equal(error('dyn(claims.g).map(x, x)', { g: 'admins' }), "got 'types.String', expected iterable type");
    assert.equal(error('dyn(claims.g).map(x, x)', { g: null }), "got 'types.Null', expected iterable type");
    assert.equal(error('claims.email.split("@")[0]', { email: ['a@b'] }), 'no such overload: split(list, string)');
    assert.equal(error('claims.name.lowerAscii()', { name: 7 }), 'no such overload: lowerAscii(double)');
    assert.equal(error('claims.g + ["x"]', { g: 'admins' }), 'no such overload');
    assert.equal(error('claims.g + ["x"]', { g: null }), 'no such overload: _+_');
    assert.equal(error('claims.g + ["x"]', { g: { a: 1 } }), 'no such overload: _+_');
    assert.equal(error('dyn(claims.g).map(x, "oidc:" + x)', { g: [1] }), 'no such overload');
    assert.equal(error('size(claims.g) > 0', { g: null }), 'no such overload: size');
  });

  it('refuses to predict where the library and cel-go differ', () => {
    for (const [expression, input] of [
      ['claims.name.lowerAscii()', { name: 'ÉLAN' }],
      ['claims.name.trim()', { name: '\ufeffx' }],
      ["claims.name.indexOf('x')", { name: '😀x' }],
      ["claims.name.matches('(?i)^x')", { name: 'X' }],
      ['claims.sub.format([])', claims],
      ['claims.groups.sort()', claims],
    ] as const) {
      const r = evaluateCel(expression, 'claims', input);
      assert.equal(r.ok, false, expression);
      assert.ok(!r.ok && r.unpredictable, expression);
    }
    // The same built-ins are fine where the input cannot hit the difference.
    assert.equal(value('string(claims.small)'), '5');
    assert.equal(value('string(int(claims.exp))'), '1257897600');
    assert.equal(value('claims.email.lowerAscii()'), 'jane@example.com');
    assert.equal(fidelityRisk("'string(' + claims.sub", claims), undefined);
  });

  it("formats doubles as cel-go's string() does", () => {
    const cases: [number, string][] = [
      [1257897600, '1.2578976e+09'],
      [5, '5'],
      [1.5, '1.5'],
      [123456, '123456'],
      [1234567, '1.234567e+06'],
      [0.0001, '0.0001'],
      [0.00001, '1e-05'],
      [-2.5e-7, '-2.5e-07'],
      [1e21, '1e+21'],
    ];
    for (const [n, want] of cases) assert.equal(goFormatDouble(n), want, String(n));
  });

  it('evaluates user rules on the typed user', () => {
    const user = { username: 'oidc:jane', uid: '', groups: ['oidc:a'], extra: { 'example.org/x': ['1'] } };
    assert.equal(value("user.groups.all(g, g.startsWith('oidc:'))", user, 'user'), true);
    assert.equal(value('user.extra.example__dot__org__slash__x.size() == 1', user, 'user'), true);
  });

  it('compiles with cel-go compile error text for undeclared names', () => {
    assert.deepEqual(compileCel('claims.a == other', 'claims'), {
      ok: false,
      detail:
        "compilation failed: ERROR: <input>:1:13: undeclared reference to 'other' (in container '')\n | claims.a == other\n | ............^",
      certain: true,
      exact: true,
    });
    const syntax = compileCel('claims.a = 1', 'claims');
    assert.ok(!syntax.ok && syntax.certain && !syntax.exact);
  });

  it('refuses a comprehension over a claim as cel-go does (claims is map(string, any)), in its words', () => {
    const caret = (expression: string, column: number, type = 'any') =>
      `compilation failed: ERROR: <input>:1:${column}: expression of type '${type}' cannot be range of a comprehension (must be list, map, or dynamic)\n | ${expression}\n | ${'.'.repeat(column - 1)}^`;
    const cases: [string, number, string?][] = [
      ['claims.groups.map(g, "oidc:" + g)', 7],
      ['claims["groups"].map(g, g)', 7],
      ['claims.?groups.orValue([]).map(g, g)', 23],
      ['(claims.groups).map(g,g)', 8],
      ['claims.?groups.map(g, g)', 7, 'optional_type(any)'],
    ];
    for (const [expression, column, type] of cases) {
      assert.deepEqual(
        compileCel(expression, 'claims'),
        { ok: false, detail: caret(expression, column, type), certain: true, exact: true },
        expression,
      );
    }
    // Two ranges: both errors, one per ERROR line block.
    const two = compileCel('claims.groups.map(g, g) + claims.roles.filter(r, true)', 'claims');
    assert.ok(!two.ok && two.detail.split('ERROR: ').length === 3);
    // dyn() or a deeper selection makes the range dynamic, which cel-go accepts.
    for (const expression of [
      'dyn(claims.groups).map(g, "oidc:" + g)',
      'claims.a.b.map(g, g)',
      'user.groups.all(g, g != "")',
    ]) {
      assert.ok(compileCel(expression, expression.startsWith('user') ? 'user' : 'claims').ok, expression);
    }
  });

  it('names an unknown field of user as cel-go does, at its selection', () => {
    assert.deepEqual(compileCel('user.nosuchfield == ""', 'user'), {
      ok: false,
      detail: `compilation failed: ERROR: <input>:1:5: undefined field 'nosuchfield'\n | user.nosuchfield == ""\n | ....^`,
      certain: true,
      exact: true,
    });
  });

  it('does not call valid cel-go syntax invalid where this library lacks it', () => {
    for (const expression of ["[?claims.?x, 'a']", "{?'k': claims.?x}", "claims.groups.all(i, g, g != '')"]) {
      const r = compileCel(expression, 'claims');
      assert.ok(!r.ok && !r.certain, expression);
    }
    assert.deepEqual(compileCel("claims.a == 'x'", 'claims'), { ok: true, outputType: 'bool' });
  });
});

describe('CEL in validation', () => {
  const rule = (expression: string) => {
    const jwt: JWTAuthenticator = {
      issuer: { url: 'https://issuer', audiences: ['a'] },
      claimValidationRules: [{ expression }],
      claimMappings: { username: { claim: 'sub', prefix: '' } },
      userValidationRules: [],
    };
    return validateAuthenticator({ source: 'authentication-config', jwt: [jwt], signingAlgs: ['RS256'] });
  };

  it('does not fail a configuration for a function only cel-go knows, but flags it as unverified', () => {
    const problems = rule("claims.sub.format([]) == 'x'");
    assert.equal(problems.length, 1);
    assert.equal(problems[0].fatal, false);
    assert.equal(problems[0].unverified, true);
  });

  it('reports a CEL syntax error as fatal, in its own words', () => {
    const problems = rule("claims.hd = 'x'");
    assert.equal(problems.length, 1);
    assert.equal(problems[0].fatal, true);
    assert.equal(problems[0].unverified, true);
    assert.match(
      problems[0].message,
      /^jwt\[0\]\.claimValidationRules\[0\]\.expression: Invalid value: "claims\.hd = 'x'": compilation failed: /,
    );
  });

  it('leaves the bool check to cel-go where its type inference differs', () => {
    const problems = rule('claims[?"kubernetes.io"]["node"].orValue(true)');
    assert.equal(problems.length, 1);
    assert.equal(problems[0].fatal, false);
    assert.deepEqual(rule("claims.?hd.orValue('') == 'example.com'"), []);
  });
});

describe('groupsAfterAuthentication', () => {
  it('adds system:authenticated unless suppressed', () => {
    assert.deepEqual(groupsAfterAuthentication('jane', ['oidc:a']), ['oidc:a', 'system:authenticated']);
    assert.deepEqual(groupsAfterAuthentication('jane', ['system:unauthenticated']), ['system:unauthenticated']);
    assert.deepEqual(groupsAfterAuthentication('system:anonymous', []), []);
  });
});
