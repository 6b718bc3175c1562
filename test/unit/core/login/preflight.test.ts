import * as assert from 'node:assert/strict';
import { preflight, type PreflightCheck } from '../../../../src/core/login';
import { startTestProvider, type TestProvider } from '../../../support/provider';

function byId(checks: PreflightCheck[], id: PreflightCheck['id']): PreflightCheck {
  const check = checks.find((c) => c.id === id);
  assert.ok(check, `no check ${id}`);
  return check;
}

describe('login preflight against a real provider', () => {
  let op: TestProvider;
  before(async () => {
    op = await startTestProvider();
  });
  after(() => op.stop());

  it('passes every check for a Pocket-ID-like provider and lists the keys', async () => {
    const checks = await preflight({
      issuerUrl: op.issuer,
      caPem: op.caPem,
      signingAlgs: ['RS256'],
      groupsClaim: 'groups',
    });
    assert.deepEqual(
      checks.map((c) => c.id),
      ['issuer-url', 'discovery', 'issuer-match', 'signing-algs', 'jwks', 'groups-scope', 'pkce-s256'],
    );
    assert.deepEqual(
      checks.filter((c) => c.status !== 'passed'),
      [],
    );
    assert.match(byId(checks, 'jwks').message, new RegExp(`kid ${op.signingKey.kid} \\(RS256\\)`));
    assert.match(byId(checks, 'groups-scope').message, /--oidc-extra-scope=groups/);
  });

  it('skips the groups scope check when no groups claim is configured', async () => {
    const checks = await preflight({ issuerUrl: op.issuer, caPem: op.caPem });
    assert.equal(byId(checks, 'groups-scope').status, 'skipped');
    assert.equal(byId(checks, 'signing-algs').status, 'passed', 'RS256 is the default of oidc-signing-algs');
  });

  it('reports the exact mismatch when the configured issuer has a trailing slash the provider lacks', async () => {
    const configured = `${op.issuer}/`;
    const checks = await preflight({ issuerUrl: configured, caPem: op.caPem });
    assert.equal(byId(checks, 'discovery').status, 'passed', 'discovery itself is found either way');
    const match = byId(checks, 'issuer-match');
    assert.equal(match.status, 'failed');
    assert.match(match.message, /configured issuer ends with a slash/);
    assert.ok(match.message.includes(`expected "${configured}" got "${op.issuer}"`), match.message);
    assert.ok(match.fix?.includes(`Use "${op.issuer}" exactly`), match.fix);
  });

  it('fails discovery with the CA fix when the private CA is not given, and skips the rest', async () => {
    const checks = await preflight({ issuerUrl: op.issuer });
    const discovery = byId(checks, 'discovery');
    assert.equal(discovery.status, 'failed');
    assert.match(discovery.message, /not signed by a trusted CA/);
    assert.match(discovery.fix ?? '', /certificate-authority/);
    assert.deepEqual(
      checks.slice(2).map((c) => c.status),
      ['skipped', 'skipped', 'skipped', 'skipped', 'skipped'],
    );
  });

  it("fails an http issuer with the API server's reason", async () => {
    const checks = await preflight({ issuerUrl: op.issuer.replace('https:', 'http:'), caPem: op.caPem });
    const url = byId(checks, 'issuer-url');
    assert.equal(url.status, 'failed');
    assert.match(url.message, /URL scheme must be https/);
  });

  it('fails when the API server accepts only algorithms the provider does not use', async () => {
    const checks = await preflight({ issuerUrl: op.issuer, caPem: op.caPem, signingAlgs: ['ES256'] });
    const algs = byId(checks, 'signing-algs');
    assert.equal(algs.status, 'failed');
    assert.match(algs.message, /signs ID tokens with RS256, but the API server accepts only ES256/);
    assert.match(algs.fix ?? '', /Add RS256 to the API server's oidc-signing-algs/);
    assert.equal(byId(checks, 'jwks').status, 'failed');
  });

  it('says "not a URL" for garbage and skips everything else', async () => {
    const checks = await preflight({ issuerUrl: 'pocket-id.example.com', caPem: op.caPem });
    assert.equal(byId(checks, 'issuer-url').status, 'failed');
    assert.ok(checks.slice(1).every((c) => c.status === 'skipped'));
  });
});

describe('login preflight against broken provider setups', () => {
  it('flags a provider whose issuer has a trailing slash (configured without)', async () => {
    const op = await startTestProvider({ trailingSlash: true });
    try {
      assert.ok(op.issuer.endsWith('/'));
      const configured = op.origin;
      const checks = await preflight({ issuerUrl: configured, caPem: op.caPem });
      const match = byId(checks, 'issuer-match');
      assert.equal(match.status, 'failed');
      assert.match(match.message, /provider's issuer ends with a slash and the configured one does not/);
      assert.ok(match.message.includes(`configured "${configured}", provider "${op.issuer}"`), match.message);
    } finally {
      await op.stop();
    }
  });

  it('fails a provider with only EdDSA keys: the API server never accepts EdDSA', async () => {
    const op = await startTestProvider({ signingAlg: 'EdDSA' });
    try {
      // Even a config file (every RS/ES/PS algorithm allowed) does not help.
      const checks = await preflight({
        issuerUrl: op.issuer,
        caPem: op.caPem,
        signingAlgs: ['RS256', 'ES256', 'PS256', 'EdDSA'],
      });
      const algs = byId(checks, 'signing-algs');
      assert.equal(algs.status, 'failed');
      assert.match(algs.message, /only with EdDSA, which the API server never accepts/);
      assert.match(algs.fix ?? '', /key-rotate --alg RS256/);
      const jwks = byId(checks, 'jwks');
      assert.equal(jwks.status, 'failed');
      assert.match(jwks.message, /\(EdDSA\)/);
    } finally {
      await op.stop();
    }
  });

  it('fails when a groups claim is configured but the provider has no groups scope, and when PKCE is not advertised', async () => {
    const op = await startTestProvider({ scopes: ['profile', 'email'], advertisePkce: false });
    try {
      const checks = await preflight({ issuerUrl: op.issuer, caPem: op.caPem, groupsClaim: 'groups' });
      const groups = byId(checks, 'groups-scope');
      assert.equal(groups.status, 'failed');
      assert.match(groups.message, /does not offer a "groups" scope \(it offers openid, profile, email\)/);
      const pkce = byId(checks, 'pkce-s256');
      assert.equal(pkce.status, 'failed');
      assert.match(pkce.message, /does not advertise PKCE/);
      assert.match(pkce.fix ?? '', /--oidc-pkce-method=S256/);
    } finally {
      await op.stop();
    }
  });
});
