import * as assert from 'node:assert/strict';
import { unquotedColon } from '../../../../src/core/checks/yaml';
import { parseYamlFile } from '../../../../src/core/workspace/parse';
import { WorkspaceIndex } from '../../../../src/core/workspace/workspaceIndex';
import { at, fixture, inline } from '../checks/helpers';

describe('parseYamlFile: classification', () => {
  const cases: [string, string[]][] = [
    ['guide/controlplane.yaml', ['talos-config']],
    ['guide/crb.yaml', ['rbac']],
    ['guide/kubeconfig.yaml', ['kubeconfig']],
    ['legacy/controlplane.yaml', ['talos-config']],
    ['multidoc/controlplane.yaml', ['talos-config']],
    ['multidoc/rbac.yaml', ['rbac']],
    ['patches/oidc.yaml', ['talos-patch']],
    ['patches/auth-1.14.yaml', ['talos-patch']],
    ['misc/worker.yaml', ['talos-config']],
    ['misc/auth-config.yaml', ['authentication-config']],
    ['misc/deployment.yaml', []],
    ['misc/compose.yaml', []],
  ];
  for (const [file, kinds] of cases) {
    it(`${file} is ${kinds.join(', ') || 'none of ours'}`, () => {
      assert.deepEqual([...fixture(file).kinds], kinds);
    });
  }

  it('random YAML with a `cluster:` key is not a Talos patch', () => {
    const parsed = inline('values.yaml', 'cluster:\n  name: prod\n  size: 3\nreplicas: 2\n');
    assert.equal(parsed.kinds.size, 0);
    assert.equal(parsed.talos, undefined);
  });

  it('a Helm-like values file with only a `cluster.name` is not Talos either', () => {
    assert.equal(inline('v.yaml', 'cluster:\n  name: x\n').kinds.size, 0);
  });
});

describe('parseYamlFile: legacy Talos layout', () => {
  it('finds every extraArgs entry with exact key and value ranges', () => {
    const parsed = fixture('guide/controlplane.yaml');
    const talos = parsed.talos!;
    assert.equal(talos.layout, 'legacy');
    assert.equal(talos.isPatch, false);
    assert.equal(talos.machineType?.value, 'controlplane');
    assert.deepEqual(
      talos.extraArgs.map((arg) => [arg.name, arg.values, at(arg.keyRange), at(arg.valueRange)]),
      [
        ['oidc-issuer-url', ['<url of pocket-id>'], '22:12-22:27', '22:29-22:47'],
        ['oidc-client-id', ['<Client ID from Pocket ID>'], '23:12-23:26', '23:28-23:54'],
        ['oidc-username-claim', ['sub'], '24:12-24:31', '24:33-24:36'],
        ['oidc-groups-claim', ['groups'], '25:12-25:29', '25:31-25:37'],
        ['oidc-groups-prefix', ['oidc:'], '26:12-26:30', '26:32-26:39'],
      ],
    );
    assert.ok(talos.extraArgs.every((arg) => arg.origin === 'cluster.apiServer' && arg.documentIndex === 0));
    assert.equal(at(talos.legacyApiServer!.keyRange), '19:4-19:13');
  });

  it('reads list values (Talos 1.13+) with a range per item', () => {
    const text = [
      'cluster:',
      '  apiServer:',
      '    extraArgs:',
      '      oidc-required-claim:',
      '        - hd=example.com',
      '        - "tier=gold"',
      '      oidc-signing-algs: [RS256, ES256]',
      '',
    ].join('\n');
    const args = inline('p.yaml', text).talos!.extraArgs;
    assert.deepEqual(args[0].values, ['hd=example.com', 'tier=gold']);
    assert.deepEqual(args[0].itemRanges.map(at), ['4:10-4:24', '5:10-5:21']);
    assert.deepEqual(args[1].values, ['RS256', 'ES256']);
    assert.deepEqual(args[1].itemRanges.map(at), ['6:26-6:31', '6:33-6:38']);
  });

  it('reads extraVolumes and machine.files', () => {
    const text = [
      'machine:',
      '  type: controlplane',
      '  files:',
      '    - path: /var/lib/oidc/ca.pem',
      '      permissions: 0o644',
      '      op: create',
      '      content: |',
      '        -----BEGIN CERTIFICATE-----',
      'cluster:',
      '  apiServer:',
      '    extraVolumes:',
      '      - hostPath: /var/lib/oidc',
      '        mountPath: /var/lib/oidc',
      '        readonly: true',
      '',
    ].join('\n');
    const talos = inline('p.yaml', text).talos!;
    assert.deepEqual(
      talos.extraVolumes.map((volume) => [volume.hostPath, volume.mountPath, volume.readonly, at(volume.range)]),
      [['/var/lib/oidc', '/var/lib/oidc', true, '11:8-14:0']],
    );
    assert.equal(talos.machineFiles[0].path, '/var/lib/oidc/ca.pem');
    assert.equal(talos.machineFiles[0].content, '-----BEGIN CERTIFICATE-----\n');
  });

  it('keeps what was meant by an unquoted `oidc:` and marks it', () => {
    const parsed = fixture('misc/unquoted-prefix.yaml');
    const prefix = parsed.talos!.extraArgs.find((arg) => arg.name === 'oidc-groups-prefix')!;
    assert.deepEqual(prefix.values, ['oidc:']);
    assert.deepEqual(unquotedColon(parsed, prefix), { meant: 'oidc:', onOneLine: true });
    assert.equal(at(prefix.valueRange), '6:26-6:31');
    // The keys after the mistake are still read as siblings, not swallowed into a nested map.
    assert.deepEqual(
      parsed.talos!.extraArgs.map((arg) => arg.name),
      ['oidc-issuer-url', 'oidc-client-id', 'oidc-groups-claim', 'oidc-groups-prefix', 'oidc-username-prefix'],
    );
    assert.deepEqual(parsed.yamlProblems, []);
  });

  it('reads `oidc:` on the line after the key (a map to YAML) as the value meant', () => {
    const text = 'cluster:\n  apiServer:\n    extraArgs:\n      oidc-groups-prefix:\n        oidc:\n';
    const parsed = inline('p.yaml', text);
    const arg = parsed.talos!.extraArgs[0];
    assert.deepEqual(arg.values, ['oidc:']);
    assert.deepEqual(unquotedColon(parsed, arg), { meant: 'oidc:', onOneLine: false });
    assert.equal(at(arg.valueRange), '4:8-4:13');
  });
});

