/** TOIDC401-410: kubeconfig users running kubelogin. */
import * as assert from 'node:assert/strict';
import { applyFix, findingsOf, fixed, fixture, inline, only, summary } from './helpers';

const CONFIG = fixture('legacy/controlplane.yaml'); // issuer https://id.example.com, client a60960a8-…, groups claim
const CLIENT_ID = 'a60960a8-c856-43b7-add7-50d83bf7eeab';

/** A kubeconfig whose extra args start on line 12, column 12 (with command and interactiveMode). */
function kubeconfig(
  args: string[],
  options: { apiVersion?: string; command?: string | null; interactiveMode?: string | null } = {},
) {
  const lines = [
    'apiVersion: v1',
    'kind: Config',
    'users:',
    '  - name: oidc',
    '    user:',
    '      exec:',
    `        apiVersion: ${options.apiVersion ?? 'client.authentication.k8s.io/v1'}`,
    ...(options.command === null ? [] : [`        command: ${options.command ?? 'kubectl'}`]),
    ...(options.interactiveMode === null ? [] : [`        interactiveMode: ${options.interactiveMode ?? 'Never'}`]),
    '        args:',
    '          - oidc-login',
    '          - get-token',
    ...args.map((arg) => `          - ${arg}`),
    '',
  ];
  return inline('/ws/kubeconfig.yaml', lines.join('\n'));
}

const GOOD_ARGS = [
  '--oidc-issuer-url=https://id.example.com',
  `--oidc-client-id=${CLIENT_ID}`,
  '--oidc-extra-scope=groups',
];

