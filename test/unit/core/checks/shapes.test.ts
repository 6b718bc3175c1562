/**
 * The shapes real repositories use (test/fixtures/configs/shapes): talhelper inline and `@file`
 * patches, `${VAR}` values, JSON patches, several clusters in one repository, bindings under
 * archive/, a provider mapping in the repository, machine.files written to a mounted host path.
 */
import * as assert from 'node:assert/strict';
import { checkFiles, type Finding } from '../../../../src/core/checks';
import { inferProvider } from '../../../../src/core/providers/infer';
import { parseYamlFile } from '../../../../src/core/workspace/parse';
import { applyFix, findingsOf, fixture, inline, only, summary } from './helpers';

function lint(paths: string[]): Record<string, string[]> {
  const files = paths.map((path) => fixture(`shapes/${path}`));
  const findings = checkFiles(files);
  return Object.fromEntries(
    files.map((file, index) => [paths[index], summary(findings.filter((finding) => finding.file === file.file))]),
  );
}

function findingsIn(paths: string[], target: string): Finding[] {
  const files = paths.map((path) => fixture(`shapes/${path}`));
  return checkFiles(files).filter((finding) => finding.file.endsWith(`shapes/${target}`));
}

const TALHELPER = [
  'talhelper/talos/talconfig.yaml',
  'talhelper/talos/patches/oidc.yaml',
  'talhelper/talos/patches/worker-only.yaml',
  'talhelper/talos/talenv.sops.yaml',
  'talhelper/kubernetes/rbac.yaml',
];