describe('parseYamlFile: Talos 1.14 multi-document layout', () => {
  it('finds KubeAPIServerConfig extraArgs and the KubeAuthenticationConfig body', () => {
    const parsed = fixture('multidoc/controlplane.yaml');
    const talos = parsed.talos!;
    assert.equal(talos.layout, 'multi-document');
    assert.equal(talos.isPatch, false);
    assert.deepEqual(
      talos.extraArgs.map((arg) => [arg.name, arg.origin, arg.documentIndex, at(arg.keyRange)]),
      [['enable-aggregator-routing', 'KubeAPIServerConfig', 1, '15:2-15:27']],
    );
    assert.equal(talos.kubeApiServerConfigs.length, 1);
    const kac = talos.kubeAuthenticationConfig!;
    assert.equal(kac.documentIndex, 2);
    const body = kac.configuration as { jwt: { issuer: { url: string } }[]; anonymous: { enabled: boolean } };
    assert.equal(body.jwt[0].issuer.url, 'https://id.example.com');
    assert.equal(body.anonymous.enabled, true);
    assert.equal(at(parsed.rangeOf(2, ['configuration', 'jwt', 0, 'issuer', 'url'])!), '30:13-30:35');
    assert.equal(at(parsed.rangeOf(2, ['configuration', 'jwt', 0, 'issuer', 'url'], 'key')!), '30:8-30:11');
  });

  it('a file with only Talos documents and no v1alpha1 document is a patch', () => {
    const talos = fixture('patches/auth-1.14.yaml').talos!;
    assert.equal(talos.isPatch, true);
    assert.equal(talos.layout, 'multi-document');
  });

  it('a mix of .cluster.apiServer and a KubeAPIServerConfig is layout "both"', () => {
    const text =
      'version: v1alpha1\nmachine:\n  type: controlplane\ncluster:\n  apiServer:\n    image: x\n---\napiVersion: v1alpha1\nkind: KubeAPIServerConfig\n';
    assert.equal(inline('c.yaml', text).talos!.layout, 'both');
  });
});

describe('parseYamlFile: standalone AuthenticationConfiguration', () => {
  for (const version of ['v1', 'v1beta1']) {
    it(`apiserver.config.k8s.io/${version}`, () => {
      const parsed = inline(
        'a.yaml',
        `apiVersion: apiserver.config.k8s.io/${version}\nkind: AuthenticationConfiguration\njwt: []\n`,
      );
      assert.deepEqual([...parsed.kinds], ['authentication-config']);
      assert.equal(parsed.authenticationConfig!.apiVersion, `apiserver.config.k8s.io/${version}`);
    });
  }
});

