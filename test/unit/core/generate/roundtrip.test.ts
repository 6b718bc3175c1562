/**
 * Round trip: what the generators write parses as the right kind of file, lints without errors,
 * and gives the expected identity for a sample token, for every provider preset and both layouts.
 */
import * as assert from 'node:assert/strict';
import { reviewToken } from '../../../../src/core/authn/index';
import { checkFiles } from '../../../../src/core/checks/index';
import {
  generateClusterRoleBinding,
  generateKubeAuthenticationConfig,
  generatePatch,
  kubeconfigExec,
  setupWithDefaults,
  type OidcSetup,
} from '../../../../src/core/generate/index';
import { applyTextEdits, insertOidcEdits } from '../../../../src/core/generate/insert';
import { setKubeconfigUser } from '../../../../src/core/kubeconfig/edit';
import { PROVIDER_PRESETS } from '../../../../src/core/providers/presets';
import { talosAuthenticator } from '../../../../src/core/talos/authenticator';
import { parseYamlFile } from '../../../../src/core/workspace/parse';

const NOW = 1_800_000_000;

const CONTROLPLANE = `version: v1alpha1
machine:
  type: controlplane
  token: q6fmw3.7zp1nlhqcc0g4bz3
cluster:
  controlPlane:
    endpoint: https://192.168.1.10:6443
  clusterName: uk-rg-01
`;

const MULTIDOC = `${CONTROLPLANE}---
apiVersion: v1alpha1
kind: KubeAPIServerConfig
image: registry.k8s.io/kube-apiserver:v1.35.0
`;

function sampleClaims(setup: OidcSetup): Record<string, unknown> {
  const claims: Record<string, unknown> = { iss: setup.issuerUrl, aud: setup.clientId, iat: NOW - 60, exp: NOW + 3600 };
  claims[setup.usernameClaim] = setup.usernameClaim === 'email' ? 'jane@example.com' : 'jane';
  if (setup.usernameClaim === 'email') claims.email_verified = true;
  if (setup.groupsClaim) claims[setup.groupsClaim] = [setup.adminGroup, 'other'];
  return claims;
}

function expectedIdentity(setup: OidcSetup): { username: string; groups: string[] } {
  const value = setup.usernameClaim === 'email' ? 'jane@example.com' : 'jane';
  return {
    username: `${setup.usernamePrefix ?? ''}${value}`,
    groups: setup.groupsClaim ? [setup.adminGroup, 'other'].map((group) => `${setup.groupsPrefix ?? ''}${group}`) : [],
  };
}

function lintErrors(files: { name: string; text: string }[]) {
  const parsed = files.map((file) => parseYamlFile(file.name, file.text));
  return { parsed, errors: checkFiles(parsed).filter((finding) => finding.severity === 'error') };
}

describe('generated files round trip', () => {
  for (const preset of PROVIDER_PRESETS) {
    const setup = setupWithDefaults({
      provider: preset.id,
      issuerUrl: preset.issuer.example,
      clientId: 'kubernetes-client',
    });

    for (const layout of ['legacy', 'multi-document'] as const) {
      it(`${preset.id}, ${layout}: the inserted config parses, lints clean with the binding, and yields the expected identity`, () => {
        const base = layout === 'legacy' ? CONTROLPLANE : MULTIDOC;
        const plan = insertOidcEdits({ file: 'controlplane.yaml', text: base }, setup);
        assert.equal(plan.layout, layout);
        const config = applyTextEdits(base, plan.edits);
        const { parsed, errors } = lintErrors([
          { name: 'controlplane.yaml', text: config },
          { name: 'crb.yaml', text: generateClusterRoleBinding(setup) },
        ]);
        assert.deepEqual(errors, []);
        assert.ok(parsed[0].kinds.has('talos-config'));
        assert.ok(parsed[1].kinds.has('rbac'));
        const { model, problems } = talosAuthenticator(parsed[0]);
        assert.ok(model, 'the config yields an authenticator');
        assert.deepEqual(
          problems.filter((problem) => problem.fatal),
          [],
        );
        // The header's alg is checked against the allowed algorithms (Kanidm signs with ES256).
        const review = reviewToken(
          model,
          { claims: sampleClaims(setup), header: { alg: preset.signing.defaultAlg, typ: 'JWT' } },
          NOW,
        );
        assert.equal(review.error, null);
        assert.equal(review.authenticated, true);
        assert.deepEqual({ username: review.username, groups: review.groups }, expectedIdentity(setup));
      });
    }
  }

  it('the legacy and the multi-document patch give the same identity', () => {
    const setup = setupWithDefaults({
      issuerUrl: 'https://id.example.com',
      clientId: 'abc',
      usernamePrefix: undefined,
    });
    const identities = (['legacy', 'multi-document'] as const).map((layout) => {
      const parsed = parseYamlFile(`patch-${layout}.yaml`, generatePatch(setup, layout));
      assert.ok(parsed.kinds.has('talos-patch') || parsed.kinds.has('talos-config'), `${layout} patch is recognised`);
      const { model } = talosAuthenticator(parsed);
      assert.ok(model);
      const review = reviewToken(model, { claims: sampleClaims(setup) }, NOW);
      return { username: review.username, groups: review.groups };
    });
    assert.deepEqual(identities[0], identities[1]);
    assert.equal(identities[0].username, 'https://id.example.com#jane');
  });

  it('a generated KubeAuthenticationConfig rejects a token for another client with the API server text', () => {
    const setup = setupWithDefaults({ issuerUrl: 'https://id.example.com', clientId: 'abc' });
    const parsed = parseYamlFile('kac.yaml', generateKubeAuthenticationConfig(setup));
    const { model } = talosAuthenticator(parsed);
    assert.ok(model);
    const review = reviewToken(model, { claims: { ...sampleClaims(setup), aud: 'someone-else' } }, NOW);
    assert.equal(review.authenticated, false);
    assert.equal(review.error, 'oidc: verify token: oidc: expected audience "abc" got ["someone-else"]');
  });

  it('the generated kubeconfig user matches the config: no kubeconfig finding about issuer, client ID or scopes', () => {
    const setup = setupWithDefaults({ issuerUrl: 'https://id.example.com', clientId: 'abc' });
    const kubeconfig = setKubeconfigUser('', { name: 'pass-key', exec: kubeconfigExec(setup) }).text;
    const config = applyTextEdits(
      CONTROLPLANE,
      insertOidcEdits({ file: 'controlplane.yaml', text: CONTROLPLANE }, setup).edits,
    );
    const parsed = [
      parseYamlFile('controlplane.yaml', config),
      parseYamlFile('kubeconfig', kubeconfig),
      parseYamlFile('crb.yaml', generateClusterRoleBinding(setup)),
    ];
    assert.ok(parsed[1].kinds.has('kubeconfig'));
    const kubeconfigFindings = checkFiles(parsed).filter(
      (finding) => finding.file === 'kubeconfig' && finding.severity !== 'info',
    );
    assert.deepEqual(kubeconfigFindings, []);
  });
});