describe('talhelper talconfig.yaml', () => {
  it('checks inline patches at their place in the block string, workers apart, and @file patches by their role', () => {
    assert.deepEqual(lint(TALHELPER), {
      'talhelper/talos/talconfig.yaml': [
        // controlPlane.patches[1]: the http issuer (the API server refuses it) and its identity
        'TOIDC109@25:12-25:27',
        'TOIDC301@25:12-25:27',
        'TOIDC103@25:29-25:50',
        'TOIDC116@28:32-28:35',
        // worker.patches[0]: OIDC flags that reach workers only
        'TOIDC113@35:12-35:27',
      ],
      // A controlPlane @file patch with a ${VAR} issuer: not checkable, never an error.
      'talhelper/talos/patches/oidc.yaml': ['TOIDC004@3:23-3:78'],
      // Named only by a worker node's patches: checked as a worker config.
      'talhelper/talos/patches/worker-only.yaml': ['TOIDC113@3:6-3:21'],
      'talhelper/talos/talenv.sops.yaml': [],
      'talhelper/kubernetes/rbac.yaml': [],
    });
  });

  it('the fix for the http issuer edits the block string in place', () => {
    const parsed = fixture('shapes/talhelper/talos/talconfig.yaml');
    const finding = only(
      findingsOf(
        parsed,
        TALHELPER.slice(1).map((path) => fixture(`shapes/${path}`)),
      ),
      'TOIDC103',
    )[0];
    const fixed = applyFix(parsed, finding.fixes![0]);
    assert.match(fixed, /\n {12}oidc-issuer-url: https:\/\/id\.example\.com\n/);
    assert.equal(fixed.length, parsed.text.length + 1);
  });

  it('the fix for the `-` groups prefix removes its line from the block string, keeping the block valid', () => {
    const parsed = fixture('shapes/talhelper/talos/talconfig.yaml');
    const finding = only(findingsOf(parsed), 'TOIDC116')[0];
    const fixed = applyFix(parsed, finding.fixes![0]);
    assert.doesNotMatch(fixed, /oidc-groups-prefix/);
    assert.match(fixed, /oidc-groups-claim: groups\nworker:\n/);
    const again = parseYamlFile(parsed.file, fixed);
    assert.deepEqual(again.yamlProblems, []);
    assert.equal(
      again.embedded!.find((entry) => entry.label === 'controlPlane.patches[1]')!.parsed.talos!.extraArgs.length,
      3,
    );
  });

  it('flags split over two control-plane patches are merged as talhelper does; a worker patch is not merged in', () => {
    const split = (second: string) =>
      [
        'clusterName: c',
        'nodes: []',
        'controlPlane:',
        '  patches:',
        '    - |-',
        '      cluster:',
        '        apiServer:',
        '          extraArgs:',
        '            oidc-issuer-url: https://id.example.com',
        second,
        '      cluster:',
        '        apiServer:',
        '          extraArgs:',
        '            oidc-client-id: kubectl',
        '',
      ].join('\n');
    const merged = findingsOf(inline('/repo/talconfig.yaml', split('    - |-')));
    // No TOIDC102; the merged view switches OIDC on: no username prefix (109) and no binding (301), at the issuer in the first patch.
    assert.deepEqual(summary(merged), ['TOIDC109@8:12-8:27', 'TOIDC301@8:12-8:27']);
    assert.match(only(merged, 'TOIDC301')[0].message, /https:\/\/id\.example\.com/);
    // The fix for 109 lands in the first patch's block string.
    const fixedText = applyFix(
      inline('/repo/talconfig.yaml', split('    - |-')),
      only(merged, 'TOIDC109')[0].fixes![0],
    );
    assert.match(
      fixedText,
      /oidc-issuer-url: https:\/\/id\.example\.com\n {12}oidc-username-prefix: "oidc:"\n {4}- \|-/,
    );
    const withWorker = split('worker:\n  patches:\n    - |-');
    assert.deepEqual(summary(only(findingsOf(inline('/repo/talconfig.yaml', withWorker)), 'TOIDC102')), [
      'TOIDC102@8:12-8:27',
    ]);
  });

  it('says where a ${VAR} comes from', () => {
    const finding = only(findingsIn(TALHELPER, 'talhelper/talos/patches/oidc.yaml'), 'TOIDC004')[0];
    assert.match(finding.message, /`\$\{SECRET_DOMAIN\}`.*encrypted in talenv\.sops\.yaml/);
    assert.equal(finding.severity, 'info');
    const alone = only(findingsOf(fixture('shapes/talhelper/talos/patches/oidc.yaml')), 'TOIDC004')[0];
    assert.match(alone.message, /from the environment/);
  });

  it('a syntax error inside an inline patch is reported at its line', () => {
    const text = [
      'clusterName: c',
      'nodes: []',
      'controlPlane:',
      '  patches:',
      '    - |-',
      '      cluster:',
      '        apiServer:',
      '          extraArgs:',
      '            oidc-issuer-url: [',
      '',
    ].join('\n');
    const findings = findingsOf(inline('/repo/talconfig.yaml', text));
    assert.ok(
      findings.some((finding) => finding.code === 'TOIDC001' && finding.range.start.line >= 8),
      summary(findings).join(' '),
    );
  });

  it('a talconfig without patches, and a file merely named talconfig.yaml that is a Talos patch, are read as what they are', () => {
    assert.deepEqual(findingsOf(inline('/repo/talconfig.yaml', 'clusterName: c\nnodes: []\n')), []);
    const patch = inline(
      '/repo/talconfig.yaml',
      'cluster:\n  apiServer:\n    extraArgs:\n      oidc-issuer-url: http://x.example.com\n      oidc-client-id: k\n',
    );
    assert.ok(patch.kinds.has('talos-patch'));
  });
});