describe('parseYamlFile: RBAC', () => {
  it('finds bindings in multi-document files and inside a List, with subject name ranges', () => {
    const parsed = fixture('multidoc/rbac.yaml');
    assert.deepEqual(
      parsed.bindings.map((binding) => [
        binding.kind,
        binding.name,
        binding.namespace,
        binding.roleRef.name,
        binding.subjects.map((subject) => [subject.kind, subject.name, at(subject.nameRange)]),
      ]),
      [
        [
          'ClusterRoleBinding',
          'oidc-admins',
          undefined,
          'cluster-admin',
          [['Group', 'oidc:kubernetes', '19:14-19:29']],
        ],
        [
          'RoleBinding',
          'viewers',
          'apps',
          'view',
          [['User', 'oidc:643c3fba-370a-4738-92a6-9ergec96cd99', '33:10-33:51']],
        ],
      ],
    );
  });

  it('the seed guide crb.yaml', () => {
    const binding = fixture('guide/crb.yaml').bindings[0];
    assert.equal(binding.name, 'cluster-admins-from-pass-keys');
    assert.deepEqual(
      binding.subjects.map((subject) => [subject.kind, subject.name, at(subject.nameRange)]),
      [['Group', 'oidc:kubernetes', '12:8-12:23']],
    );
  });
});

describe('parseYamlFile: kubeconfig', () => {
  it('parses the guide kubeconfig user with kubelogin flags and their value ranges', () => {
    const parsed = fixture('guide/kubeconfig.yaml');
    assert.equal(parsed.kubeconfigUsers.length, 1); // admin@testing has no exec block
    const user = parsed.kubeconfigUsers[0];
    assert.equal(user.name, 'pass-key');
    assert.equal(user.command, undefined);
    assert.equal(user.apiVersion, 'client.authentication.k8s.io/v1beta1');
    const kubelogin = user.kubelogin!;
    assert.equal(kubelogin.issuerUrl, '<pocket ID url>');
    assert.equal(kubelogin.clientId, '<pocket ID url>');
    assert.deepEqual(kubelogin.extraScopes, ['groups', 'email', 'name']);
    assert.deepEqual(kubelogin.listenAddresses, ['127.0.0.1:9090']);
    const clientId = kubelogin.flags.find((flag) => flag.name === 'oidc-client-id')!;
    assert.equal(at(clientId.valueRange!), '26:25-26:40');
    assert.equal(at(clientId.range), '26:8-26:40');
  });

  it('reads `--flag value`, comma-separated scopes, quoted args and `kubelogin get-token`', () => {
    const text = [
      'apiVersion: v1',
      'kind: Config',
      'users:',
      '- name: oidc',
      '  user:',
      '    exec:',
      '      apiVersion: client.authentication.k8s.io/v1',
      '      command: /usr/local/bin/kubelogin',
      '      args: [get-token, --oidc-issuer-url, "https://id.example.com", "--oidc-client-id=abc", --oidc-extra-scope=groups,email, --skip-open-browser]',
      '',
    ].join('\n');
    const user = inline('k.yaml', text).kubeconfigUsers[0];
    const kubelogin = user.kubelogin!;
    assert.equal(kubelogin.issuerUrl, 'https://id.example.com');
    assert.equal(kubelogin.clientId, 'abc');
    // In flow style `groups,email` are two items; only `groups` belongs to the flag.
    assert.deepEqual(kubelogin.extraScopes, ['groups']);
    const issuer = kubelogin.flags.find((flag) => flag.name === 'oidc-issuer-url')!;
    // `--flag value`: the value is the next argument, quotes included.
    assert.equal(at(issuer.valueRange!), '8:43-8:67');
    const client = kubelogin.flags.find((flag) => flag.name === 'oidc-client-id')!;
    assert.equal(at(client.valueRange!), '8:87-8:90');
    assert.ok(kubelogin.flags.some((flag) => flag.name === 'skip-open-browser' && flag.value === undefined));
  });

  it('an exec user that is not kubelogin has no kubelogin model', () => {
    const text =
      'apiVersion: v1\nkind: Config\nusers:\n- name: aws\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: aws\n      args: [eks, get-token]\n';
    const user = inline('k.yaml', text).kubeconfigUsers[0];
    assert.equal(user.command, 'aws');
    assert.equal(user.kubelogin, undefined);
  });
});

