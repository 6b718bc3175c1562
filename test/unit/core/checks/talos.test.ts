/** TOIDC001-003 and TOIDC101-115, TOIDC201: each check positive and negative, with exact ranges and fixes. */
import * as assert from 'node:assert/strict';
import { applyFix, at, findingsOf, fixed, fixture, inline, only, summary } from './helpers';

const BINDING = inline(
  '/ws/crb.yaml',
  [
    'apiVersion: rbac.authorization.k8s.io/v1',
    'kind: ClusterRoleBinding',
    'metadata: {name: admins}',
    'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}',
    'subjects:',
    '  - {kind: Group, apiGroup: rbac.authorization.k8s.io, name: "oidc:kubernetes"}',
    '  - {kind: User, apiGroup: rbac.authorization.k8s.io, name: "oidc:alice"}',
    '',
  ].join('\n'),
);

/** A patch with `cluster.apiServer.extraArgs`: entry i is on line 3 + i, keys at column 6. */
function flags(entries: [string, string][], extra = ''): string {
  return (
    ['cluster:', '  apiServer:', '    extraArgs:', ...entries.map(([key, value]) => `      ${key}: ${value}`)].join(
      '\n',
    ) +
    '\n' +
    extra
  );
}

const GOOD: [string, string][] = [
  ['oidc-issuer-url', 'https://id.example.com'],
  ['oidc-client-id', 'kubernetes'],
  ['oidc-username-claim', 'sub'],
  ['oidc-username-prefix', '"oidc:"'],
  ['oidc-groups-claim', 'groups'],
  ['oidc-groups-prefix', '"oidc:"'],
];

function lintFlags(entries: [string, string][], options = {}) {
  const parsed = inline('/ws/patch.yaml', flags(entries));
  return { parsed, findings: findingsOf(parsed, [BINDING], options) };
}

function withChange(key: string, value: string | undefined): [string, string][] {
  const out = GOOD.filter(([name]) => name !== key || value !== undefined).map(([name, current]): [string, string] => [
    name,
    name === key ? value! : current,
  ]);
  return out;
}

describe('checks: a correct config is clean', () => {
  it('no findings for the good flags with a binding', () => {
    assert.deepEqual(summary(lintFlags(GOOD).findings), []);
  });
});

describe('TOIDC001 syntax errors', () => {
  it('reports a syntax error at its place in a Talos file, without a crash', () => {
    const parsed = inline(
      '/ws/c.yaml',
      'version: v1alpha1\nmachine:\n  type: controlplane\ncluster:\n  apiServer:\n    extraArgs: {oidc-issuer-url: https://x\n',
    );
    const findings = only(findingsOf(parsed), 'TOIDC001');
    assert.equal(findings.length >= 1, true);
    assert.equal(findings[0].severity, 'error');
    assert.ok(findings[0].range.start.line >= 5);
  });

  it('a tab-indented Talos config gets a syntax finding', () => {
    const parsed = inline(
      '/ws/c.yaml',
      'version: v1alpha1\nmachine:\n  type: controlplane\ncluster:\n  apiServer:\n\timage: x\n',
    );
    assert.ok(only(findingsOf(parsed), 'TOIDC001').length >= 1);
  });

  it('no syntax finding on a file that is not ours', () => {
    assert.deepEqual(findingsOf(inline('/ws/x.yaml', 'foo: [unclosed\n')), []);
  });
});

