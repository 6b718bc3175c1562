import * as assert from 'node:assert/strict';
import { getPreset } from '../../../../src/core/providers/presets';
import { parseYamlFile } from '../../../../src/core/workspace/parse';
import type { ParsedFile } from '../../../../src/core/workspace/types';
import { buildVerdict, decisiveClaimsOf, matchBindings, rawGroups } from '../../../../src/extension/login/viewState';
import { authenticatorOf, reviewAgainst } from '../../../../src/extension/login/review';

const ISSUER = 'https://id.example.com';
const CLIENT = 'a60960a8-c856-43b7-add7-50d83bf7eeab';
const SUB = '643c3fba-370a-4738-92a6-9e7ec96cd99a';
const NOW_MS = Date.UTC(2026, 10, 28, 17, 0, 0);
const NOW_S = NOW_MS / 1000;
const pocketId = getPreset('pocket-id');

function talosConfig(extraArgs: Record<string, string>): ParsedFile {
  const lines = Object.entries(extraArgs).map(([key, value]) => `      ${key}: ${JSON.stringify(value)}`);
  const text = [
    'version: v1alpha1',
    'machine:',
    '  type: controlplane',
    'cluster:',
    '  apiServer:',
    '    extraArgs:',
    ...lines,
    '',
  ].join('\n');
  return parseYamlFile('/repo/controlplane.yaml', text);
}

const guideArgs = {
  'oidc-issuer-url': ISSUER,
  'oidc-client-id': CLIENT,
  'oidc-username-claim': 'sub',
  'oidc-username-prefix': 'oidc:',
  'oidc-groups-claim': 'groups',
  'oidc-groups-prefix': 'oidc:',
};

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: ISSUER,
    aud: CLIENT,
    sub: SUB,
    exp: NOW_S + 3600,
    iat: NOW_S - 10,
    email: 'jane@example.com',
    email_verified: true,
    groups: ['kubernetes'],
    ...overrides,
  };
}

function verdictFor(
  config: ParsedFile,
  tokenClaims: Record<string, unknown>,
  header: Record<string, unknown> = { alg: 'RS256', kid: 'k1' },
) {
  const outcome = reviewAgainst(config, { claims: tokenClaims, header }, NOW_MS);
  assert.ok(outcome, 'the config configures an authenticator');
  return buildVerdict({
    review: outcome.review,
    model: outcome.model,
    claims: tokenClaims,
    header,
    provider: pocketId,
    config: { file: config.file, label: 'controlplane.yaml' },
  });
}

describe('claims view state: the verdict', () => {
  it('accepts the seed guide’s setup with the prefixed username and groups', () => {
    const verdict = verdictFor(talosConfig(guideArgs), claims());
    assert.equal(verdict.status, 'accepted');
    assert.equal(verdict.username, `oidc:${SUB}`);
    assert.deepEqual(verdict.groups, ['oidc:kubernetes']);
    assert.deepEqual(verdict.fixes, []);
    assert.deepEqual(verdict.warnings, []);
  });

  it('rejects an unverified email under the email username claim with the API server’s text and the Pocket-ID fixes', () => {
    const config = talosConfig({ ...guideArgs, 'oidc-username-claim': 'email' });
    const verdict = verdictFor(config, claims({ email_verified: false }));
    assert.equal(verdict.status, 'rejected');
    assert.match(verdict.error ?? '', /oidc: email not verified/);
    assert.match(verdict.fixes[0], /Emails Verified/);
    assert.match(verdict.fixes[0], /per-user flag/);
    assert.match(verdict.fixes[1], /`sub`/);
  });

  it('accepts the same token under sub, since email_verified is checked only for the email claim', () => {
    const verdict = verdictFor(talosConfig(guideArgs), claims({ email_verified: false }));
    assert.equal(verdict.status, 'accepted');
  });

  it('explains a trailing-slash issuer mismatch (the API server skips the token)', () => {
    const config = talosConfig({ ...guideArgs, 'oidc-issuer-url': `${ISSUER}/` });
    const verdict = verdictFor(config, claims());
    assert.equal(verdict.status, 'rejected');
    assert.equal(verdict.skipped, true);
    assert.match(verdict.fixes[0], /trailing slash/);
    assert.match(verdict.fixes[0], new RegExp(`exactly “${ISSUER}”`));
  });

  it('points at the key rotation for an EdDSA token from Pocket-ID', () => {
    const verdict = verdictFor(talosConfig(guideArgs), claims(), { alg: 'EdDSA', kid: 'k1' });
    assert.equal(verdict.status, 'rejected');
    assert.match(verdict.error ?? '', /unsupported algorithm/);
    assert.match(verdict.fixes[0], /key-rotate --alg RS256/);
  });

  it('names the client ID when the audience is wrong', () => {
    const config = talosConfig({ ...guideArgs, 'oidc-client-id': ISSUER });
    const verdict = verdictFor(config, claims());
    assert.equal(verdict.status, 'rejected');
    assert.match(verdict.fixes[0], new RegExp(`issued for “${CLIENT}”`));
  });

  it('warns when the token has no groups claim although one is configured', () => {
    const tokenClaims = claims();
    delete tokenClaims.groups;
    const verdict = verdictFor(talosConfig(guideArgs), tokenClaims);
    assert.equal(verdict.status, 'accepted');
    assert.deepEqual(verdict.groups, []);
    assert.match(verdict.warnings[0], /`groups` scope/);
  });

  it('warns about the issuer# username when no prefix is set', () => {
    const args: Record<string, string> = { ...guideArgs };
    delete args['oidc-username-prefix'];
    const verdict = verdictFor(talosConfig(args), claims());
    assert.equal(verdict.username, `${ISSUER}#${SUB}`);
    assert.ok(verdict.warnings.some((warning) => warning.includes('no username prefix')));
  });

  it('lists the claims the decision reads under the config in use', () => {
    const email = authenticatorOf(
      talosConfig({ ...guideArgs, 'oidc-username-claim': 'email', 'oidc-required-claim': 'hd=example.com' }),
    );
    assert.deepEqual(decisiveClaimsOf(email?.jwt[0]).sort(), [
      'aud',
      'email',
      'email_verified',
      'exp',
      'groups',
      'hd',
      'iss',
      'nbf',
    ]);
    assert.deepEqual(decisiveClaimsOf(undefined).sort(), ['aud', 'exp', 'iss', 'nbf']);
  });

  it('says there is nothing to judge by without a config', () => {
    const verdict = buildVerdict({
      review: undefined,
      model: undefined,
      claims: claims(),
      header: {},
      provider: pocketId,
      config: null,
    });
    assert.equal(verdict.status, 'no-config');
    assert.equal(verdict.fixes.length, 1);
  });
});