describe('parseYamlFile: bad input', () => {
  it('turns a syntax error into a problem at its place, never a throw', () => {
    const parsed = inline('bad.yaml', 'cluster:\n  apiServer:\n    extraArgs: [a, b\n');
    assert.ok(parsed.yamlProblems.length > 0);
    assert.equal(parsed.yamlProblems[0].range.start.line, 3);
  });

  it('reports an unclosed quote', () => {
    const parsed = inline('bad.yaml', 'cluster:\n  apiServer:\n    extraArgs:\n      oidc-issuer-url: "https://x\n');
    assert.match(parsed.yamlProblems[0].message, /Missing closing "quote/);
    // At the quote that was opened, not at the end of the file.
    assert.equal(at(parsed.yamlProblems[0].range), '3:23-3:33');
  });

  it('handles binary input', () => {
    const parsed = parseYamlFile('x.bin', 'PK\u0003\u0004\u0000\u0000garbage');
    assert.equal(parsed.kinds.size, 0);
    assert.match(parsed.skipped!, /binary/);
  });

  it('handles a huge input without parsing it', () => {
    const parsed = parseYamlFile('big.yaml', 'a: b\n'.repeat(1_200_000));
    assert.equal(parsed.kinds.size, 0);
    assert.match(parsed.skipped!, /too large/);
  });

  it('handles empty text, a comment-only file and a scalar document', () => {
    for (const text of ['', '# nothing\n', 'just a string\n', '---\n---\n', '- a\n- b\n']) {
      const parsed = parseYamlFile('e.yaml', text);
      assert.equal(parsed.kinds.size, 0, text);
    }
  });

  it('survives an alias bomb', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 9; i++)
      lines.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`,
      );
    const parsed = parseYamlFile('bomb.yaml', lines.join('\n') + '\n');
    assert.equal(parsed.kinds.size, 0);
  });
});

describe('rangeOf', () => {
  it('gives key and value ranges by path, and an empty range for a key without value', () => {
    const parsed = inline('p.yaml', 'cluster:\n  apiServer:\n    extraArgs:\n      oidc-username-prefix:\n');
    assert.equal(at(parsed.rangeOf(0, ['cluster', 'apiServer'], 'key')!), '1:2-1:11');
    assert.equal(at(parsed.rangeOf(0, ['cluster', 'apiServer', 'extraArgs', 'oidc-username-prefix'])!), '3:27-3:27');
    assert.equal(parsed.rangeOf(0, ['cluster', 'nope']), undefined);
    assert.equal(parsed.rangeOf(5, ['cluster']), undefined);
  });
});

describe('WorkspaceIndex', () => {
  it('tracks files, bindings, configs and kubeconfig users, with a bindings version', () => {
    const index = new WorkspaceIndex();
    const start = index.bindingsVersion;
    index.update(fixture('guide/controlplane.yaml'));
    assert.equal(index.bindingsVersion, start, 'a config is not RBAC');
    index.update(fixture('guide/crb.yaml'));
    assert.equal(index.bindingsVersion, start + 1);
    index.update(fixture('guide/kubeconfig.yaml'));
    assert.equal(index.files().length, 3);
    assert.equal(index.bindings().length, 1);
    assert.equal(index.talosConfigs().length, 1);
    assert.equal(index.kubeconfigUsers().length, 1);

    // Re-parsing the same bindings (e.g. a comment typed) does not count as a change.
    const crb = fixture('guide/crb.yaml');
    index.update(parseYamlFile(crb.file, crb.text.replace('# filename=crb.yaml', '# a comment')));
    assert.equal(index.bindingsVersion, start + 1);
    index.update(parseYamlFile(crb.file, crb.text.replace('oidc:kubernetes', 'oidc:admins')));
    assert.equal(index.bindingsVersion, start + 2);
    index.remove(crb.file);
    assert.equal(index.bindingsVersion, start + 3);
    assert.equal(index.bindings().length, 0);
    index.remove('/nowhere.yaml');
    assert.equal(index.bindingsVersion, start + 3);
  });
});

describe('WorkspaceIndex.authConfigVersion', () => {
  it('changes when what a config configures changes, not on comments', () => {
    const index = new WorkspaceIndex();
    const config = fixture('legacy/controlplane.yaml');
    index.update(config);
    const version = index.authConfigVersion;
    index.update(parseYamlFile(config.file, config.text + '# a comment\n'));
    assert.equal(index.authConfigVersion, version);
    index.update(
      parseYamlFile(config.file, config.text.replace('oidc-groups-claim: groups', 'oidc-groups-claim: roles')),
    );
    assert.equal(index.authConfigVersion, version + 1);
    index.update(fixture('guide/crb.yaml'));
    assert.equal(index.authConfigVersion, version + 1);
  });
});