describe('kubeconfig checks', () => {
  it('a correct user next to the config is clean', () => {
    assert.deepEqual(findingsOf(kubeconfig(GOOD_ARGS), [CONFIG]), []);
  });

  it('TOIDC401: client ID that is a URL, fixed from the workspace config', () => {
    const parsed = kubeconfig([GOOD_ARGS[0], '--oidc-client-id=https://id.example.com', GOOD_ARGS[2]]);
    const findings = findingsOf(parsed, [CONFIG]);
    assert.deepEqual(summary(findings), ['TOIDC401@13:29-13:51']);
    assert.match(applyFix(parsed, findings[0].fixes![0]), new RegExp(`- --oidc-client-id=${CLIENT_ID}\\n`));
    assert.deepEqual(findingsOf(fixed(parsed, findings[0].fixes![0]), [CONFIG]), []);
  });

  it('TOIDC401 also for the guide placeholder `<pocket ID url>` as client ID', () => {
    const findings = findingsOf(fixture('guide/kubeconfig.yaml'));
    assert.match(only(findings, 'TOIDC401')[0].message, /placeholder asking for a URL/);
  });

  it('TOIDC402: client secret that is a URL', () => {
    const findings = findingsOf(kubeconfig([...GOOD_ARGS, '--oidc-client-secret=https://id.example.com']), [CONFIG]);
    assert.deepEqual(summary(findings), ['TOIDC402@15:33-15:55']);
    assert.equal(findings[0].severity, 'error');
  });

  it('TOIDC403: issuer differs (trailing slash), fix uses the config issuer', () => {
    const parsed = kubeconfig(['--oidc-issuer-url=https://id.example.com/', ...GOOD_ARGS.slice(1)]);
    const findings = findingsOf(parsed, [CONFIG]);
    assert.deepEqual(summary(findings), ['TOIDC403@12:30-12:53']);
    assert.match(findings[0].message, /only a trailing slash differs/);
    assert.deepEqual(findingsOf(fixed(parsed, findings[0].fixes![0]), [CONFIG]), []);
  });

  it('TOIDC403: a `--flag value` pair is fixed in place', () => {
    const parsed = kubeconfig(['--oidc-issuer-url', 'https://other.example.com', ...GOOD_ARGS.slice(1)]);
    const finding = only(findingsOf(parsed, [CONFIG]), 'TOIDC403')[0];
    assert.match(applyFix(parsed, finding.fixes![0]), /- --oidc-issuer-url\n {10}- https:\/\/id\.example\.com\n/);
  });

  it('TOIDC404: client ID differs from the API server audience', () => {
    const parsed = kubeconfig([GOOD_ARGS[0], '--oidc-client-id=kubectl', GOOD_ARGS[2]]);
    const findings = findingsOf(parsed, [CONFIG]);
    assert.deepEqual(summary(findings), ['TOIDC404@13:29-13:36']);
    assert.match(findings[0].message, /expected audience/);
    assert.deepEqual(findingsOf(fixed(parsed, findings[0].fixes![0]), [CONFIG]), []);
  });

  it('no issuer or client comparison without a Talos config in the workspace', () => {
    assert.deepEqual(
      findingsOf(
        kubeconfig(['--oidc-issuer-url=https://x.example.com', '--oidc-client-id=other', '--oidc-extra-scope=groups']),
      ),
      [],
    );
  });

  it('TOIDC405: groups claim configured but no groups scope; the fix adds the scope', () => {
    const parsed = kubeconfig([...GOOD_ARGS.slice(0, 2), '--oidc-extra-scope=email']);
    const findings = findingsOf(parsed, [CONFIG]);
    assert.deepEqual(summary(findings), ['TOIDC405@14:12-14:36']);
    const after = fixed(parsed, findings[0].fixes![0]);
    assert.match(after.text, /- --oidc-extra-scope=email\n {10}- --oidc-extra-scope=groups\n$/);
    assert.deepEqual(findingsOf(after, [CONFIG]), []);
  });

  it('TOIDC405 not when the config reads no groups, and `groups` in a comma list counts', () => {
    const noGroups = inline(
      '/ws/p.yaml',
      'cluster:\n  apiServer:\n    extraArgs:\n      oidc-issuer-url: https://id.example.com\n      oidc-client-id: a60960a8-c856-43b7-add7-50d83bf7eeab\n      oidc-username-prefix: "oidc:"\n',
    );
    assert.deepEqual(only(findingsOf(kubeconfig(GOOD_ARGS.slice(0, 2)), [noGroups]), 'TOIDC405'), []);
    assert.deepEqual(
      only(findingsOf(kubeconfig([...GOOD_ARGS.slice(0, 2), '--oidc-extra-scope=email,groups']), [CONFIG]), 'TOIDC405'),
      [],
    );
  });

  it('TOIDC412: email as the username claim but no email scope', () => {
    const emailConfig = fixture('patches/oidc.yaml'); // oidc-username-claim: email
    const parsed = kubeconfig(GOOD_ARGS);
    const findings = findingsOf(parsed, [emailConfig]);
    assert.deepEqual(summary(findings), ['TOIDC412@14:12-14:37']);
    assert.match(findings[0].message, /claim not present/);
    const after = fixed(parsed, findings[0].fixes![0]);
    assert.match(after.text, /- --oidc-extra-scope=email\n$/);
    assert.deepEqual(findingsOf(after, [emailConfig]), []);
  });

  it('TOIDC412 not for `sub`, which every ID token has', () => {
    assert.deepEqual(only(findingsOf(kubeconfig(GOOD_ARGS), [CONFIG]), 'TOIDC412'), []);
  });

  it('TOIDC406: v1alpha1 exec API, fixed to v1', () => {
    const parsed = kubeconfig(GOOD_ARGS, { apiVersion: 'client.authentication.k8s.io/v1alpha1' });
    const findings = findingsOf(parsed, [CONFIG]);
    assert.deepEqual(summary(findings), ['TOIDC406@6:20-6:57']);
    assert.deepEqual(findingsOf(fixed(parsed, findings[0].fixes![0]), [CONFIG]), []);
  });

  it('TOIDC406: the fix also adds interactiveMode when it is missing', () => {
    const parsed = kubeconfig(GOOD_ARGS, {
      apiVersion: 'client.authentication.k8s.io/v1alpha1',
      interactiveMode: null,
    });
    const finding = only(findingsOf(parsed, [CONFIG]), 'TOIDC406')[0];
    const after = fixed(parsed, finding.fixes![0]);
    assert.match(after.text, /apiVersion: client\.authentication\.k8s\.io\/v1\n {8}interactiveMode: Never\n/);
    assert.deepEqual(findingsOf(after, [CONFIG]), []);
  });

  it('TOIDC411: v1 without interactiveMode, in kubectl words; the fix adds it', () => {
    const parsed = kubeconfig(GOOD_ARGS, { interactiveMode: null });
    const findings = findingsOf(parsed, [CONFIG]);
    assert.deepEqual(summary(findings), ['TOIDC411@6:20-6:51']);
    assert.match(findings[0].message, /interactiveMode must be specified for oidc to use exec authentication plugin/);
    assert.deepEqual(findingsOf(fixed(parsed, findings[0].fixes![0]), [CONFIG]), []);
  });

  it('TOIDC411 not for v1beta1, which defaults interactiveMode', () => {
    assert.deepEqual(
      findingsOf(kubeconfig(GOOD_ARGS, { apiVersion: 'client.authentication.k8s.io/v1beta1', interactiveMode: null }), [
        CONFIG,
      ]),
      [],
    );
  });

  it('v1beta1 is still accepted', () => {
    assert.deepEqual(
      findingsOf(kubeconfig(GOOD_ARGS, { apiVersion: 'client.authentication.k8s.io/v1beta1' }), [CONFIG]),
      [],
    );
  });

  it('TOIDC407: a client secret in plain text is worth knowing', () => {
    const findings = findingsOf(kubeconfig([...GOOD_ARGS, '--oidc-client-secret=s3cr3t-value']), [CONFIG]);
    assert.deepEqual(summary(findings), ['TOIDC407@15:33-15:45']);
    assert.equal(findings[0].severity, 'info');
    assert.ok(!findings[0].message.includes('s3cr3t-value'), 'the secret is not repeated in the message');
  });

  it('TOIDC408: a listen port other than kubelogin defaults', () => {
    const findings = findingsOf(kubeconfig([...GOOD_ARGS, '--listen-address=127.0.0.1:9090']), [CONFIG]);
    assert.deepEqual(summary(findings), ['TOIDC408@15:29-15:43']);
    assert.match(findings[0].message, /http:\/\/localhost:9090/);
    assert.deepEqual(findingsOf(kubeconfig([...GOOD_ARGS, '--listen-address=127.0.0.1:8000']), [CONFIG]), []);
  });

  it('TOIDC409: missing client ID', () => {
    const findings = findingsOf(kubeconfig([GOOD_ARGS[0], GOOD_ARGS[2]]), [CONFIG]);
    assert.deepEqual(summary(findings), ['TOIDC409@11:12-11:21']);
    assert.match(findings[0].message, /--oidc-client-id/);
  });

  it('TOIDC410: no command; the fix adds `command: kubectl`', () => {
    const parsed = kubeconfig(GOOD_ARGS, { command: null });
    const findings = findingsOf(parsed, [CONFIG]);
    assert.deepEqual(summary(findings), ['TOIDC410@9:12-9:22']);
    const after = fixed(parsed, findings[0].fixes![0]);
    assert.match(after.text, /apiVersion: client\.authentication\.k8s\.io\/v1\n {8}command: kubectl\n/);
    assert.deepEqual(findingsOf(after, [CONFIG]), []);
  });

  it('placeholders in kubelogin flags are filled from the workspace config', () => {
    const parsed = kubeconfig([
      '--oidc-issuer-url=<pocket ID url>',
      '--oidc-client-id=<client ID>',
      '--oidc-extra-scope=groups',
    ]);
    const findings = findingsOf(parsed, [CONFIG]);
    assert.deepEqual(summary(findings), ['TOIDC003@12:30-12:45', 'TOIDC003@13:29-13:40']);
    let after = fixed(parsed, findings[0].fixes![0]);
    after = fixed(after, findingsOf(after, [CONFIG])[0].fixes![0]);
    assert.deepEqual(findingsOf(after, [CONFIG]), []);
  });

  it('a kubeconfig without exec users yields nothing', () => {
    const parsed = inline(
      '/ws/k.yaml',
      'apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n    token: abc\n',
    );
    assert.deepEqual(findingsOf(parsed, [CONFIG]), []);
  });
});

