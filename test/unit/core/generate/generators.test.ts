import * as assert from 'node:assert/strict';
import { parse, parseAllDocuments } from 'yaml';
import {
  generateClusterRoleBinding,
  generateExtraArgs,
  generateKubeAuthenticationConfig,
  generateKubeconfigUser,
  generatePatch,
  kubeconfigExec,
  kubeloginSetupCommand,
  setupWithDefaults,
  TALOS_DEFAULT_ANONYMOUS,
  type OidcSetup,
} from '../../../../src/core/generate/index';

const CLIENT_ID = 'a60960a8-c856-43b7-add7-50d83bf7eeab';
const pocket = (extra: Partial<OidcSetup> = {}) =>
  setupWithDefaults({ issuerUrl: 'https://id.example.com', clientId: CLIENT_ID, ...extra });

describe('generators', () => {
  it('fill defaults from the Pocket-ID preset', () => {
    const setup = pocket();
    assert.equal(setup.provider, 'pocket-id');
    assert.equal(setup.usernameClaim, 'sub');
    assert.equal(setup.groupsClaim, 'groups');
    assert.equal(setup.groupsPrefix, 'oidc:');
    assert.equal(setup.usernamePrefix, 'oidc:');
    assert.deepEqual(setup.extraScopes, ['groups']);
    assert.equal(setup.adminGroup, 'kubernetes');
  });

  it('extraArgs: the oidc flags with both prefixes double-quoted', () => {
    const text = generateExtraArgs(pocket());
    assert.match(text, /oidc-groups-prefix: "oidc:"/);
    assert.match(text, /oidc-username-prefix: "oidc:"/);
    assert.deepEqual(parse(text).cluster.apiServer.extraArgs, {
      'oidc-issuer-url': 'https://id.example.com',
      'oidc-client-id': CLIENT_ID,
      'oidc-username-claim': 'sub',
      'oidc-username-prefix': 'oidc:',
      'oidc-groups-claim': 'groups',
      'oidc-groups-prefix': 'oidc:',
    });
  });

  it('extraArgs: "no prefix" is written as "-", signing algorithms only when not RS256, several required claims as one comma-separated value (Talos 1.12 and 1.13 refuse a list)', () => {
    const args = parse(
      generateExtraArgs(
        pocket({
          usernamePrefix: '',
          signingAlgs: ['ES256'],
          requiredClaims: { hd: 'example.com', tier: 'gold' },
          caFile: '/var/lib/oidc/ca.pem',
        }),
      ),
    ).cluster.apiServer.extraArgs;
    assert.equal(args['oidc-username-prefix'], '-');
    assert.equal(args['oidc-signing-algs'], 'ES256');
    assert.equal(args['oidc-required-claim'], 'hd=example.com,tier=gold');
    const withComma = parse(generateExtraArgs(pocket({ requiredClaims: { hd: 'a,b', tier: 'gold' } }))).cluster
      .apiServer.extraArgs;
    assert.deepEqual(
      withComma['oidc-required-claim'],
      ['hd=a,b', 'tier=gold'],
      'a value holding a comma needs the list form',
    );
    assert.equal(args['oidc-ca-file'], '/var/lib/oidc/ca.pem');
    assert.equal(
      parse(generateExtraArgs(pocket({ signingAlgs: ['RS256'] }))).cluster.apiServer.extraArgs['oidc-signing-algs'],
      undefined,
    );
  });

  it('user values that look like YAML stay strings (no string concatenation)', () => {
    const tricky = 'a: b # not a comment\n- x';
    const args = parse(generateExtraArgs(pocket({ clientId: tricky, groupsPrefix: "it's: " }))).cluster.apiServer
      .extraArgs;
    assert.equal(args['oidc-client-id'], tricky);
    assert.equal(args['oidc-groups-prefix'], "it's: ");
  });

  it('KubeAuthenticationConfig: Talos 1.14 document with the default anonymous block and explicit prefixes', () => {
    const doc = parse(generateKubeAuthenticationConfig(pocket({ usernamePrefix: undefined })));
    assert.equal(doc.apiVersion, 'v1alpha1');
    assert.equal(doc.kind, 'KubeAuthenticationConfig');
    assert.equal(doc.configuration.apiVersion, 'apiserver.config.k8s.io/v1beta1');
    assert.equal(doc.configuration.kind, 'AuthenticationConfiguration');
    assert.deepEqual(doc.configuration.anonymous, TALOS_DEFAULT_ANONYMOUS);
    assert.deepEqual(doc.configuration.jwt, [
      {
        issuer: { url: 'https://id.example.com', audiences: [CLIENT_ID] },
        // Unset username prefix with a non-email claim: the flags' `<issuer>#` default, spelled out.
        claimMappings: {
          username: { claim: 'sub', prefix: 'https://id.example.com#' },
          groups: { claim: 'groups', prefix: 'oidc:' },
        },
      },
    ]);
  });

  it('KubeAuthenticationConfig: email claim without prefix means no prefix; CA PEM and required claims carried over', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
    const doc = parse(
      generateKubeAuthenticationConfig(
        pocket({ usernameClaim: 'email', usernamePrefix: undefined, caPem: pem, requiredClaims: { hd: 'x' } }),
      ),
    );
    const jwt = doc.configuration.jwt[0];
    assert.deepEqual(jwt.claimMappings.username, { claim: 'email', prefix: '' });
    assert.equal(jwt.issuer.certificateAuthority, `${pem}\n`);
    assert.deepEqual(jwt.claimValidationRules, [{ claim: 'hd', requiredValue: 'x' }]);
  });

  it('patches: legacy is a cluster.apiServer.extraArgs merge patch, multi-document a KubeAuthenticationConfig', () => {
    const legacy = parse(generatePatch(pocket(), 'legacy'));
    assert.deepEqual(Object.keys(legacy), ['cluster']);
    assert.equal(legacy.cluster.apiServer.extraArgs['oidc-client-id'], CLIENT_ID);
    const multi = generatePatch(pocket(), 'multi-document');
    assert.match(multi, /talosctl patch machineconfig/);
    const doc = parse(multi);
    assert.equal(doc.kind, 'KubeAuthenticationConfig');
    assert.deepEqual(doc.configuration.anonymous, TALOS_DEFAULT_ANONYMOUS);
  });

  it('ClusterRoleBinding: the prefixed group, cluster-admin with a warning, a custom role without it', () => {
    const text = generateClusterRoleBinding(pocket());
    assert.match(text, /WARNING: cluster-admin/);
    const crb = parse(text);
    assert.equal(crb.kind, 'ClusterRoleBinding');
    assert.deepEqual(crb.roleRef, {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'cluster-admin',
    });
    assert.deepEqual(crb.subjects, [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'oidc:kubernetes' }]);
    assert.match(crb.metadata.name, /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
    const view = generateClusterRoleBinding(pocket({ groupsPrefix: '' }), { role: 'view', name: 'viewers' });
    assert.doesNotMatch(view, /WARNING/);
    assert.equal(parse(view).subjects[0].name, 'kubernetes');
    assert.equal(parse(view).metadata.name, 'viewers');
  });

  it('ClusterRoleBinding for a provider without a groups claim says that no token carries the group', () => {
    const google = setupWithDefaults({
      provider: 'google',
      issuerUrl: 'https://accounts.google.com',
      clientId: 'x.apps.googleusercontent.com',
    });
    assert.equal(google.groupsClaim, undefined);
    assert.match(generateClusterRoleBinding(google), /no groups claim is configured \(Google sends none/);
    assert.doesNotMatch(generateClusterRoleBinding(pocket()), /no groups claim/);
  });

  it('kubeconfig exec user: v1, kubectl oidc-login get-token, the client ID (not the issuer), interactiveMode Never', () => {
    const exec = kubeconfigExec(pocket());
    assert.deepEqual(exec, {
      apiVersion: 'client.authentication.k8s.io/v1',
      command: 'kubectl',
      args: [
        'oidc-login',
        'get-token',
        '--oidc-issuer-url=https://id.example.com',
        `--oidc-client-id=${CLIENT_ID}`,
        '--oidc-extra-scope=groups',
      ],
      interactiveMode: 'Never',
    });
    const users = parse(generateKubeconfigUser(pocket(), 'pass-key')).users;
    assert.equal(users[0].name, 'pass-key');
    assert.deepEqual(users[0].user.exec, exec);
  });

  it('kubeconfig exec user: listen address, CA and PKCE flags only when they differ from kubelogin defaults', () => {
    assert.ok(
      !kubeconfigExec(pocket({ listenAddresses: ['127.0.0.1:8000', '127.0.0.1:18000'], pkceMethod: 'auto' })).args.some(
        (a) => /listen|pkce/.test(a),
      ),
    );
    const args = kubeconfigExec(
      pocket({ listenAddresses: ['127.0.0.1:9090'], clientCaFile: '/home/me/ca.pem', pkceMethod: 'S256' }),
    ).args;
    assert.ok(args.includes('--listen-address=127.0.0.1:9090'));
    assert.ok(args.includes('--certificate-authority=/home/me/ca.pem'));
    assert.ok(args.includes('--oidc-pkce-method=S256'));
    assert.ok(!args.some((a) => a.startsWith('--oidc-client-secret')), 'no secret unless asked');
  });

  it('kubectl oidc-login setup command line, shell-quoted', () => {
    assert.equal(
      kubeloginSetupCommand(pocket()),
      `kubectl oidc-login setup --oidc-issuer-url=https://id.example.com --oidc-client-id=${CLIENT_ID} --oidc-extra-scope=groups`,
    );
    assert.match(kubeloginSetupCommand(pocket({ clientId: "it's mine" })), /'--oidc-client-id=it'\\''s mine'/);
  });

  it('every generated text is a single valid YAML document', () => {
    const setup = pocket();
    for (const text of [
      generateExtraArgs(setup),
      generateKubeAuthenticationConfig(setup),
      generatePatch(setup, 'legacy'),
      generateClusterRoleBinding(setup),
      generateKubeconfigUser(setup, 'x'),
    ]) {
      const docs = parseAllDocuments(text);
      assert.ok(Array.isArray(docs) && docs.length === 1 && docs[0].errors.length === 0);
    }
  });
});

describe('generatePatch legacy with a CA file', () => {
  it('mounts the directory into the API server and writes the file with machine.files (what TOIDC112 would ask for)', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n';
    const patch = parse(
      generatePatch(
        setupWithDefaults({
          issuerUrl: 'https://id.example.com',
          clientId: 'x',
          caFile: '/var/lib/oidc/ca.pem',
          caPem: pem,
        }),
        'legacy',
      ),
    );
    assert.deepEqual(patch.cluster.apiServer.extraVolumes, [
      { hostPath: '/var/lib/oidc', mountPath: '/var/lib/oidc', readonly: true },
    ]);
    assert.deepEqual(patch.machine.files, [
      { content: pem, permissions: 0o644, path: '/var/lib/oidc/ca.pem', op: 'create' },
    ]);
    const withoutPem = generatePatch(
      setupWithDefaults({ issuerUrl: 'https://id.example.com', clientId: 'x', caFile: '/var/lib/oidc/ca.pem' }),
      'legacy',
    );
    assert.equal(parse(withoutPem).machine, undefined);
    assert.match(withoutPem, /# Write \/var\/lib\/oidc\/ca\.pem on each control-plane node/);
  });
});