describe('JSON patches (RFC 6902)', () => {
  it('reads add operations on extraArgs and on a single flag', () => {
    // The second operation adds oidc-username-prefix, so the identity is `oidc:<sub>`; the groups have no prefix.
    assert.deepEqual(lint(['jsonpatch/apiserver-oidc.yaml']), {
      'jsonpatch/apiserver-oidc.yaml': ['TOIDC301@3:4-3:19', 'TOIDC111@5:4-5:21'],
    });
    const finding = only(findingsIn(['jsonpatch/apiserver-oidc.yaml'], 'jsonpatch/apiserver-oidc.yaml'), 'TOIDC301')[0];
    assert.match(finding.message, /`oidc:<sub>`/);
  });

  it("the fix inserts the groups prefix at the JSON patch value's indentation", () => {
    const parsed = fixture('shapes/jsonpatch/apiserver-oidc.yaml');
    const finding = only(findingsOf(parsed), 'TOIDC111')[0];
    const fixed = applyFix(parsed, finding.fixes![0]);
    assert.match(fixed, /\n {4}oidc-groups-claim: groups\n {4}oidc-groups-prefix: "oidc:"\n- op: add/);
    assert.deepEqual(parseYamlFile(parsed.file, fixed).yamlProblems, []);
  });
});

