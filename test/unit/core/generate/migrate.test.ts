import * as assert from 'node:assert/strict';
import { migrateExtraArgsToKubeAuthenticationConfig, legacyOidcArgs } from '../../../../src/core/generate/migrate';
import { applyTextEdits } from '../../../../src/core/generate/insert';
import { parseYamlFile } from '../../../../src/core/workspace/parse';

const LEGACY = `version: v1alpha1
machine:
  type: controlplane
cluster:
  apiServer:
    image: registry.k8s.io/kube-apiserver:v1.33.1 # keep me
    extraArgs:
      oidc-issuer-url: https://id.example.com
      oidc-client-id: a60960a8-c856-43b7-add7-50d83bf7eeab
      oidc-username-claim: sub
      oidc-groups-claim: groups
      oidc-groups-prefix: "oidc:"
  clusterName: demo
`;

function migrate(text: string) {
  const parsed = parseYamlFile('/tmp/controlplane.yaml', text);
  const result = migrateExtraArgsToKubeAuthenticationConfig(parsed);
  if ('error' in result) throw new Error(`unexpected migration error: ${result.error}`);
  for (const edit of result.fix.edits) assert.equal(edit.file, '/tmp/controlplane.yaml');
  const migrated = applyTextEdits(text, result.fix.edits);
  return { migrated, after: parseYamlFile('/tmp/controlplane.yaml', migrated) };
}

function jwtOf(after: ReturnType<typeof parseYamlFile>) {
  const configuration = after.talos?.kubeAuthenticationConfig?.configuration as
    { jwt?: unknown[]; anonymous?: unknown } | undefined;
  assert.ok(configuration, 'the migrated file has a KubeAuthenticationConfig document');
  return configuration;
}

