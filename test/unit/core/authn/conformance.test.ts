import * as assert from 'node:assert/strict';
import { reviewToken, validateAuthenticator, authenticatorInitError } from '../../../../src/core/authn';
import type { AuthenticatorModel } from '../../../../src/core/authn';
import { CONFORMANCE_CASES, NOT_PORTED, UPSTREAM_NOW, type ConformanceCase } from './conformance-cases';

function modelFor(c: ConformanceCase): AuthenticatorModel {
  const model: AuthenticatorModel = {
    source: 'authentication-config',
    jwt: [c.authenticator],
    // oidc.New defaults an empty list to RS256.
    signingAlgs: c.signingAlgs ?? ['RS256'],
  };
  if (c.disallowedIssuers) model.disallowedIssuers = c.disallowedIssuers;
  return model;
}

describe('conformance with the API server TestToken table', () => {
  it('ports most of the upstream table', () => {
    assert.ok(CONFORMANCE_CASES.length >= 80, `only ${CONFORMANCE_CASES.length} cases`);
    for (const n of NOT_PORTED) assert.ok(n.reason.length > 0);
  });

  for (const c of CONFORMANCE_CASES) {
    it(`${c.upstream}`, () => {
      const model = modelFor(c);
      const expect = c.expect;
      if ('initError' in expect) {
        assert.equal(authenticatorInitError(model, 0), expect.initError);
        return;
      }
      // A case that starts fine must validate clean, as oidc.New would.
      assert.deepEqual(
        validateAuthenticator(model, { fieldPrefix: '' })
          .filter((p) => p.fatal)
          .map((p) => p.message),
        [],
      );
      assert.ok(c.claims, 'case has claims');
      const header = c.alg ? { alg: c.alg, typ: 'JWT' } : undefined;
      const review = reviewToken(model, { claims: c.claims, header }, UPSTREAM_NOW);
      if ('skip' in expect) {
        assert.equal(review.skipped, true);
        assert.equal(review.authenticated, false);
        assert.equal(review.error, 'invalid bearer token');
      } else if ('error' in expect) {
        assert.equal(review.error, expect.error);
        assert.equal(review.authenticated, false);
      } else if ('unpredictable' in expect) {
        assert.equal(review.authenticated, null);
        assert.match(review.error ?? '', /^cannot predict: /);
        assert.ok(review.error?.includes(expect.unpredictable), review.error ?? '');
      } else {
        assert.equal(review.error, null, `unexpected error: ${review.error}`);
        assert.equal(review.authenticated, true);
        assert.equal(review.username, expect.user.username);
        assert.deepEqual(review.groups, expect.user.groups ?? []);
        assert.equal(review.uid ?? '', expect.user.uid ?? '');
        assert.deepEqual(review.extra ?? {}, expect.user.extra ?? {});
        assert.ok(
          review.notes?.some((n) => /signature was not verified/.test(n)),
          'says the signature was not verified',
        );
      }
    });
  }
});