describe('TOIDC002 unquoted value ending with a colon', () => {
  it('explains the YAML error and quotes the value', () => {
    const parsed = fixture('misc/unquoted-prefix.yaml');
    const findings = only(findingsOf(parsed, [BINDING]), 'TOIDC002');
    assert.deepEqual(summary(findings), ['TOIDC002@6:26-6:31', 'TOIDC002@7:28-7:33']);
    assert.match(findings[0].message, /nested map/);
    // No raw YAML error is reported on top of it.
    assert.deepEqual(only(findingsOf(parsed, [BINDING]), 'TOIDC001'), []);
    const once = fixed(parsed, findings[0].fixes![0]);
    const twice = fixed(once, only(findingsOf(once, [BINDING]), 'TOIDC002')[0].fixes![0]);
    assert.match(twice.text, /oidc-groups-prefix: "oidc:"\n {6}oidc-username-prefix: "oidc:" # same mistake/);
    assert.deepEqual(only(findingsOf(twice, [BINDING]), 'TOIDC002'), []);
    assert.deepEqual(twice.yamlProblems, []);
  });

  it('the same mistake with the value on the next line', () => {
    const parsed = inline('/ws/p.yaml', flags(GOOD.slice(0, 5)) + '      oidc-groups-prefix:\n        oidc:\n');
    const findings = only(findingsOf(parsed, [BINDING]), 'TOIDC002');
    assert.deepEqual(summary(findings), ['TOIDC002@9:8-9:13']);
    assert.match(applyFix(parsed, findings[0].fixes![0]), /oidc-groups-prefix:\n {8}"oidc:"\n$/);
  });

  it('a quoted prefix and `oidc:kubernetes` (no trailing colon) are fine', () => {
    const parsed = inline('/ws/p.yaml', flags([...GOOD.slice(0, 5), ['oidc-groups-prefix', "'oidc:'"]]));
    assert.deepEqual(only(findingsOf(parsed, [BINDING]), 'TOIDC002'), []);
  });
});

describe('TOIDC003 placeholders', () => {
  it('flags a placeholder issuer and client ID, and fills them from the settings', () => {
    const { parsed, findings } = lintFlags(
      withChange('oidc-issuer-url', '<url of pocket-id>').map(([k, v]): [string, string] => [
        k,
        k === 'oidc-client-id' ? '<Client ID from Pocket ID>' : v,
      ]),
      {
        issuerUrl: 'https://id.example.com',
        clientId: 'abc-123',
      },
    );
    const placeholders = only(findings, 'TOIDC003');
    assert.deepEqual(summary(placeholders), ['TOIDC003@3:23-3:41', 'TOIDC003@4:22-4:48']);
    assert.equal(placeholders[0].severity, 'error');
    assert.match(placeholders[0].message, /`<url of pocket-id>` is a placeholder/);
    const after = applyFix(parsed, placeholders[0].fixes![0]);
    assert.match(after, /oidc-issuer-url: https:\/\/id\.example\.com\n/);
    assert.match(applyFix(parsed, placeholders[1].fixes![0]), /oidc-client-id: abc-123\n/);
    // The API server's own complaint about the same value is not repeated.
    assert.deepEqual(only(findings, 'TOIDC201'), []);
  });

  it('no fix without a value to fill in', () => {
    const { findings } = lintFlags(withChange('oidc-issuer-url', '<url of pocket-id>'));
    assert.equal(only(findings, 'TOIDC003')[0].fixes, undefined);
  });

  it('in a KubeAuthenticationConfig body and in a binding', () => {
    const text = fixture('multidoc/controlplane.yaml').text.replace('url: https://id.example.com', 'url: <issuer>');
    const parsed = inline('/ws/c.yaml', text);
    assert.deepEqual(summary(only(findingsOf(parsed, [BINDING]), 'TOIDC003')), ['TOIDC003@30:13-30:21']);
    const crb = inline('/ws/crb2.yaml', fixture('guide/crb.yaml').text.replace('oidc:kubernetes', '<your group>'));
    assert.deepEqual(summary(only(findingsOf(crb), 'TOIDC003')), ['TOIDC003@12:8-12:20']);
  });

  it('angle brackets in a non-OIDC value of a Deployment are not reported', () => {
    assert.deepEqual(findingsOf(fixture('misc/deployment.yaml')), []);
  });
});

describe('TOIDC101 unknown or misspelled flags', () => {
  it('suggests the flag meant and renames it', () => {
    const { parsed, findings } = lintFlags([...GOOD, ['oidc-groups-claims', 'groups']]);
    const unknown = only(findings, 'TOIDC101');
    assert.deepEqual(summary(unknown), ['TOIDC101@9:6-9:24']);
    assert.match(unknown[0].message, /Did you mean `oidc-groups-claim`\?/);
    assert.match(applyFix(parsed, unknown[0].fixes![0]), /\n {6}oidc-groups-claim: groups\n$/);
    assert.deepEqual(only(findings, 'TOIDC201'), [], 'the API server text is not repeated');
  });

  it('underscores and a swapped letter', () => {
    const { findings } = lintFlags([...GOOD, ['oidc_ca_file', '/x'], ['odic-required-claim', 'a=b']]);
    const messages = only(findings, 'TOIDC101').map((finding) => finding.message);
    assert.match(messages[0], /`oidc-ca-file`/);
    assert.match(messages[1], /`oidc-required-claim`/);
  });

  it('an unknown oidc-* flag far from any known one: no suggestion, lists the known flags', () => {
    const { findings } = lintFlags([...GOOD, ['oidc-something-else', 'x']]);
    const finding = only(findings, 'TOIDC101')[0];
    assert.equal(finding.fixes, undefined);
    assert.match(finding.message, /Known OIDC flags/);
  });

  it('ordinary API server flags are not reported', () => {
    const { findings } = lintFlags([...GOOD, ['enable-admission-plugins', 'NodeRestriction'], ['audit-log-path', '-']]);
    assert.deepEqual(only(findings, 'TOIDC101'), []);
  });
});

describe('TOIDC102 issuer and client ID together', () => {
  it('issuer without client ID', () => {
    const { parsed, findings } = lintFlags(withChange('oidc-client-id', undefined), { clientId: 'abc' });
    const finding = only(findings, 'TOIDC102');
    assert.deepEqual(summary(finding), ['TOIDC102@3:6-3:21']);
    assert.match(finding[0].message, /must be specified together/);
    assert.match(
      applyFix(parsed, finding[0].fixes![0]),
      /oidc-issuer-url: https:\/\/id\.example\.com\n {6}oidc-client-id: abc\n/,
    );
  });

  it('client ID without issuer', () => {
    const { findings } = lintFlags(withChange('oidc-issuer-url', undefined));
    assert.deepEqual(summary(only(findings, 'TOIDC102')), ['TOIDC102@3:6-3:20']);
  });

  it('an empty issuer', () => {
    const { findings } = lintFlags(withChange('oidc-issuer-url', '""'));
    assert.deepEqual(summary(only(findings, 'TOIDC102')), ['TOIDC102@3:23-3:25']);
  });

  it('both present: nothing', () => {
    assert.deepEqual(only(lintFlags(GOOD).findings, 'TOIDC102'), []);
  });
});

describe('TOIDC103 http issuer', () => {
  it('flags and fixes http in the flags', () => {
    const { parsed, findings } = lintFlags(withChange('oidc-issuer-url', 'http://id.example.com'));
    const finding = only(findings, 'TOIDC103');
    assert.deepEqual(summary(finding), ['TOIDC103@3:23-3:44']);
    assert.match(finding[0].message, /URL scheme must be https/);
    assert.match(applyFix(parsed, finding[0].fixes![0]), /oidc-issuer-url: https:\/\/id\.example\.com\n/);
    assert.deepEqual(only(findings, 'TOIDC201'), []);
  });

  it('and in a standalone AuthenticationConfiguration', () => {
    const findings = findingsOf(fixture('misc/auth-config.yaml'), [BINDING]);
    assert.deepEqual(summary(only(findings, 'TOIDC103')), ['TOIDC103@4:11-4:32']);
  });

  it('https is fine', () => {
    assert.deepEqual(only(lintFlags(GOOD).findings, 'TOIDC103'), []);
  });
});

describe('TOIDC104 authentication-config with oidc-* flags', () => {
  it('both as flags', () => {
    const { findings } = lintFlags([...GOOD, ['authentication-config', '/var/lib/auth/config.yaml']]);
    const finding = only(findings, 'TOIDC104');
    assert.deepEqual(summary(finding), ['TOIDC104@9:6-9:27']);
    assert.match(finding[0].message, /mutually exclusive/);
    assert.deepEqual(only(findings, 'TOIDC201'), [], 'the same API server text is not repeated on every flag');
  });

  it('oidc-* flags beside a KubeAuthenticationConfig document: no TOIDC104 (Talos passes the flags, not the document)', () => {
    const text =
      flags(GOOD.filter(([key]) => key !== 'oidc-username-prefix')) +
      fixture('patches/auth-1.14.yaml').text.replace(/^/, '---\n');
    const findings = findingsOf(inline('/ws/p.yaml', text), [BINDING]);
    assert.deepEqual(only(findings, 'TOIDC104'), []);
  });

  it('authentication-config alone is fine', () => {
    const { findings } = lintFlags([['authentication-config', '/system/x.yaml']]);
    assert.deepEqual(only(findings, 'TOIDC104'), []);
  });
});

describe('TOIDC105 / TOIDC106 Talos 1.14 layout', () => {
  it('oidc-* in a KubeAPIServerConfig document', () => {
    const text =
      'apiVersion: v1alpha1\nkind: KubeAPIServerConfig\nextraArgs:\n  oidc-issuer-url: https://id.example.com\n  anonymous-auth: "false"\n  enable-aggregator-routing: "true"\n';
    const findings = findingsOf(inline('/ws/k.yaml', text));
    assert.deepEqual(summary(only(findings, 'TOIDC105')), ['TOIDC105@3:2-3:17', 'TOIDC105@4:2-4:16']);
  });

  it('.cluster.apiServer beside a KubeAPIServerConfig', () => {
    const text =
      'version: v1alpha1\nmachine:\n  type: controlplane\ncluster:\n  apiServer:\n    image: x\n---\napiVersion: v1alpha1\nkind: KubeAPIServerConfig\n';
    const findings = findingsOf(inline('/ws/c.yaml', text));
    assert.deepEqual(summary(findings), ['TOIDC106@4:2-4:11']);
  });

  it('the correct multi-document config has neither', () => {
    assert.deepEqual(findingsOf(fixture('multidoc/controlplane.yaml'), [BINDING]), []);
  });
});

describe('TOIDC107 signing algorithms', () => {
  it('EdDSA: error, Pocket-ID hint, fix to RS256', () => {
    const { parsed, findings } = lintFlags([...GOOD, ['oidc-signing-algs', 'EdDSA']]);
    const finding = only(findings, 'TOIDC107');
    assert.deepEqual(summary(finding), ['TOIDC107@9:25-9:30']);
    assert.match(finding[0].message, /unsupported signing alg: "EdDSA"/);
    assert.match(finding[0].message, /key-rotate/);
    assert.match(applyFix(parsed, finding[0].fixes![0]), /oidc-signing-algs: RS256\n/);
  });

  it('HS256 in a list keeps the valid ones', () => {
    const { parsed, findings } = lintFlags([...GOOD, ['oidc-signing-algs', 'RS256,HS256']]);
    const finding = only(findings, 'TOIDC107');
    assert.deepEqual(summary(finding), ['TOIDC107@9:25-9:36']);
    assert.match(applyFix(parsed, finding[0].fixes![0]), /oidc-signing-algs: RS256\n/);
  });

  it('RS256,ES256 is fine', () => {
    assert.deepEqual(only(lintFlags([...GOOD, ['oidc-signing-algs', 'RS256,ES256']]).findings, 'TOIDC107'), []);
  });
});

describe('TOIDC108 email as the username claim', () => {
  it('in flags', () => {
    const { findings } = lintFlags(withChange('oidc-username-claim', 'email'));
    const finding = only(findings, 'TOIDC108');
    assert.deepEqual(summary(finding), ['TOIDC108@5:27-5:32']);
    assert.match(finding[0].message, /email not verified/);
    assert.match(finding[0].message, /Pocket-ID/);
  });

  it('in an AuthenticationConfiguration', () => {
    assert.deepEqual(summary(only(findingsOf(fixture('misc/auth-config.yaml')), 'TOIDC108')), ['TOIDC108@9:15-9:20']);
  });

  it('sub is not reported', () => {
    assert.deepEqual(only(lintFlags(GOOD).findings, 'TOIDC108'), []);
  });
});

describe('TOIDC109 username claim without prefix', () => {
  it('says what usernames become and adds a prefix', () => {
    const { parsed, findings } = lintFlags(withChange('oidc-username-prefix', undefined));
    const finding = only(findings, 'TOIDC109');
    assert.deepEqual(summary(finding), ['TOIDC109@5:27-5:30']);
    assert.equal(finding[0].severity, 'info');
    assert.match(finding[0].message, /`https:\/\/id\.example\.com#<sub>`/);
    assert.match(
      applyFix(parsed, finding[0].fixes![0]),
      /oidc-username-claim: sub\n {6}oidc-username-prefix: "oidc:"\n/,
    );
  });

  it('default claim (no oidc-username-claim): on the issuer key', () => {
    const { findings } = lintFlags(
      withChange('oidc-username-prefix', undefined).filter(([key]) => key !== 'oidc-username-claim'),
    );
    assert.deepEqual(summary(only(findings, 'TOIDC109')), ['TOIDC109@3:6-3:21']);
  });

  it('not with a prefix, not with the email claim', () => {
    assert.deepEqual(only(lintFlags(GOOD).findings, 'TOIDC109'), []);
    const email = withChange('oidc-username-prefix', undefined).map(([k, v]): [string, string] => [
      k,
      k === 'oidc-username-claim' ? 'email' : v,
    ]);
    assert.deepEqual(only(lintFlags(email).findings, 'TOIDC109'), []);
  });
});

describe('TOIDC110 / TOIDC111 groups claim and prefix', () => {
  it('prefix without claim: adds the claim', () => {
    const { parsed, findings } = lintFlags(withChange('oidc-groups-claim', undefined));
    const finding = only(findings, 'TOIDC110');
    assert.deepEqual(summary(finding), ['TOIDC110@7:6-7:24']);
    assert.match(
      applyFix(parsed, finding[0].fixes![0]),
      /oidc-groups-prefix: "oidc:"\n {6}oidc-groups-claim: groups\n/,
    );
  });

  it('claim without prefix: adds the prefix', () => {
    const { parsed, findings } = lintFlags(withChange('oidc-groups-prefix', undefined));
    const finding = only(findings, 'TOIDC111');
    assert.deepEqual(summary(finding), ['TOIDC111@7:6-7:23']);
    assert.match(finding[0].message, /system:masters/);
    assert.match(
      applyFix(parsed, finding[0].fixes![0]),
      /oidc-groups-claim: groups\n {6}oidc-groups-prefix: "oidc:"\n/,
    );
  });

  it('both or neither: nothing', () => {
    assert.deepEqual(
      summary(lintFlags(GOOD).findings).filter((code) => /TOIDC11[01]/.test(code)),
      [],
    );
    const neither = GOOD.filter(([key]) => !key.startsWith('oidc-groups'));
    assert.deepEqual(
      summary(lintFlags(neither).findings).filter((code) => /TOIDC11[01]/.test(code)),
      [],
    );
  });
});

describe('TOIDC112 files not mounted into the API server', () => {
  const config = (extra: string) =>
    [
      'version: v1alpha1',
      'machine:',
      '  type: controlplane',
      'cluster:',
      '  apiServer:',
      '    image: registry.k8s.io/kube-apiserver:v1.33.1',
      ...extra.split('\n'),
      '    extraArgs:',
      ...GOOD.map(([key, value]) => `      ${key}: ${value}`),
      '      oidc-ca-file: /var/lib/oidc/ca.pem',
      '',
    ].join('\n');

  it('oidc-ca-file without extraVolumes: adds the mount', () => {
    const parsed = inline('/ws/c.yaml', config(''));
    const finding = only(findingsOf(parsed, [BINDING]), 'TOIDC112');
    assert.deepEqual(summary(finding), ['TOIDC112@14:20-14:40']);
    assert.match(finding[0].message, /machine\.files/);
    const after = fixed(parsed, finding[0].fixes![0]);
    assert.match(
      after.text,
      / {2}apiServer:\n {4}extraVolumes:\n {6}- hostPath: \/var\/lib\/oidc\n {8}mountPath: \/var\/lib\/oidc\n {8}readonly: true\n {4}image:/,
    );
    assert.deepEqual(only(findingsOf(after, [BINDING]), 'TOIDC112'), []);
  });

  it('appends to an existing extraVolumes list', () => {
    const parsed = inline(
      '/ws/c.yaml',
      config('    extraVolumes:\n      - hostPath: /var/lib/audit\n        mountPath: /var/lib/audit'),
    );
    const finding = only(findingsOf(parsed, [BINDING]), 'TOIDC112');
    const after = fixed(parsed, finding[0].fixes![0]);
    assert.match(after.text, /mountPath: \/var\/lib\/audit\n {6}- hostPath: \/var\/lib\/oidc\n/);
    assert.deepEqual(only(findingsOf(after, [BINDING]), 'TOIDC112'), []);
  });

  it('mounted in another file of the workspace: fine', () => {
    const parsed = inline('/ws/p.yaml', flags([...GOOD, ['oidc-ca-file', '/var/lib/oidc/ca.pem']]));
    const mount = inline(
      '/ws/mount.yaml',
      'cluster:\n  apiServer:\n    extraVolumes:\n      - hostPath: /var/lib/oidc\n        mountPath: /var/lib/oidc\n',
    );
    assert.deepEqual(only(findingsOf(parsed, [BINDING, mount]), 'TOIDC112'), []);
    assert.equal(only(findingsOf(parsed, [BINDING]), 'TOIDC112').length, 1);
  });
});

describe('TOIDC113 OIDC in a worker config', () => {
  it('reports once, on the first OIDC key', () => {
    assert.deepEqual(summary(findingsOf(fixture('misc/worker.yaml'))), ['TOIDC113@11:6-11:21']);
  });

  it('a control-plane config is not a worker', () => {
    assert.deepEqual(only(findingsOf(fixture('legacy/controlplane.yaml'), [BINDING]), 'TOIDC113'), []);
  });
});

describe('TOIDC114 anonymous block lost by a patch', () => {
  it('reports and inserts the default anonymous block', () => {
    const parsed = fixture('patches/auth-1.14.yaml');
    const finding = only(findingsOf(parsed, [BINDING]), 'TOIDC114');
    assert.deepEqual(summary(finding), ['TOIDC114@2:0-2:13']);
    const after = fixed(parsed, finding[0].fixes![0]);
    assert.match(
      after.text,
      /configuration:\n {2}anonymous:\n {4}enabled: true\n {4}conditions:\n {6}- path: \/livez\n {6}- path: \/readyz\n {6}- path: \/healthz\n {2}jwt:/,
    );
    assert.deepEqual(findingsOf(after, [BINDING]), []);
  });

  it('a full config (not a patch) is not reported', () => {
    const text = fixture('multidoc/controlplane.yaml').text.replace(/ {2}anonymous:\n(?: {4}.*\n)+/, '');
    assert.deepEqual(only(findingsOf(inline('/ws/c.yaml', text), [BINDING]), 'TOIDC114'), []);
  });
});

describe('TOIDC115 trailing slash', () => {
  it('info with a fix that drops the slash', () => {
    const { parsed, findings } = lintFlags(withChange('oidc-issuer-url', 'https://id.example.com/'));
    const finding = only(findings, 'TOIDC115');
    assert.deepEqual(summary(finding), ['TOIDC115@3:23-3:46']);
    assert.equal(finding[0].severity, 'info');
    assert.match(applyFix(parsed, finding[0].fixes![0]), /oidc-issuer-url: https:\/\/id\.example\.com\n/);
  });

  it('a path without trailing slash is fine', () => {
    assert.deepEqual(
      only(lintFlags(withChange('oidc-issuer-url', 'https://auth.example.com/application/o/k8s')).findings, 'TOIDC115'),
      [],
    );
  });
});

describe('TOIDC201 the API server rejects the configuration', () => {
  it('AuthenticationConfiguration validation errors, in the API server words, at the field', () => {
    const findings = only(findingsOf(fixture('misc/auth-config.yaml'), [BINDING]), 'TOIDC201');
    assert.deepEqual(summary(findings), ['TOIDC201@8:6-8:14']);
    assert.match(
      findings[0].message,
      /jwt\[0\]\.claimMappings\.username\.prefix: Required value: prefix is required when claim is set/,
    );
  });

  it('a query in the issuer URL (no specific check): reported with the API server text', () => {
    const { findings } = lintFlags(withChange('oidc-issuer-url', 'https://id.example.com?tenant=1'));
    const finding = only(findings, 'TOIDC201');
    assert.deepEqual(summary(finding), ['TOIDC201@3:23-3:54']);
    assert.match(finding[0].message, /URL must not contain a query/);
  });

  it('an unknown field in a KubeAuthenticationConfig body lands on its key', () => {
    const text = fixture('multidoc/controlplane.yaml').text.replace(
      '        audiences:',
      '        audience: x\n        audiences:',
    );
    const findings = only(findingsOf(inline('/ws/c.yaml', text), [BINDING]), 'TOIDC201');
    assert.deepEqual(summary(findings), ['TOIDC201@31:8-31:16']);
    assert.match(findings[0].message, /unknown field/);
  });
});

describe('every finding has a message and a known code', () => {
  it('for the whole fixture tree', () => {
    const files = [
      'guide/controlplane.yaml',
      'guide/kubeconfig.yaml',
      'misc/auth-config.yaml',
      'misc/unquoted-prefix.yaml',
      'patches/auth-1.14.yaml',
    ].map(fixture);
    for (const file of files) {
      for (const finding of findingsOf(
        file,
        files.filter((other) => other !== file),
      )) {
        assert.ok(finding.message.length > 20, finding.code);
        assert.ok(finding.range.endOffset >= finding.range.startOffset);
        assert.ok(at(finding.range));
      }
    }
  });
});

describe('robustness', () => {
  it('CRLF files: exact ranges, and fixes insert CRLF lines', () => {
    const parsed = inline('/ws/p.yaml', flags(withChange('oidc-username-prefix', undefined)).replace(/\n/g, '\r\n'));
    const finding = only(findingsOf(parsed, [BINDING]), 'TOIDC109')[0];
    assert.equal(at(finding.range), '5:27-5:30');
    assert.match(
      applyFix(parsed, finding.fixes![0]),
      /oidc-username-claim: sub\r\n {6}oidc-username-prefix: "oidc:"\r\n/,
    );
  });

  it('TOIDC000: a check that fails on an unexpected shape does not hide the others', () => {
    const parsed = inline('/ws/p.yaml', flags(withChange('oidc-issuer-url', '<url of pocket-id>')));
    const broken = { ...parsed, bindings: parsed.bindings };
    // Simulate an unexpected shape: extraArgs that cannot be read.
    Object.defineProperty(broken, 'talos', {
      get: () => ({
        ...parsed.talos!,
        get extraVolumes(): never {
          throw new Error('unexpected shape');
        },
      }),
    });
    const findings = findingsOf(broken);
    assert.ok(only(findings, 'TOIDC000').length >= 1);
    assert.match(only(findings, 'TOIDC000')[0].message, /unexpected shape/);
    assert.equal(only(findings, 'TOIDC003').length, 1, 'the placeholder check still ran');
  });
});

describe("Talos version and layout facts taken from Talos's config code", () => {
  const LEGACY_CP =
    'version: v1alpha1\nmachine:\n  type: controlplane\n  install:\n    image: ghcr.io/siderolabs/installer:v1.13.2\ncluster:\n  apiServer:\n    image: registry.k8s.io/kube-apiserver:v1.36.1\n    extraArgs:\n      oidc-required-claim:\n        - hd=example.com\n        - tier=gold\n';
  const KAC =
    'apiVersion: v1alpha1\nkind: KubeAuthenticationConfig\nconfiguration:\n  anonymous:\n    enabled: true\n    conditions:\n      - path: /livez\n  jwt: []\n';

  it("TOIDC123: a list value on Talos 1.13 (from the installer tag) is refused, with Talos's words and a comma-joined fix", () => {
    const parsed = inline('/ws/cp.yaml', LEGACY_CP);
    assert.equal(parsed.talos?.talosVersion?.minor, 13);
    const [finding] = only(findingsOf(parsed), 'TOIDC123');
    assert.match(
      finding.message,
      /Talos 1\.13 \(from machine\.install\.image\) rejects a list.*unexpected type for yaml sequence: v1alpha1\.ArgValue/,
    );
    assert.match(applyFix(parsed, finding.fixes![0]), /\n {6}oidc-required-claim: "?hd=example\.com,tier=gold"?\n$/);
    assert.deepEqual(
      only(findingsOf(inline('/ws/cp.yaml', LEGACY_CP.replace('v1.13.2', 'v1.14.1'))), 'TOIDC123'),
      [],
      'Talos 1.14 reads lists',
    );
    assert.match(
      only(findingsOf(inline('/ws/cp.yaml', LEGACY_CP.replace('v1.13.2', 'v1.12.0'))), 'TOIDC123')[0].message,
      /cannot unmarshal !!seq into string/,
    );
  });

  it('TOIDC122: KubeAuthenticationConfig on Talos 1.13 (a `# talos:` hint, the setting, or the workspace) is not registered', () => {
    const hinted = inline('/ws/p.yaml', `# talos: v1.13\n${KAC}`);
    assert.deepEqual(summary(only(findingsOf(hinted), 'TOIDC122')), ['TOIDC122@2:6-2:30']);
    assert.match(
      only(findingsOf(hinted), 'TOIDC122')[0].message,
      /"KubeAuthenticationConfig" "v1alpha1": not registered/,
    );
    const plain = inline('/ws/p.yaml', KAC);
    assert.deepEqual(only(findingsOf(plain), 'TOIDC122'), [], 'no version known: no finding');
    assert.equal(only(findingsOf(plain, [], { talosVersion: 'v1.12' }), 'TOIDC122').length, 1);
    assert.equal(
      only(findingsOf(plain, [inline('/ws/cp.yaml', LEGACY_CP)]), 'TOIDC122').length,
      1,
      'version of another config of the workspace',
    );
    assert.deepEqual(only(findingsOf(plain, [], { talosVersion: 'v1.14' }), 'TOIDC122'), []);
  });

  it('TOIDC121: a KubeAuthenticationConfig beside .cluster.apiServer is ignored by Talos (flags win, no TOIDC104)', () => {
    const text = `${LEGACY_CP.replace('v1.13.2', 'v1.14.1')}---\n${KAC}`;
    const findings = findingsOf(inline('/ws/cp.yaml', text));
    assert.match(
      only(findings, 'TOIDC121')[0].message,
      /passes `--authentication-config` only when the API server settings come from a KubeAPIServerConfig/,
    );
    assert.deepEqual(only(findings, 'TOIDC104'), []);
  });

  it('TOIDC121 and TOIDC106 on a patch, judged against the control-plane configs of the workspace', () => {
    const legacyTarget = inline('/ws/cp.yaml', LEGACY_CP.replace('v1.13.2', 'v1.14.1'));
    const multiTarget = inline(
      '/ws/cp14.yaml',
      'version: v1alpha1\nmachine:\n  type: controlplane\ncluster:\n  clusterName: demo\n---\napiVersion: v1alpha1\nkind: KubeAPIServerConfig\nimage: registry.k8s.io/kube-apiserver:v1.37.0\n',
    );
    assert.match(
      only(findingsOf(inline('/ws/p.yaml', KAC), [legacyTarget]), 'TOIDC121')[0].message,
      /On cp\.yaml this KubeAuthenticationConfig is added and then ignored/,
    );
    assert.deepEqual(only(findingsOf(inline('/ws/p.yaml', KAC), [multiTarget]), 'TOIDC121'), []);
    const legacyPatch = inline('/ws/p.yaml', flags(GOOD));
    assert.match(
      only(findingsOf(legacyPatch, [multiTarget]), 'TOIDC106')[0].message,
      /Talos rejects this patch on cp14\.yaml.*kube-apiserver config is already set in v1alpha1 config \(\.cluster\.apiServer\)/,
    );
    assert.deepEqual(only(findingsOf(legacyPatch, [legacyTarget]), 'TOIDC106'), []);
  });

  it("TOIDC113: a KubeAuthenticationConfig in a worker config is an error, in Talos's words", () => {
    const worker = inline(
      '/ws/w.yaml',
      `version: v1alpha1\nmachine:\n  type: worker\ncluster:\n  clusterName: demo\n---\n${KAC}`,
    );
    const [finding] = only(findingsOf(worker), 'TOIDC113');
    assert.equal(finding.severity, 'error');
    assert.match(
      finding.message,
      /the following document kinds are only allowed on control plane machines: \[KubeAuthenticationConfig\]/,
    );
  });

  it("TOIDC105 gives Talos's reason per flag: KubeAuthenticationConfig for oidc-*, KubeAuthorizerConfig for authorization-*", () => {
    const text =
      'apiVersion: v1alpha1\nkind: KubeAPIServerConfig\nextraArgs:\n  oidc-issuer-url: https://id.example.com\n  authorization-mode: Node,RBAC\n  oidc-signing-algs: RS256\n';
    const messages = only(findingsOf(inline('/ws/k.yaml', text)), 'TOIDC105').map((finding) => finding.message);
    assert.match(
      messages[0],
      /`kube-apiserver extra argument "oidc-issuer-url" is not allowed: use KubeAuthenticationConfig`/,
    );
    assert.match(messages[1], /use KubeAuthorizerConfig`\. Put the setting into a KubeAuthorizerConfig document\./);
    assert.match(messages[2], /not supported with KubeAuthenticationConfig/);
  });
});

describe('TOIDC119 / TOIDC120 what the API server refuses in authentication files', () => {
  it("TOIDC119: an anonymous block in the legacy authentication-config file, beside Talos's --anonymous-auth=false", () => {
    const file = (body: string) =>
      `version: v1alpha1\nmachine:\n  type: controlplane\n  files:\n    - path: /var/etc/kubernetes/authn.yaml\n      op: create\n      permissions: 0o644\n      content: |\n${body.replace(/^/gm, '        ')}\ncluster:\n  apiServer:\n    extraArgs:\n      authentication-config: /var/etc/kubernetes/authn.yaml\n    extraVolumes:\n      - hostPath: /var/etc/kubernetes\n        mountPath: /var/etc/kubernetes\n        readonly: true\n`;
    const jwt =
      'apiVersion: apiserver.config.k8s.io/v1beta1\nkind: AuthenticationConfiguration\njwt:\n  - issuer:\n      url: https://id.example.com\n      audiences: [x]\n    claimMappings:\n      username: {claim: sub, prefix: ""}';
    const findings = only(findingsOf(inline('/ws/cp.yaml', file(`${jwt}\nanonymous:\n  enabled: true`))), 'TOIDC119');
    assert.equal(findings.length, 1);
    assert.match(
      findings[0].message,
      /--anonymous-auth flag cannot be set when anonymous field is configured in authentication configuration file/,
    );
    assert.deepEqual(only(findingsOf(inline('/ws/cp.yaml', file(jwt))), 'TOIDC119'), []);
  });

  it("TOIDC120: a path in issuer.certificateAuthority, with the API server's words; PEM text is fine", () => {
    const body = (ca: string) =>
      `apiVersion: v1alpha1\nkind: KubeAuthenticationConfig\nconfiguration:\n  anonymous: {enabled: false}\n  jwt:\n    - issuer:\n        url: https://id.example.com\n        audiences: [x]\n        certificateAuthority: ${ca}\n      claimMappings:\n        username: {claim: sub, prefix: ""}\n`;
    const [finding] = only(findingsOf(inline('/ws/k.yaml', body('/var/lib/oidc/ca.pem'))), 'TOIDC120');
    assert.match(
      finding.message,
      /data does not contain any valid RSA or ECDSA certificates.*`\/var\/lib\/oidc\/ca\.pem` is a file path/,
    );
    assert.equal(at(finding.range), '8:30-8:50');
    assert.deepEqual(
      only(
        findingsOf(
          inline(
            '/ws/k.yaml',
            body('|\n          -----BEGIN CERTIFICATE-----\n          MIIB\n          -----END CERTIFICATE-----'),
          ),
        ),
        'TOIDC120',
      ),
      [],
    );
  });
});
