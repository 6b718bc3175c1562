import * as assert from 'node:assert/strict';
import { talosAuthenticator } from '../../../../src/core/talos/authenticator';
import { at, fixture, inline } from '../checks/helpers';

describe('talosAuthenticator', () => {
  it('legacy flags: the model the API server builds, prefixes included', () => {
    const { model, problems } = talosAuthenticator(fixture('legacy/controlplane.yaml'));
    assert.deepEqual(problems, []);
    assert.equal(model!.source, 'flags');
    const jwt = model!.jwt[0];
    assert.equal(jwt.issuer.url, 'https://id.example.com');
    assert.deepEqual(jwt.issuer.audiences, ['a60960a8-c856-43b7-add7-50d83bf7eeab']);
    assert.deepEqual(jwt.claimMappings.username, { claim: 'sub', prefix: 'oidc:' });
    assert.deepEqual(jwt.claimMappings.groups, { claim: 'groups', prefix: 'oidc:' });
    assert.deepEqual(model!.signingAlgs, ['RS256']);
  });

  it('legacy flags without a username prefix: `<issuer>#`', () => {
    const { model } = talosAuthenticator(
      inline(
        'p.yaml',
        'cluster:\n  apiServer:\n    extraArgs:\n      oidc-issuer-url: https://id.example.com\n      oidc-client-id: k8s\n',
      ),
    );
    assert.equal(model!.jwt[0].claimMappings.username.prefix, 'https://id.example.com#');
  });

  it('an unquoted `oidc:` prefix still yields the prefix that was meant', () => {
    const { model } = talosAuthenticator(fixture('misc/unquoted-prefix.yaml'));
    assert.equal(model!.jwt[0].claimMappings.groups!.prefix, 'oidc:');
    assert.equal(model!.jwt[0].claimMappings.username.prefix, 'oidc:');
  });

  it('Talos 1.14 KubeAuthenticationConfig: the model from the configuration body', () => {
    const { model, problems } = talosAuthenticator(fixture('multidoc/controlplane.yaml'));
    assert.deepEqual(problems, []);
    assert.equal(model!.source, 'authentication-config');
    assert.equal(model!.jwt[0].claimMappings.username.prefix, 'oidc:');
  });

  it('a standalone AuthenticationConfiguration: problems mapped to their source ranges', () => {
    const { model, problems } = talosAuthenticator(fixture('misc/auth-config.yaml'));
    assert.equal(model!.jwt[0].issuer.url, 'http://id.example.com');
    const byRange = problems.map((problem) => [at(problem.range), problem.message]);
    assert.ok(
      byRange.some(([range, message]) => range === '4:11-4:32' && /URL scheme must be https/.test(message)),
      JSON.stringify(byRange),
    );
    // `prefix` is missing: the problem lands on the `username` key, its nearest existing ancestor.
    assert.ok(
      byRange.some(([range, message]) => range === '8:6-8:14' && /prefix is required/.test(message)),
      JSON.stringify(byRange),
    );
  });

  it('flag problems land on the flag value (or the key for unknown flags)', () => {
    const text =
      'cluster:\n  apiServer:\n    extraArgs:\n      oidc-issuer-url: https://id.example.com?x=1\n      oidc-client-id: k8s\n      oidc-isuer-url: x\n';
    const { problems } = talosAuthenticator(inline('p.yaml', text));
    const summary = problems.map((problem) => `${at(problem.range)} ${problem.message}`);
    assert.ok(summary.includes('5:6-5:20 unknown flag: --oidc-isuer-url'), summary.join('\n'));
  });

  it('a legacy authentication-config written by machine.files is read from there', () => {
    const text = [
      'machine:',
      '  files:',
      '    - path: /var/lib/auth/config.yaml',
      '      op: create',
      '      permissions: 0o644',
      '      content: |',
      '        apiVersion: apiserver.config.k8s.io/v1beta1',
      '        kind: AuthenticationConfiguration',
      '        jwt:',
      '          - issuer:',
      '              url: https://id.example.com',
      '              audiences: [k8s]',
      '            claimMappings:',
      '              username: {claim: sub, prefix: "oidc:"}',
      'cluster:',
      '  apiServer:',
      '    extraArgs:',
      '      authentication-config: /var/lib/auth/config.yaml',
      '',
    ].join('\n');
    const { model, problems } = talosAuthenticator(inline('p.yaml', text));
    assert.deepEqual(problems, []);
    assert.equal(model!.jwt[0].issuer.url, 'https://id.example.com');
  });

  it('nothing to model in a Deployment', () => {
    const result = talosAuthenticator(fixture('misc/deployment.yaml'));
    assert.equal(result.model, undefined);
    assert.deepEqual(result.problems, []);
  });
});
