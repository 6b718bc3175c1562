// The test login's editor side in a real VS Code: the commands exist, the claims webview opens
// for a given login result, its script runs under the CSP and answers the extension's messages,
// and the verdict is computed against a Talos config of the workspace.
// The full browser login against a real provider is in test/browser/login.test.ts.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ClaimsPanel } from '../../../src/extension/login/claimsPanel';
import type { ClaimsViewState, ExtensionToWebview } from '../../../src/webview/claims/protocol';

const EXTENSION_ID = 'talos-oidc.talos-oidc';
const ISSUER = 'https://id.example.com';
const CLIENT_ID = '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const SUB = '643c3fba-370a-4738-92a6-9e7ec96cd99a';

/** A compact JWT with this payload (the signature is not checked by the view, only shown). */
function compactToken(header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part(header)}.${part(payload)}.c2lnbmF0dXJl`;
}

function loginResult(claimsOverrides: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: 'RS256', kid: 'key-1', typ: 'JWT' };
  const claims = {
    iss: ISSUER,
    aud: CLIENT_ID,
    sub: SUB,
    exp: now + 3600,
    iat: now,
    email: 'jane@example.com',
    email_verified: true,
    groups: ['kubernetes'],
    // Markup in a claim must arrive as text, never as HTML.
    name: '<img src=x onerror=alert(1)>Jane',
    ...claimsOverrides,
  };
  return {
    issuerUrl: ISSUER,
    clientId: CLIENT_ID,
    scopes: ['openid', 'groups'],
    claims,
    header,
    idToken: compactToken(header, claims),
    verified: true,
  };
}

/** The next state message that satisfies `accept`, or the current state when it already does. */
function stateWhere(panel: ClaimsPanel, accept: (state: ClaimsViewState) => boolean): Promise<ClaimsViewState> {
  const current = panel.currentState();
  if (current && accept(current)) return Promise.resolve(current);
  return new Promise((resolve) => {
    const subscription = panel.onDidPostMessage((message) => {
      if (message.type === 'state' && accept(message.state)) {
        subscription.dispose();
        resolve(message.state);
      }
    });
  });
}

function nextMessage<T extends ExtensionToWebview['type']>(
  panel: ClaimsPanel,
  type: T,
): Promise<Extract<ExtensionToWebview, { type: T }>> {
  return new Promise((resolve) => {
    const subscription = panel.onDidPostMessage((message) => {
      if (message.type === type) {
        subscription.dispose();
        resolve(message as Extract<ExtensionToWebview, { type: T }>);
      }
    });
  });
}

async function writeWorkspaceFile(relativePath: string, text: string): Promise<vscode.Uri> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the suite runs in a workspace');
  const uri = vscode.Uri.joinPath(folder.uri, relativePath);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

function talosConfig(usernameClaim: string): string {
  return [
    'version: v1alpha1',
    'machine:',
    '  type: controlplane',
    'cluster:',
    '  apiServer:',
    '    extraArgs:',
    `      oidc-issuer-url: ${ISSUER}`,
    `      oidc-client-id: ${CLIENT_ID}`,
    `      oidc-username-claim: ${usernameClaim}`,
    '      oidc-username-prefix: "oidc:"',
    '      oidc-groups-claim: groups',
    '      oidc-groups-prefix: "oidc:"',
    '',
  ].join('\n');
}

describe('test login: commands and the claims webview', function () {
  let panel: ClaimsPanel | undefined;
  let subConfig: vscode.Uri;
  let emailConfig: vscode.Uri;

  before(async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    await extension.activate();
    subConfig = await writeWorkspaceFile('login-it/controlplane-sub.yaml', talosConfig('sub'));
    emailConfig = await writeWorkspaceFile('login-it/controlplane-email.yaml', talosConfig('email'));
  });

  afterEach(() => {
    panel?.panel.dispose();
    panel = undefined;
  });

  after(async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (folder) await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder.uri, 'login-it'), { recursive: true });
  });

  it('registers the test login and client secret commands', async () => {
    const commands = new Set(await vscode.commands.getCommands(true));
    for (const id of [
      'talosOidc.testLogin',
      'talosOidc.storeClientSecret',
      'talosOidc.deleteClientSecret',
      'talosOidc.showLoginResult',
    ]) {
      assert.ok(commands.has(id), `${id} is not registered`);
    }
  });

  it('opens the webview for a login result, and its script renders the verdict it is sent', async () => {
    panel = await vscode.commands.executeCommand<ClaimsPanel>('talosOidc.showLoginResult', loginResult(), {
      configFile: subConfig.fsPath,
    });
    assert.ok(panel, 'the command returns the panel');
    assert.equal(panel.panel.viewType, 'talosOidc.claims');
    // `rendered` comes back only after the script ran under the CSP, sent `ready` and drew a `state`.
    const revision = await panel.whenRendered();
    const state = panel.currentState();
    assert.ok(state);
    assert.equal(state.revision, revision);
    assert.equal(state.verdict.status, 'accepted');
    assert.equal(state.verdict.username, `oidc:${SUB}`);
    assert.deepEqual(state.verdict.groups, ['oidc:kubernetes']);
    assert.equal(state.verdict.config?.file, subConfig.fsPath);
    assert.equal(state.tokenAvailable, true);
    // The state the webview keeps on disk never carries the token.
    assert.ok(!JSON.stringify(state).includes(loginResult().idToken.split('.')[2]), 'the state holds no token');
    assert.ok(!panel.panel.webview.html.includes(SUB), 'the initial HTML holds no value from the token');
    assert.match(panel.panel.webview.html, /script-src 'nonce-[A-Za-z0-9+/=]+'/);
  });

  it('finds the workspace binding for the prefixed group (the seed guide’s crb.yaml)', async () => {
    panel = await vscode.commands.executeCommand<ClaimsPanel>('talosOidc.showLoginResult', loginResult(), {
      configFile: subConfig.fsPath,
    });
    const state = await stateWhere(panel, (candidate) => candidate.bindings.matches.length > 0);
    assert.deepEqual(
      state.bindings.matches.map((match) => [match.kind, match.name, match.subject]),
      [['ClusterRoleBinding', 'cluster-admins-from-pass-keys', 'Group oidc:kubernetes']],
    );
    assert.match(state.bindings.matches[0].label, /crb\.yaml$/);
  });

  it('rejects an unverified email under the email claim, with the Pocket-ID fix', async () => {
    panel = await vscode.commands.executeCommand<ClaimsPanel>(
      'talosOidc.showLoginResult',
      loginResult({ email_verified: false }),
      {
        configFile: emailConfig.fsPath,
      },
    );
    await panel.whenRendered();
    const state = panel.currentState();
    assert.ok(state);
    assert.equal(state.verdict.status, 'rejected');
    assert.equal(state.verdict.error, 'oidc: email not verified');
    assert.ok(state.verdict.fixes.some((fix) => fix.includes('Emails Verified')));
    // The table marks what the decision read; no lockout advice for an identity that does not exist.
    assert.ok(state.decisiveClaims.includes('email') && state.decisiveClaims.includes('email_verified'));
    assert.deepEqual(state.bindings, { matches: [], advice: [] });
  });

  it('reveals the token only when asked, and copies the payload and the kubelogin command', async () => {
    const result = loginResult();
    panel = await vscode.commands.executeCommand<ClaimsPanel>('talosOidc.showLoginResult', result, {
      configFile: subConfig.fsPath,
    });
    await panel.whenRendered();

    const token = nextMessage(panel, 'token');
    await panel.handleMessage({ type: 'revealToken' });
    assert.equal((await token).token, result.idToken);

    const copiedPayload = nextMessage(panel, 'notice');
    await panel.handleMessage({ type: 'copy', what: 'payload' });
    assert.equal((await copiedPayload).kind, 'info');
    assert.deepEqual(JSON.parse(await vscode.env.clipboard.readText()), result.claims);

    const copiedCommand = nextMessage(panel, 'notice');
    await panel.handleMessage({ type: 'copy', what: 'kubeloginSetupCommand' });
    await copiedCommand;
    const command = await vscode.env.clipboard.readText();
    assert.match(command, /^kubectl oidc-login setup /);
    assert.ok(command.includes(`--oidc-issuer-url=${ISSUER}`));
    assert.ok(command.includes(`--oidc-client-id=${CLIENT_ID}`));
    assert.ok(command.includes('--oidc-extra-scope=groups'));
  });

  it('ignores messages outside the protocol and refuses to open files the view does not show', async () => {
    panel = await vscode.commands.executeCommand<ClaimsPanel>('talosOidc.showLoginResult', loginResult(), {
      configFile: subConfig.fsPath,
    });
    await panel.whenRendered();
    const before = vscode.window.visibleTextEditors.length;
    await panel.handleMessage({ type: 'openFile', file: '/etc/passwd' });
    await panel.handleMessage({ type: 'runShell', command: 'rm -rf /' });
    assert.equal(vscode.window.visibleTextEditors.length, before);
  });

  it('refuses a login result without claims with a clear error, not a crash', async () => {
    const result = await vscode.commands.executeCommand('talosOidc.showLoginResult', {
      issuerUrl: ISSUER,
      clientId: CLIENT_ID,
    });
    assert.equal(result, undefined);
  });
});