describe('several clusters in one repository', () => {
  const MONOREPO = [
    'monorepo/clusters/alpha/talos/oidc.yaml',
    'monorepo/clusters/alpha/kubeconfig.yaml',
    'monorepo/clusters/alpha/rbac.yaml',
    'monorepo/clusters/beta/talos/oidc.yaml',
  ];

  it('compares a kubeconfig and a binding only with their own cluster, and names it', () => {
    // Without scoping, alpha's kubeconfig would differ from beta's issuer and client ID (TOIDC403/404) and alpha's binding would satisfy beta.
    assert.deepEqual(lint(MONOREPO), {
      'monorepo/clusters/alpha/talos/oidc.yaml': [],
      'monorepo/clusters/alpha/kubeconfig.yaml': [],
      'monorepo/clusters/alpha/rbac.yaml': [],
      'monorepo/clusters/beta/talos/oidc.yaml': ['TOIDC301@3:6-3:21'],
    });
    const finding = findingsIn(MONOREPO, 'monorepo/clusters/beta/talos/oidc.yaml')[0];
    assert.match(finding.message, /\[cluster beta\]$/);
  });

  it('a kubeconfig in a folder whose cluster config is not among the files is compared with no other cluster', () => {
    const files = MONOREPO.map((path) => fixture(`shapes/${path}`));
    const alpha = files.find((file) => file.file.endsWith('alpha/kubeconfig.yaml'))!;
    const gamma = parseYamlFile(
      alpha.file.replace('/alpha/', '/gamma/'),
      alpha.text
        .replace(/id\.alpha\.example\.com/g, 'id.gamma.example.com')
        .replace('--oidc-client-id=alpha', '--oidc-client-id=gamma'),
    );
    const findings = checkFiles([...files, gamma]).filter((finding) => finding.file === gamma.file);
    // Before, it got TOIDC403 (issuer differs from alpha's and beta's) and TOIDC404.
    assert.deepEqual(summary(findings), []);
  });

  it('folders whose configs trust the same issuer are one cluster; a guide with placeholder issuers is tied to none', () => {
    const patch = (file: string, issuer: string) =>
      inline(
        file,
        `cluster:\n  apiServer:\n    extraArgs:\n      oidc-issuer-url: ${issuer}\n      oidc-client-id: k\n      oidc-username-prefix: "oidc:"\n      oidc-groups-claim: groups\n      oidc-groups-prefix: "oidc:"\n`,
      );
    const binding = inline(
      '/repo/guide/crb.yaml',
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: b\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: cluster-admin\nsubjects:\n  - kind: Group\n    name: oidc:kubernetes\n',
    );
    const findings = checkFiles([
      patch('/repo/prod/oidc.yaml', 'https://id.example.com'),
      patch('/repo/staging/oidc.yaml', 'https://id.example.com/'),
      patch('/repo/guide/controlplane.yaml', '"<url of pocket-id>"'),
      binding,
    ]);
    // One cluster (same issuer): the guide's binding counts for both, no lockout, no cluster names.
    assert.deepEqual(
      findings.filter((finding) => finding.code === 'TOIDC301'),
      [],
    );
    assert.ok(findings.every((finding) => !finding.message.includes('[cluster ')));
  });

  it('a one-cluster repository names no cluster', () => {
    for (const finding of findingsIn(TALHELPER, 'talhelper/talos/talconfig.yaml'))
      assert.doesNotMatch(finding.message, /\[cluster /);
  });
});

describe('TOIDC304 bindings only under archive/', () => {
  it('reports the archived binding instead of counting it', () => {
    assert.deepEqual(lint(['archived/talos/oidc.yaml', 'archived/archive/rbac/crb.yaml']), {
      'archived/talos/oidc.yaml': ['TOIDC304@3:6-3:21'],
      'archived/archive/rbac/crb.yaml': [],
    });
  });

  it('not when a live binding exists', () => {
    assert.deepEqual(
      lint(['archived/talos/oidc.yaml', 'archived/archive/rbac/crb.yaml', 'monorepo/clusters/alpha/rbac.yaml'])[
        'archived/talos/oidc.yaml'
      ],
      [],
    );
  });
});

describe("TOIDC117 email claim against the repository's own email_verified mapping", () => {
  it('an authentik scope mapping that sends email_verified False: error at the claim', () => {
    const findings = findingsIn(
      ['authentik-mapping/talos/oidc.yaml', 'authentik-mapping/authentik/blueprint.yaml'],
      'authentik-mapping/talos/oidc.yaml',
    );
    assert.deepEqual(summary(only(findings, 'TOIDC117')), ['TOIDC117@5:27-5:32']);
    assert.match(only(findings, 'TOIDC117')[0].message, /blueprint\.yaml, line 12/);
    assert.deepEqual(only(findings, 'TOIDC108'), []);
  });

  it('a mapping that sends true silences TOIDC108; without a mapping it is TOIDC108 worded for authentik', () => {
    const config = fixture('shapes/authentik-mapping/talos/oidc.yaml');
    const trueMapping = inline(
      '/work/x/authentik-mapping/authentik/blueprint.yaml',
      'expression: |\n  return {"email_verified": True}\n',
    );
    assert.deepEqual(only(findingsOf(config, [trueMapping]), 'TOIDC108'), []);
    assert.deepEqual(only(findingsOf(config, [trueMapping]), 'TOIDC117'), []);
    const alone = only(findingsOf(config), 'TOIDC108');
    assert.deepEqual(summary(alone), ['TOIDC108@5:27-5:32']);
    assert.match(alone[0].message, /authentik: Since authentik 2025\.10/);
  });

  it('a comment that mentions email_verified is no mapping', () => {
    const config = fixture('shapes/authentik-mapping/talos/oidc.yaml');
    const comment = inline('/work/x/notes.yaml', '# authentik sends `email_verified: false`\nkey: value\n');
    assert.deepEqual(summary(only(findingsOf(config, [comment]), 'TOIDC108')), ['TOIDC108@5:27-5:32']);
  });
});

describe('machine.files: an AuthenticationConfiguration written to a host path mounted elsewhere', () => {
  it('is checked where it is written: its issuer and groups prefix', () => {
    assert.deepEqual(lint(['machine-files/apiserver-oidc.yaml']), {
      'machine-files/apiserver-oidc.yaml': ['TOIDC103@18:19-18:40', 'TOIDC301@18:19-18:40', 'TOIDC116@27:24-27:27'],
    });
  });

  it('the https fix edits the file content in place', () => {
    const parsed = fixture('shapes/machine-files/apiserver-oidc.yaml');
    const finding = only(findingsOf(parsed), 'TOIDC103')[0];
    assert.match(applyFix(parsed, finding.fixes![0]), /\n {14}url: https:\/\/id\.example\.com\n/);
  });
});

describe('TOIDC116 groups prefix `-`', () => {
  const flags = (prefix: string) =>
    `cluster:\n  apiServer:\n    extraArgs:\n      oidc-issuer-url: https://id.example.com\n      oidc-client-id: k\n      oidc-groups-claim: groups\n      oidc-groups-prefix: ${prefix}\n`;
  it('reported on the value, with a fix that removes the line', () => {
    const parsed = inline('/repo/patch.yaml', flags('"-"'));
    const finding = only(findingsOf(parsed), 'TOIDC116');
    assert.deepEqual(summary(finding), ['TOIDC116@6:26-6:29']);
    assert.equal(applyFix(parsed, finding[0].fixes![0]), flags('"-"').replace('      oidc-groups-prefix: "-"\n', ''));
  });
  it('not for another prefix, nor for the username prefix `-`', () => {
    assert.deepEqual(only(findingsOf(inline('/repo/patch.yaml', flags('"oidc:"'))), 'TOIDC116'), []);
    assert.deepEqual(
      only(
        findingsOf(
          inline(
            '/repo/patch.yaml',
            flags('"oidc:"').replace('oidc-groups-prefix', 'oidc-username-prefix: "-"\n      oidc-groups-prefix'),
          ),
        ),
        'TOIDC116',
      ),
      [],
    );
  });
});

describe('TOIDC303 generic group names without a groups prefix', () => {
  const config = (prefix: string) =>
    inline(
      '/repo/talos/patch.yaml',
      `cluster:\n  apiServer:\n    extraArgs:\n      oidc-issuer-url: https://id.example.com\n      oidc-client-id: k\n      oidc-groups-claim: groups\n${prefix}`,
    );
  const binding = (group: string) =>
    inline(
      '/repo/rbac.yaml',
      `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: b\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: cluster-admin\nsubjects:\n  - kind: Group\n    name: ${group}\n`,
    );
  it('`admin` bound while groups arrive unprefixed', () => {
    const findings = only(findingsOf(binding('admin'), [config('')]), 'TOIDC303');
    assert.deepEqual(summary(findings), ['TOIDC303@10:10-10:15']);
    assert.match(findings[0].message, /`cluster-admin` to the group `admin`/);
  });
  it('not for a distinctive name, nor with a groups prefix', () => {
    assert.deepEqual(only(findingsOf(binding('homelab-k8s-owners'), [config('')]), 'TOIDC303'), []);
    assert.deepEqual(
      only(findingsOf(binding('oidc:admin'), [config('      oidc-groups-prefix: "oidc:"\n')]), 'TOIDC303'),
      [],
    );
  });
});

describe('templates and references never error', () => {
  const patch = (issuer: string, clientId = 'k') =>
    inline(
      '/repo/patch.yaml',
      `cluster:\n  apiServer:\n    extraArgs:\n      oidc-issuer-url: ${issuer}\n      oidc-client-id: ${clientId}\n      oidc-username-prefix: "oidc:"\n`,
    );
  it('${VAR}, op:// and {{ }} values: TOIDC004 only, no TOIDC201', () => {
    assert.deepEqual(
      summary(findingsOf(patch('https://id.${DOMAIN}')).filter((finding) => finding.code !== 'TOIDC301')),
      ['TOIDC004@3:23-3:43'],
    );
    assert.deepEqual(
      summary(
        findingsOf(patch('https://id.example.com', '"op://vault/k8s/client-id"')).filter(
          (finding) => finding.code !== 'TOIDC301',
        ),
      ),
      ['TOIDC004@4:22-4:48'],
    );
    const jinja = parseYamlFile(
      '/repo/controlplane.yaml.j2',
      'cluster:\n  apiServer:\n    extraArgs:\n      oidc-issuer-url: {{ issuer }}\n      oidc-client-id: k\n      oidc-username-prefix: "oidc:"\n',
    );
    assert.deepEqual(jinja.yamlProblems, []);
    assert.deepEqual(summary(findingsOf(jinja).filter((finding) => finding.code !== 'TOIDC301')), [
      'TOIDC004@3:23-3:35',
    ]);
  });
  it('a literal value gets no TOIDC004', () => {
    assert.deepEqual(only(findingsOf(patch('https://id.example.com')), 'TOIDC004'), []);
  });
});

describe('provider-aware advice', () => {
  it('infers the provider from the issuer', () => {
    assert.equal(inferProvider('https://auth.${SECRET_DOMAIN}/application/o/headlamp/')?.id, 'authentik');
    assert.equal(inferProvider('https://sso.example.net/realms/home')?.id, 'keycloak');
    assert.equal(inferProvider('https://azk.jp.auth0.com/')?.label, 'Auth0');
    assert.equal(inferProvider('https://accounts.google.com')?.id, 'google');
    assert.equal(inferProvider('https://id.example.com'), undefined);
  });

  const flags = (issuer: string, claim = 'sub') =>
    inline(
      '/repo/patch.yaml',
      `cluster:\n  apiServer:\n    extraArgs:\n      oidc-issuer-url: ${issuer}\n      oidc-client-id: k\n      oidc-username-claim: ${claim}\n      oidc-username-prefix: "oidc:"\n`,
    );
  it("TOIDC115 only where the provider's issuer has no slash", () => {
    assert.deepEqual(only(findingsOf(flags('https://auth.example.com/application/o/k8s/')), 'TOIDC115'), []);
    assert.deepEqual(only(findingsOf(flags('https://tenant.eu.auth0.com/')), 'TOIDC115'), []);
    // Entra ID v1 issuers end with a slash; Dex's issuer is whatever its config says.
    assert.deepEqual(
      only(findingsOf(flags('https://sts.windows.net/0b4f6b53-2e0c-4d56-9a4e-1a2b3c4d5e6f/')), 'TOIDC115'),
      [],
    );
    assert.deepEqual(only(findingsOf(flags('https://dex.example.com/')), 'TOIDC115'), []);
    const keycloak = only(findingsOf(flags('https://sso.example.com/realms/home/')), 'TOIDC115');
    assert.deepEqual(summary(keycloak), ['TOIDC115@3:23-3:59']);
    assert.match(keycloak[0].message, /Keycloak's issuer never ends with a slash/);
  });

  it('TOIDC108 names the provider, and Google (verified accounts) is not warned', () => {
    assert.match(
      only(findingsOf(flags('https://sso.example.com/realms/home', 'email')), 'TOIDC108')[0].message,
      /Keycloak: Keycloak keeps an "Email verified" switch/,
    );
    assert.deepEqual(only(findingsOf(flags('https://accounts.google.com', 'email')), 'TOIDC108'), []);
  });

  it('TOIDC405: authentik puts groups in the profile scope', () => {
    const config = inline(
      '/repo/talos/patch.yaml',
      'cluster:\n  apiServer:\n    extraArgs:\n      oidc-issuer-url: https://auth.example.com/application/o/k8s/\n      oidc-client-id: k\n      oidc-username-prefix: "oidc:"\n      oidc-groups-claim: groups\n      oidc-groups-prefix: "oidc:"\n',
    );
    const kubeconfig = (scope: string) =>
      inline(
        '/repo/kubeconfig.yaml',
        `apiVersion: v1\nkind: Config\nusers:\n  - name: oidc\n    user:\n      exec:\n        apiVersion: client.authentication.k8s.io/v1\n        command: kubectl\n        interactiveMode: Never\n        args:\n          - oidc-login\n          - get-token\n          - --oidc-issuer-url=https://auth.example.com/application/o/k8s/\n          - --oidc-client-id=k\n          - --oidc-extra-scope=${scope}\n`,
      );
    assert.deepEqual(only(findingsOf(kubeconfig('profile'), [config]), 'TOIDC405'), []);
    const missing = only(findingsOf(kubeconfig('email'), [config]), 'TOIDC405');
    assert.deepEqual(summary(missing), ['TOIDC405@14:12-14:36']);
    assert.match(missing[0].message, /`profile` scope: authentik then leaves `groups` out/);
  });
});

describe('TOIDC118 authentication-config path against where machine.files writes the file', () => {
  const fixtureText = () => fixture('shapes/machine-files/apiserver-oidc.yaml').text;
  it('a written host path that the mount does not map to the flag: error on the flag value', () => {
    const parsed = inline(
      '/repo/talos/apiserver-oidc.yaml',
      fixtureText().replace('path: /var/lib/authn/config.yaml', 'path: /var/lib/auth/config.yaml'),
    );
    const findings = only(findingsOf(parsed), 'TOIDC118');
    assert.deepEqual(summary(findings), ['TOIDC118@3:29-3:62']);
    assert.match(findings[0].message, /host path `\/var\/lib\/authn\/config\.yaml`.*`\/var\/lib\/auth\/config\.yaml`/);
  });
  it('not when the mount maps the flag to the written path, nor when nothing is written by machine.files', () => {
    assert.deepEqual(only(findingsOf(fixture('shapes/machine-files/apiserver-oidc.yaml')), 'TOIDC118'), []);
    const noFiles = inline(
      '/repo/talos/p.yaml',
      'cluster:\n  apiServer:\n    extraArgs:\n      authentication-config: /etc/kubernetes/authn/config.yaml\n    extraVolumes:\n      - hostPath: /var/lib/authn\n        mountPath: /etc/kubernetes/authn\n',
    );
    assert.deepEqual(only(findingsOf(noFiles), 'TOIDC118'), []);
  });
});

describe('JSON patches of other things', () => {
  it('a Kustomize JSON6902 patch is none of ours', () => {
    const parsed = inline(
      '/repo/kustomize/patch.yaml',
      '- op: add\n  path: /spec/template/spec/containers/0/args/-\n  value: --oidc-issuer-url=http://x\n',
    );
    assert.equal(parsed.kinds.size, 0);
    assert.deepEqual(findingsOf(parsed), []);
  });
});

describe('kubeconfig references', () => {
  const config = inline(
    '/repo/talos/patch.yaml',
    'cluster:\n  apiServer:\n    extraArgs:\n      oidc-issuer-url: https://id.example.com\n      oidc-client-id: kubectl\n      oidc-username-prefix: "oidc:"\n',
  );
  const kubeconfig = (clientId: string, secret?: string) =>
    inline(
      '/repo/kubeconfig.yaml',
      `apiVersion: v1\nkind: Config\nusers:\n  - name: oidc\n    user:\n      exec:\n        apiVersion: client.authentication.k8s.io/v1\n        command: kubectl\n        interactiveMode: Never\n        args:\n          - oidc-login\n          - get-token\n          - --oidc-issuer-url=https://id.example.com\n          - --oidc-client-id=${clientId}\n${secret ? `          - --oidc-client-secret=${secret}\n` : ''}`,
    );
  it('an op:// client ID or secret is not a URL, not a wrong client ID, not a plain-text secret: TOIDC004 only', () => {
    const findings = findingsOf(kubeconfig('op://vault/k8s/client-id', 'op://vault/k8s/secret'), [config]);
    assert.deepEqual(summary(findings), ['TOIDC004@13:29-13:53', 'TOIDC004@14:33-14:54']);
  });
  it('a literal wrong client ID is still reported', () => {
    assert.deepEqual(summary(only(findingsOf(kubeconfig('other'), [config]), 'TOIDC404')), ['TOIDC404@13:29-13:34']);
  });
});

describe('Jinja templates (.j2)', () => {
  it('if/else branches that repeat a key are no syntax error; the literal branch values are still read', () => {
    const text = [
      'cluster:',
      '  apiServer:',
      '    extraArgs:',
      '{% if prod %}',
      '      oidc-issuer-url: https://id.example.com',
      '{% else %}',
      '      oidc-issuer-url: https://id2.example.com',
      '{% endif %}',
      '      oidc-client-id: "{{ client_id }}"',
      '      oidc-username-prefix: "oidc:"',
      '',
    ].join('\n');
    const parsed = parseYamlFile('/repo/talos/controlplane.yaml.j2', text);
    assert.deepEqual(parsed.yamlProblems, []);
    assert.ok(parsed.kinds.has('talos-patch'));
    const codes = summary(findingsOf(parsed)).filter((entry) => !entry.startsWith('TOIDC301'));
    assert.deepEqual(codes, ['TOIDC004@8:22-8:39']);
  });
});

describe('older talconfigs: inlinePatch and configPatches', () => {
  it('a node inlinePatch map and controlPlane configPatches operations are checked in place', () => {
    const parsed = fixture('shapes/talhelper-legacy/talconfig.yaml');
    assert.deepEqual(
      parsed.embedded!.map((entry) => `${entry.label}:${entry.role}`),
      ['controlPlane.configPatches:controlPlane', 'worker.inlinePatch:worker', 'nodes[0].inlinePatch:controlPlane'],
    );
    const findings = findingsOf(parsed);
    // Keycloak's issuer has no slash (in the inline map). The operation's flag is read, but the
    // checks that need the issuer beside it (TOIDC111) see each patch alone.
    assert.deepEqual(summary(findings.filter((finding) => finding.code !== 'TOIDC301')), ['TOIDC115@10:29-10:65']);
    const operation = parsed.embedded!.find((entry) => entry.label === 'controlPlane.configPatches')!;
    assert.deepEqual(
      operation.parsed.talos!.extraArgs.map((arg) => `${arg.name}=${arg.values[0]}`),
      ['oidc-groups-claim=groups'],
    );
    const fixedText = applyFix(parsed, only(findings, 'TOIDC115')[0].fixes![0]);
    assert.match(fixedText, /\n {12}oidc-issuer-url: https:\/\/sso\.example\.com\/realms\/home\n/);
  });
});

describe('talhelper worker patches say why they are worker configs', () => {
  it('inline worker patch and worker-only @file patch', () => {
    const inlineWorker = only(findingsIn(TALHELPER, 'talhelper/talos/talconfig.yaml'), 'TOIDC113')[0];
    assert.match(inlineWorker.message, /talhelper applies `worker\.patches\[0\]` to worker nodes only/);
    const fileWorker = only(findingsIn(TALHELPER, 'talhelper/talos/patches/worker-only.yaml'), 'TOIDC113')[0];
    assert.match(fileWorker.message, /names this file only in workers' \(or worker nodes'\) `patches`/);
  });
});

describe('a talconfig.yaml with CRLF line breaks', () => {
  it('places findings in the block string and inserts lines with CRLF', () => {
    const text = [
      'clusterName: c',
      'nodes: []',
      'controlPlane:',
      '  patches:',
      '    - |-',
      '      cluster:',
      '        apiServer:',
      '          extraArgs:',
      '            oidc-issuer-url: https://id.example.com',
      '            oidc-client-id: kubectl',
      '',
    ].join('\r\n');
    const parsed = inline('/repo/talconfig.yaml', text);
    const finding = only(findingsOf(parsed), 'TOIDC109');
    assert.deepEqual(summary(finding), ['TOIDC109@8:12-8:27']);
    const fixedText = applyFix(parsed, finding[0].fixes![0]);
    assert.ok(
      fixedText.includes('oidc-client-id: kubectl\r\n            oidc-username-prefix: "oidc:"') ||
        fixedText.includes('oidc-issuer-url: https://id.example.com\r\n            oidc-username-prefix: "oidc:"'),
      JSON.stringify(fixedText),
    );
    assert.doesNotMatch(fixedText, /[^\r]\n/);
  });
});
