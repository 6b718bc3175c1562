/** TOIDC413: the program a kubelogin exec user runs is not installed (the editor's PATH lookup). */
import * as assert from 'node:assert/strict';
import {
  checkExecCommandsInstalled,
  OIDC_LOGIN_PLUGIN,
  type ProgramLookup,
} from '../../../../src/core/checks/commandInstalled';
import { at, inline } from './helpers';

function kubeconfig(command: string, firstArgs: string[], file = '/ws/kube/config.yaml') {
  return inline(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'users:',
      '  - name: oidc',
      '    user:',
      '      exec:',
      '        apiVersion: client.authentication.k8s.io/v1',
      `        command: ${command}`,
      '        interactiveMode: Never',
      '        args:',
      ...firstArgs.map((arg) => `          - ${arg}`),
      '          - --oidc-issuer-url=https://id.example.com',
      '          - --oidc-client-id=kubernetes',
      '  - name: admin',
      '    user:',
      '      token: abc',
      '',
    ].join('\n'),
  );
}

/** A lookup that knows exactly these programs and records what it was asked. */
function installed(...programs: string[]): ProgramLookup & { asked: string[] } {
  const asked: string[] = [];
  const lookup = (program: string) => {
    asked.push(program);
    return programs.includes(program);
  };
  return Object.assign(lookup, { asked });
}

const summary = (findings: ReturnType<typeof checkExecCommandsInstalled>) =>
  findings.map((f) => `${f.code}@${at(f.range)}`);

describe('TOIDC413 exec command not installed', () => {
  it('no finding when kubectl and the oidc-login plugin are both installed', () => {
    const lookup = installed('kubectl', OIDC_LOGIN_PLUGIN);
    assert.deepEqual(checkExecCommandsInstalled(kubeconfig('kubectl', ['oidc-login', 'get-token']), lookup), []);
    assert.deepEqual(lookup.asked, ['kubectl', OIDC_LOGIN_PLUGIN]);
  });

  it('TOIDC413 on the oidc-login argument when the plugin is missing, with the install hint', () => {
    const findings = checkExecCommandsInstalled(
      kubeconfig('kubectl', ['oidc-login', 'get-token']),
      installed('kubectl'),
      { installHint: 'kubectl krew install oidc-login' },
    );
    assert.deepEqual(summary(findings), ['TOIDC413@10:12-10:22']);
    assert.equal(findings[0].severity, 'warning');
    assert.match(findings[0].message, /kubectl-oidc_login/);
    assert.match(findings[0].message, /unknown command "oidc-login"/);
    assert.match(findings[0].message, /`kubectl krew install oidc-login`/);
  });

  it('TOIDC413 on the command value when kubectl itself is missing', () => {
    const findings = checkExecCommandsInstalled(
      kubeconfig('kubectl', ['oidc-login', 'get-token']),
      installed(OIDC_LOGIN_PLUGIN),
    );
    assert.deepEqual(summary(findings), ['TOIDC413@7:17-7:24']);
    assert.match(findings[0].message, /`kubectl` is not installed/);
  });

  it('TOIDC413 for `command: kubelogin` when kubelogin is missing; the plugin is not required then', () => {
    const lookup = installed('kubectl', OIDC_LOGIN_PLUGIN);
    const findings = checkExecCommandsInstalled(kubeconfig('"kubelogin"', ['get-token']), lookup);
    assert.deepEqual(summary(findings), ['TOIDC413@7:18-7:27']);
    assert.match(findings[0].message, /executable kubelogin not found/);
    assert.deepEqual(lookup.asked, ['kubelogin']);
    assert.deepEqual(checkExecCommandsInstalled(kubeconfig('kubelogin', ['get-token']), installed('kubelogin')), []);
  });

  it('a relative command path is looked up next to the kubeconfig', () => {
    const lookup = installed();
    checkExecCommandsInstalled(kubeconfig('./bin/kubelogin', ['get-token'], '/ws/kube/config.yaml'), lookup);
    assert.deepEqual(lookup.asked, ['/ws/kube/bin/kubelogin']);
  });

  it('no finding while the lookup does not know yet, and none for users that do not run kubelogin', () => {
    assert.deepEqual(
      checkExecCommandsInstalled(kubeconfig('kubectl', ['oidc-login', 'get-token']), () => undefined),
      [],
    );
    const other = inline(
      '/ws/aws.yaml',
      'apiVersion: v1\nkind: Config\nusers:\n  - name: eks\n    user:\n      exec:\n        apiVersion: client.authentication.k8s.io/v1\n        command: aws\n        args: [eks, get-token]\ncontexts: []\n',
    );
    assert.deepEqual(checkExecCommandsInstalled(other, installed()), []);
  });
});