describe('migrate extraArgs OIDC block to KubeAuthenticationConfig', () => {
  it('moves every flag into one jwt entry, and .cluster.apiServer into a KubeAPIServerConfig (without which Talos ignores the document)', () => {
    const { migrated, after } = migrate(LEGACY);
    assert.deepEqual(legacyOidcArgs(after), []);
    assert.equal(after.yamlProblems.length, 0);
    assert.equal(
      after.talos?.legacyApiServer,
      undefined,
      '.cluster.apiServer is gone (Talos rejects it beside a KubeAPIServerConfig)',
    );
    assert.equal(after.talos?.kubeApiServerConfigs.length, 1);
    assert.match(migrated, /kind: KubeAPIServerConfig\nimage: registry\.k8s\.io\/kube-apiserver:v1\.33\.1\n/);
    assert.doesNotMatch(migrated, /extraArgs/);
    assert.match(migrated, /clusterName: demo/);
    const configuration = jwtOf(after);
    assert.deepEqual(configuration.jwt, [
      {
        issuer: { url: 'https://id.example.com', audiences: ['a60960a8-c856-43b7-add7-50d83bf7eeab'] },
        // No oidc-username-prefix flag means the API server prefixes `<issuer>#`: the file must say so.
        claimMappings: {
          username: { claim: 'sub', prefix: 'https://id.example.com#' },
          groups: { claim: 'groups', prefix: 'oidc:' },
        },
      },
    ]);
    assert.deepEqual(configuration.anonymous, {
      enabled: true,
      conditions: [{ path: '/livez' }, { path: '/readyz' }, { path: '/healthz' }],
    });
  });

  it('keeps other extraArgs and translates "-" as no username prefix', () => {
    const text = LEGACY.replace(
      '      oidc-username-claim: sub\n',
      '      oidc-username-claim: email\n      oidc-username-prefix: "-"\n      feature-gates: Foo=true\n',
    );
    const { migrated, after } = migrate(text);
    assert.match(migrated, /kind: KubeAPIServerConfig\nimage: .*\nextraArgs:\n {2}feature-gates: Foo=true\n/);
    assert.deepEqual(
      after.talos?.extraArgs.map((arg) => arg.name),
      ['feature-gates'],
    );
    const jwt = jwtOf(after).jwt as { claimMappings: { username: unknown } }[];
    assert.deepEqual(jwt[0].claimMappings.username, { claim: 'email', prefix: '' });
  });

  it('in a patch only the flags move (the config it is applied to keeps its own API server settings)', () => {
    const text =
      'cluster:\n  apiServer:\n    extraArgs:\n      oidc-issuer-url: https://id.example.com\n      oidc-client-id: abc\n';
    const { migrated } = migrate(text);
    assert.doesNotMatch(migrated, /apiServer|KubeAPIServerConfig/);
    assert.match(migrated, /kind: KubeAuthenticationConfig/);
  });

  it('refuses on a Talos version without the document kinds, naming where the version came from', () => {
    const result = migrateExtraArgsToKubeAuthenticationConfig(
      parseYamlFile('/tmp/c.yaml', `# talos: v1.13\n${LEGACY}`),
    );
    assert.ok('error' in result);
    assert.match(result.error, /Talos 1\.13 \(from the `# talos:` comment\) has no KubeAuthenticationConfig/);
    const bySetting = migrateExtraArgsToKubeAuthenticationConfig(parseYamlFile('/tmp/c.yaml', LEGACY), {
      talosVersion: 'v1.12',
    });
    assert.ok('error' in bySetting && /Talos 1\.12/.test(bySetting.error));
  });

  it('adds to an existing KubeAuthenticationConfig and keeps its anonymous block', () => {
    const text = `${LEGACY}---
apiVersion: v1alpha1
kind: KubeAuthenticationConfig
configuration:
  apiVersion: apiserver.config.k8s.io/v1beta1
  kind: AuthenticationConfiguration
  anonymous:
    enabled: true
    conditions:
      - path: /livez
`;
    const { after } = migrate(text);
    const configuration = jwtOf(after);
    assert.deepEqual(configuration.anonymous, { enabled: true, conditions: [{ path: '/livez' }] });
    assert.equal(configuration.jwt?.length, 1);
    assert.equal(
      after.source.documents.filter((document) => document.get('kind') === 'KubeAuthenticationConfig').length,
      1,
      'no second KubeAuthenticationConfig document',
    );
  });

  it('carries anonymous-auth: "false" over as anonymous.enabled: false and removes the flag', () => {
    const text = LEGACY.replace('      oidc-issuer-url', '      anonymous-auth: "false"\n      oidc-issuer-url');
    const { migrated, after } = migrate(text);
    assert.doesNotMatch(migrated, /anonymous-auth/);
    assert.deepEqual(jwtOf(after).anonymous, { enabled: false });
  });

  it('keeps CRLF line endings', () => {
    const { migrated } = migrate(LEGACY.replace(/\n/g, '\r\n'));
    assert.doesNotMatch(migrated.replace(/\r\n/g, ''), /\n/);
  });

  it('refuses what it cannot translate, saying why', () => {
    const cases: [string, RegExp][] = [
      [LEGACY.replace('https://id.example.com', '<url of pocket-id>'), /placeholders/],
      [
        LEGACY.replace('      oidc-groups-claim', '      oidc-ca-file: /var/lib/ca.pem\n      oidc-groups-claim'),
        /certificateAuthority/,
      ],
      [LEGACY.replace('oidc-groups-claim', 'oidc-group-claim'), /not an API server flag/],
      [LEGACY.replace(/ {6}oidc-.*\n/g, '      feature-gates: Foo=true\n'), /no OIDC block/],
      [LEGACY.replace('    image: registry.k8s.io/kube-apiserver:v1.33.1 # keep me\n', ''), /needs one/],
      [
        LEGACY.replace(
          '    extraArgs:\n',
          '    extraVolumes:\n      - hostPath: /var/x\n        mountPath: /var/x\n    extraArgs:\n',
        ),
        /no extraVolumes/,
      ],
      [
        LEGACY.replace('    extraArgs:\n', '    extraArgs:\n      authorization-mode: Node,RBAC\n'),
        /KubeAuthorizerConfig/,
      ],
    ];
    for (const [text, message] of cases) {
      const result = migrateExtraArgsToKubeAuthenticationConfig(parseYamlFile('/tmp/c.yaml', text));
      assert.ok('error' in result, `expected a refusal for ${message}`);
      assert.match(result.error, message);
    }
  });
});
