/** What the fuzz test (fuzz.test.ts, seed 13) found, each pinned as its own regression test. */
import * as assert from 'node:assert/strict';
import { parse } from 'yaml';
import { generateExtraArgs, generateKubeconfigUser, setupWithDefaults } from '../../../src/core/generate/index';
import { KubeconfigEditError, setKubeconfigUser } from '../../../src/core/kubeconfig/edit';

const exec = { apiVersion: 'client.authentication.k8s.io/v1', command: 'kubectl', args: ['oidc-login', 'get-token'] };

describe('hardening: fuzz findings', () => {
  it('the kubeconfig edit refuses an alias to no anchor with its own error, not an exception from the YAML library', () => {
    const text =
      'apiVersion: v1\nkind: Config\nusers:\n- name: pass-key\n  user:\n    token: one\n- name: *missing\n  user:\n    token: three\n';
    assert.throws(
      () => setKubeconfigUser(text, { name: 'oidc', exec }),
      (error: Error) => error instanceof KubeconfigEditError && /cannot be read: Unresolved alias/.test(error.message),
    );
  });

  it('the kubeconfig edit refuses an alias bomb instead of expanding it', () => {
    const levels = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) levels.push(`a${i}: &a${i} [${new Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    const text = `apiVersion: v1\nkind: Config\n${levels.join('\n')}\nusers: []\n`;
    assert.throws(() => setKubeconfigUser(text, { name: 'oidc', exec }), KubeconfigEditError);
  });

  it('generated YAML reads back as exactly the values given, even multi-line ones with leading spaces', () => {
    for (const [issuerUrl, clientId] of [
      ['  \n', '\n'],
      [' https://a.example\nhttps://b.example', '  kubernetes\nkube'],
      ['https://id.example.com', 'x\n  y: z'],
    ]) {
      const setup = setupWithDefaults({ issuerUrl, clientId });
      const args = parse(generateExtraArgs(setup)).cluster.apiServer.extraArgs;
      assert.equal(args['oidc-issuer-url'], issuerUrl);
      assert.equal(args['oidc-client-id'], clientId);
      assert.ok(
        JSON.stringify(parse(generateKubeconfigUser(setup, 'oidc'))).includes(
          JSON.stringify(`--oidc-issuer-url=${issuerUrl}`),
        ),
      );
    }
  });
});