describe('claims view state: bindings for the identity', () => {
  const rbac = parseYamlFile(
    '/repo/rbac.yaml',
    [
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: ClusterRoleBinding',
      'metadata:',
      '  name: cluster-admins-from-pass-keys',
      'roleRef:',
      '  apiGroup: rbac.authorization.k8s.io',
      '  kind: ClusterRole',
      '  name: cluster-admin',
      'subjects:',
      '  - apiGroup: rbac.authorization.k8s.io',
      '    kind: Group',
      '    name: oidc:kubernetes',
      '---',
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: RoleBinding',
      'metadata:',
      '  name: devs',
      '  namespace: dev',
      'roleRef:',
      '  apiGroup: rbac.authorization.k8s.io',
      '  kind: ClusterRole',
      '  name: edit',
      'subjects:',
      '  - apiGroup: rbac.authorization.k8s.io',
      '    kind: Group',
      '    name: developers',
      '',
    ].join('\n'),
  );
  const labelOf = (file: string) => file.replace('/repo/', '');

  it('finds the binding that names the prefixed group', () => {
    const view = matchBindings({
      username: `oidc:${SUB}`,
      groups: ['oidc:kubernetes'],
      rawGroups: ['kubernetes'],
      files: [rbac],
      labelOf,
    });
    assert.equal(view.matches.length, 1);
    assert.deepEqual(
      { ...view.matches[0] },
      {
        kind: 'ClusterRoleBinding',
        name: 'cluster-admins-from-pass-keys',
        namespace: undefined,
        role: 'ClusterRole/cluster-admin',
        subject: 'Group oidc:kubernetes',
        file: '/repo/rbac.yaml',
        label: 'rbac.yaml',
        line: 0,
      },
    );
    assert.deepEqual(view.advice, []);
  });

  it('spots a binding that names the group without the prefix the API server adds', () => {
    const view = matchBindings({
      username: `oidc:${SUB}`,
      groups: ['oidc:developers'],
      rawGroups: ['developers'],
      files: [rbac],
      labelOf,
    });
    assert.equal(view.matches.length, 0);
    assert.match(view.advice[0], /RoleBinding “devs” \(rbac\.yaml\) names group “developers”.*“oidc:developers”/);
    assert.match(view.advice[1], /No binding in the workspace names the groups “oidc:developers”/);
  });

  it('warns about a lockout when nothing names the identity', () => {
    const view = matchBindings({ username: `oidc:${SUB}`, groups: [], rawGroups: [], files: [rbac], labelOf });
    assert.equal(view.matches.length, 0);
    assert.match(view.advice[0], new RegExp(`the user “oidc:${SUB}”.*Forbidden`));
  });

  it('matches a user subject by the exact username', () => {
    const userBinding = parseYamlFile(
      '/repo/user.yaml',
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: me\n  namespace: ops\nroleRef:\n  kind: ClusterRole\n  name: view\n  apiGroup: rbac.authorization.k8s.io\nsubjects:\n  - kind: User\n    name: "oidc:jane"\n    apiGroup: rbac.authorization.k8s.io\n',
    );
    const view = matchBindings({ username: 'oidc:jane', groups: [], rawGroups: [], files: [userBinding], labelOf });
    assert.deepEqual(
      view.matches.map((match) => [match.kind, match.namespace, match.subject]),
      [['RoleBinding', 'ops', 'User oidc:jane']],
    );
    assert.match(view.advice[0], /Only namespaced RoleBindings/);
  });

  it('reads the raw groups as the API server does: a string is one group, other types none', () => {
    assert.deepEqual(rawGroups({ groups: 'team' }, 'groups'), ['team']);
    assert.deepEqual(rawGroups({ groups: ['a', 1, 'b'] }, 'groups'), ['a', 'b']);
    assert.deepEqual(rawGroups({ groups: 42 }, 'groups'), []);
    assert.deepEqual(rawGroups({ groups: ['a'] }, undefined), []);
  });
});
