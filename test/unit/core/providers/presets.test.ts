import * as assert from 'node:assert/strict';
import {
  getPreset,
  issuerFromPattern,
  PROVIDER_PRESETS,
  DEFAULT_PROVIDER_ID,
} from '../../../../src/core/providers/presets';
import { ALL_SIGNING_ALGS } from '../../../../src/core/authn/types';
import { getProviderGuide } from '../../../../src/core/providers/guides';

describe('provider presets', () => {
  it('cover the ten providers the issue names, Pocket-ID first and default', () => {
    assert.deepEqual(
      PROVIDER_PRESETS.map((preset) => preset.id),
      ['pocket-id', 'authentik', 'keycloak', 'dex', 'authelia', 'zitadel', 'kanidm', 'gitlab', 'google', 'entra-id'],
    );
    assert.equal(DEFAULT_PROVIDER_ID, 'pocket-id');
  });

  it('give every issuer example as https with no query or fragment, matching the pattern shape', () => {
    for (const preset of PROVIDER_PRESETS) {
      const url = new URL(preset.issuer.example);
      assert.equal(url.protocol, 'https:', preset.id);
      assert.equal(url.search + url.hash, '', preset.id);
      assert.equal(
        preset.issuer.example.endsWith('/'),
        preset.issuer.trailingSlash,
        `${preset.id}: trailing slash as documented`,
      );
      for (const name of preset.issuer.pattern.match(/<([^<>]+)>/g) ?? []) {
        assert.ok(preset.issuer.placeholders[name.slice(1, -1)], `${preset.id}: placeholder ${name} explained`);
      }
    }
  });

  it('only name signing algorithms the API server accepts, and never EdDSA', () => {
    for (const preset of PROVIDER_PRESETS) {
      for (const alg of preset.signing.signingAlgs ?? [])
        assert.ok((ALL_SIGNING_ALGS as readonly string[]).includes(alg), `${preset.id}: ${alg}`);
      assert.notEqual(preset.signing.defaultAlg, 'EdDSA');
    }
  });

  it('request the groups scope whenever a groups scope exists', () => {
    for (const preset of PROVIDER_PRESETS) {
      if (preset.groupsScope) assert.ok(preset.scopes.includes(preset.groupsScope), preset.id);
      if (preset.claims.groupsFormat === 'none') assert.equal(preset.claims.groups, undefined, preset.id);
    }
  });

  it('every preset has a setup guide: where to register the callback (or that any loopback port works), at least one hint, and its sources', () => {
    for (const preset of PROVIDER_PRESETS) {
      const guide = getProviderGuide(preset.id);
      // Google's desktop clients take any loopback port without registering one.
      assert.ok(
        guide.callback.where && (guide.callback.register.length > 0 || guide.callback.anyLoopbackPort),
        preset.id,
      );
      assert.ok(guide.hints.length > 0 && guide.sources.length > 0, preset.id);
    }
  });

  it('Pocket-ID: any loopback port with http://localhost, the groups scope, and the known traps', () => {
    const pocket = getPreset('pocket-id');
    const guide = getProviderGuide('pocket-id');
    assert.deepEqual(guide.callback.register, ['http://localhost']);
    assert.equal(guide.callback.anyLoopbackPort, true);
    assert.equal(pocket.groupsScope, 'groups');
    assert.equal(pocket.claims.groups, 'groups');
    const hints = guide.hints.join(' ') + pocket.emailVerifiedNote + (pocket.signing.note ?? '');
    assert.match(hints, /Emails Verified/);
    assert.match(hints, /EdDSA/);
    assert.equal(pocket.emailVerifiedReliable, false);
  });

  it('fills placeholders of an issuer pattern and leaves unknown ones visible', () => {
    assert.equal(
      issuerFromPattern(getPreset('keycloak'), { 'keycloak-host': 'kc.example.com', realm: 'lab' }),
      'https://kc.example.com/realms/lab',
    );
    assert.equal(issuerFromPattern(getPreset('keycloak'), { realm: 'lab' }), 'https://<keycloak-host>/realms/lab');
  });
});
