import * as assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createFetch, fetchJwks, verifyIdToken, type JsonWebKeySet } from '../../../../src/core/login';
import { startTestProvider, type TestProvider } from '../../../support/provider';

describe("ID token verification against the provider's JWKS", () => {
  let op: TestProvider;
  let jwks: JsonWebKeySet;
  const now = Math.floor(Date.now() / 1000);
  let claims: Record<string, unknown>;

  before(async () => {
    op = await startTestProvider();
    const fetched = await fetchJwks(`${op.issuer}/jwks`, createFetch({ caPem: op.caPem }));
    assert.ok(fetched.ok);
    jwks = fetched.value;
    claims = {
      iss: op.issuer,
      sub: op.accounts.alice.sub,
      aud: op.clients.public.clientId,
      exp: now + 600,
      iat: now,
      nonce: 'n-1',
    };
  });
  after(() => op.stop());

  const verify = (token: string, nonce = 'n-1') =>
    verifyIdToken(token, { issuer: op.issuer, clientId: op.clients.public.clientId, nonce, jwks });
  const reasonOf = (token: string, nonce?: string) => {
    const result = verify(token, nonce);
    assert.equal(result.ok, false, 'verification should fail');
    return result.ok ? '' : result.reason;
  };

  it('accepts a token the provider signed for this client and nonce', () => {
    const result = verify(op.signIdToken(claims));
    assert.equal(result.ok, true);
    assert.equal(result.ok && result.kid, op.signingKey.kid);
  });

  it("rejects a token signed by another key under the provider's kid", () => {
    const forged = op.signIdToken(claims, { key: op.generateForeignKey() });
    assert.match(
      reasonOf(forged),
      new RegExp(`signature does not verify with the provider's key "${op.signingKey.kid}"`),
    );
  });

  it('rejects a token signed by a key the provider does not publish', () => {
    const forged = op.signIdToken(claims, { key: op.generateForeignKey(), header: { kid: 'elsewhere' } });
    assert.match(reasonOf(forged), /key the provider does not publish \(kid "elsewhere"/);
  });

  it('rejects a token issued to another client', () => {
    assert.match(
      reasonOf(op.signIdToken({ ...claims, aud: 'another-client' })),
      /audience \(aud\) "another-client" does not contain the client ID/,
    );
  });

  it("rejects a token carrying another login's nonce, or none", () => {
    assert.match(reasonOf(op.signIdToken({ ...claims, nonce: 'n-2' })), /nonce differs/);
    const { nonce: _nonce, ...withoutNonce } = claims;
    assert.match(reasonOf(op.signIdToken(withoutNonce)), /has no nonce/);
  });

  it('rejects an expired token and one without exp', () => {
    assert.match(reasonOf(op.signIdToken({ ...claims, exp: now - 60 })), /expired at/);
    const { exp: _exp, ...withoutExp } = claims;
    assert.match(reasonOf(op.signIdToken(withoutExp)), /no expiry/);
  });

  it('rejects another issuer and points out a trailing-slash difference', () => {
    assert.match(reasonOf(op.signIdToken({ ...claims, iss: `${op.issuer}/` })), /differ only in a trailing slash/);
    assert.match(
      reasonOf(op.signIdToken({ ...claims, iss: 'https://other.example' })),
      /issuer \(iss\) is "https:\/\/other.example", not the configured/,
    );
  });

  it('rejects unsigned and HMAC tokens and malformed input', () => {
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
    assert.match(reasonOf(unsigned), /signed with "none"/);
    const hmacInput = `${Buffer.from(JSON.stringify({ alg: 'HS256', kid: op.signingKey.kid })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    const hmac = `${hmacInput}.${createHmac('sha256', 'shared-secret').update(hmacInput).digest('base64url')}`;
    assert.match(reasonOf(hmac), /signed with "HS256"/);
    assert.match(reasonOf('not-a-jwt'), /not a compact JWT/);
    assert.match(reasonOf('a.b.c'), /not base64url-encoded JSON/);
  });
});