describe('values kubectl and kubelogin refuse', () => {
  it('TOIDC414: an interactiveMode client-go does not know, with its error and a fix to the value meant', () => {
    const parsed = kubeconfig(GOOD_ARGS, { interactiveMode: 'never' });
    const [finding] = only(findingsOf(parsed, [CONFIG]), 'TOIDC414');
    assert.match(finding.message, /invalid interactiveMode for oidc: "never"/);
    assert.match(applyFix(parsed, finding.fixes![0]), /interactiveMode: Never\n/);
    assert.equal(
      only(findingsOf(kubeconfig(GOOD_ARGS, { interactiveMode: 'Sometimes' }), [CONFIG]), 'TOIDC414')[0].fixes![0]
        .title,
      'Use Never',
    );
    assert.deepEqual(
      only(findingsOf(kubeconfig(GOOD_ARGS, { interactiveMode: 'IfAvailable' }), [CONFIG]), 'TOIDC414'),
      [],
    );
  });

  it("TOIDC415: kubelogin flag values outside its lists, in kubelogin's words", () => {
    const parsed = kubeconfig([
      ...GOOD_ARGS,
      '--oidc-pkce-method=s256',
      '--grant-type=implicit',
      '--token-cache-storage=keyring',
    ]);
    const findings = only(findingsOf(parsed, [CONFIG]), 'TOIDC415');
    assert.equal(findings.length, 2);
    assert.match(findings[0].message, /oidc-pkce-method must be one of \(auto\|no\|S256\)/);
    assert.match(applyFix(parsed, findings[0].fixes![0]), /--oidc-pkce-method=S256/);
    assert.match(
      findings[1].message,
      /grant-type must be one of \(auto\|authcode\|authcode-keyboard\|password\|device-code\|client-credentials\)/,
    );
    assert.equal(findings[1].fixes, undefined);
  });
});
