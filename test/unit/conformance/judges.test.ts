import * as assert from 'node:assert/strict';
import { NOW, Rng, generateConfig, generateToken, makeKeys } from '../../conformance/generate';
import {
  compareConfig,
  compareToken,
  projectConfig,
  projectToken,
  type GoTokenVerdict,
} from '../../conformance/judges';
import { parseJwks } from '../../../src/core/authn';

describe('conformance suite: the comparison can fail', () => {
  const accepted = { authenticated: true, username: 'oidc:jane', groups: ['oidc:kubernetes'], error: null };

  it('agrees only when outcome, username, uid, groups and extra are the same', () => {
    assert.equal(
      compareToken(accepted, { authenticated: true, username: 'oidc:jane', groups: ['oidc:kubernetes'] }).result,
      'agree',
    );
    const cases: [string, GoTokenVerdict][] = [
      ['authenticated', { authenticated: false, error: 'oidc: email not verified' }],
      ['username', { authenticated: true, username: 'jane', groups: ['oidc:kubernetes'] }],
      ['uid', { authenticated: true, username: 'oidc:jane', uid: 'u1', groups: ['oidc:kubernetes'] }],
      ['groups', { authenticated: true, username: 'oidc:jane', groups: ['kubernetes'] }],
      [
        'extra',
        { authenticated: true, username: 'oidc:jane', groups: ['oidc:kubernetes'], extra: { 'example.com/a': ['b'] } },
      ],
    ];
    for (const [field, go] of cases) {
      const c = compareToken(accepted, go);
      assert.equal(c.result, 'disagree', field);
      assert.equal(c.result === 'disagree' && c.field, field);
    }
    const rejected = { authenticated: false, username: null, groups: [], error: 'oidc: email not verified' };
    assert.equal(compareToken(rejected, { authenticated: false, error: 'oidc: email not verified' }).result, 'agree');
    assert.equal(compareToken(rejected, { authenticated: false, error: 'invalid bearer token' }).result, 'disagree');
    assert.equal(
      compareToken({ ...rejected, authenticated: null, error: 'cannot predict: x' }, { authenticated: true }).result,
      'unpredictable',
    );
  });

  it('compares configurations on start/refuse and on the message', () => {
    assert.equal(compareConfig({ valid: true }, { valid: true }).result, 'agree');
    assert.equal(compareConfig({ valid: true }, { valid: false, error: 'x' }).result, 'disagree');
    assert.equal(compareConfig({ valid: false, error: 'a' }, { valid: false, error: 'b' }).result, 'disagree');
    assert.equal(
      compareConfig({ valid: false, error: 'a', messageUnverified: true }, { valid: false, error: 'b' }).result,
      'unpredictable',
    );
  });
});

describe('conformance suite: the generator', () => {
  it('is deterministic for a seed', () => {
    const shapes = (seed: number) => {
      const rng = new Rng(seed);
      return Array.from({ length: 50 }, () => generateConfig(rng, 'validation').shape);
    };
    assert.deepEqual(shapes(42), shapes(42));
    assert.notDeepEqual(shapes(42), shapes(43));
  });

  it('signs tokens the project can verify with the published keys, and others it cannot', () => {
    const keys = makeKeys();
    const jwks = parseJwks(keys.jwks);
    const rng = new Rng(3);
    let verified = 0;
    let badSignature = 0;
    for (let i = 0; i < 300; i++) {
      const config = generateConfig(rng, 'tokens');
      const judged = projectConfig(config.config);
      if (!judged.model || judged.valid !== true) continue;
      const token = generateToken(rng, config.facts, keys);
      const review = projectToken(judged.model, token.token, NOW, jwks);
      if (review.authenticated) verified++;
      if (review.error?.includes('failed to verify signature')) badSignature++;
    }
    assert.ok(verified > 50, `only ${verified} accepted`);
    assert.ok(badSignature > 5, `only ${badSignature} refused for their signature`);
  });
});
