/**
 * "Talos OIDC: Test Login": the issuer and client ID from the settings or the Talos config in
 * use, a client secret from secret storage only (optional: a public client with PKCE is the
 * safer choice), the preflight checklist, the browser login with a cancellable progress, and the
 * claims webview. The login machinery (openid-client) is loaded on first use.
 */
import * as vscode from 'vscode';
import type { AuthenticatorModel } from '../../core/authn/types';
import type { ParsedFile } from '../../core/workspace/types';
import type { PreflightItemView } from '../../webview/claims/protocol';
import type { Command } from '../commands/commandManager';
import { UserError } from '../commands/commandManager';
import { uriOfKey } from '../convert';
import type { ExtensionServices } from '../services';
import { confirmedSettings, type TalosOidcSettings } from '../settings';
import type { ClaimsPanel, ClaimsPanels } from './claimsPanel';
import type { LazyLoginModule, LoginOutcome, LoginRequest } from './lazyApi';
import { authenticatorOf } from './review';
import { COMMAND } from '../commandIds';
import { describeIssuerUrlProblem } from '../../core/authn/issuerUrl';

/** Where the issuer and client ID come from, and the config whose API server will judge the token. */
export interface LoginTarget {
  issuerUrl: string;
  clientId: string;
  configFile?: string;
  model?: AuthenticatorModel;
}

export class TestLoginCommand implements Command {
  readonly id = COMMAND.testLogin;
  private running: AbortController | undefined;

  constructor(
    private readonly services: ExtensionServices,
    private readonly panels: ClaimsPanels,
    private readonly loadLogin: () => LazyLoginModule,
  ) {}

  async execute(): Promise<ClaimsPanel | undefined> {
    if (this.running) {
      const choice = await vscode.window.showInformationMessage(
        'A test login is already waiting for the browser.',
        'Cancel it',
      );
      if (choice) this.running.abort();
      return undefined;
    }
    const settings = await confirmedSettings(this.services.context.workspaceState, [
      'listenAddresses',
      'redirectUrl',
      'caFile',
    ]);
    if (!settings) return undefined;
    const target = await resolveLoginTarget(this.services, settings);
    if (!target) return undefined;
    const clientSecret = await this.services.secrets.get(target.issuerUrl, target.clientId);
    const authenticator = target.model?.jwt.find((jwt) => jwt.issuer.url === target.issuerUrl) ?? target.model?.jwt[0];
    const request: LoginRequest = {
      issuerUrl: target.issuerUrl,
      clientId: target.clientId,
      clientSecret,
      extraScopes: scopesFor(settings, authenticator?.claimMappings.groups?.claim),
      listenAddresses: settings.listenAddresses,
      redirectUrl: settings.redirectUrl,
      caFile: settings.caFile,
      timeoutSeconds: settings.loginTimeoutSeconds,
      groupsClaim: authenticator?.claimMappings.groups?.claim,
      signingAlgs: target.model?.signingAlgs,
    };
    this.services.log.info(
      `Test login: issuer ${request.issuerUrl}, client ${request.clientId}, ${clientSecret ? 'confidential client (secret from secret storage)' : 'public client with PKCE'}`,
    );

    let login: LazyLoginModule;
    try {
      login = this.loadLogin();
    } catch (error) {
      throw new UserError(
        `The login component could not be loaded (${error instanceof Error ? error.message : String(error)}). Reinstall the extension.`,
      );
    }

    const controller = new AbortController();
    this.running = controller;
    try {
      const preflight = await this.runPreflight(login, request, controller);
      if (!preflight) return undefined;
      const forwarded = await forwardCallbackForRemoteWindow(request, this.services.log);
      const outcome = await this.runLogin(login, forwarded, controller);
      if (!outcome) return undefined;
      if (!outcome.verified) {
        const reason = outcome.verificationError ?? 'unknown reason';
        this.services.log.error(`Test login: the ID token failed verification: ${reason}`);
        const choice = await vscode.window.showErrorMessage(
          `Test login: the provider returned an ID token that failed verification (${reason}). Its claims cannot be trusted.`,
          'Show Claims Anyway',
        );
        if (!choice) return undefined;
      }
      this.services.log.info(
        `Test login: ID token verified (alg ${String(outcome.header.alg)}, sub ${String(outcome.claims.sub)})`,
      );
      return this.panels.show(
        {
          issuerUrl: request.issuerUrl,
          clientId: request.clientId,
          scopes: outcome.scopes,
          claims: outcome.claims,
          header: outcome.header,
          idToken: outcome.idToken,
          verification: outcome.verified ? { verified: true } : { verified: false, error: outcome.verificationError },
          preflight,
          receivedAt: Date.now(),
        },
        { configFile: target.configFile },
      );
    } finally {
      if (this.running === controller) this.running = undefined;
    }
  }

  /** The checklist: logged, shown in the webview, and asked about only when an item failed. */
  private async runPreflight(
    login: LazyLoginModule,
    request: LoginRequest,
    controller: AbortController,
  ): Promise<PreflightItemView[] | undefined> {
    let items: PreflightItemView[];
    try {
      items = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: 'Talos OIDC: checking the provider',
          cancellable: true,
        },
        async (_progress, token) => {
          const subscription = token.onCancellationRequested(() => controller.abort());
          try {
            return (await login.preflight(request, controller.signal)).items;
          } finally {
            subscription.dispose();
          }
        },
      );
    } catch (error) {
      return this.fail(login, error);
    }
    for (const item of items)
      this.services.log.info(`Preflight ${item.status}: ${item.title}${item.detail ? ` (${item.detail})` : ''}`);
    const failed = items.filter((item) => item.status === 'failed');
    if (failed.length === 0) return items;
    // Without a usable issuer or discovery document there is nothing to log in to.
    const discovery = items.find((item) => item.id === 'discovery');
    const fatal =
      discovery && discovery.status !== 'passed'
        ? (failed.find((item) => item.id === 'discovery') ?? failed[0])
        : undefined;
    if (fatal) {
      const choice = await vscode.window.showErrorMessage(
        `Test login: ${fatal.title} — failed. ${fatal.detail ?? ''}`.trim(),
        'Show Log',
      );
      if (choice) this.services.log.show(true);
      return undefined;
    }
    return (await confirmChecklist(items)) ? items : undefined;
  }

  private async runLogin(
    login: LazyLoginModule,
    request: LoginRequest,
    controller: AbortController,
  ): Promise<LoginOutcome | undefined> {
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Talos OIDC: test login', cancellable: true },
        async (progress, token) => {
          const subscription = token.onCancellationRequested(() => controller.abort());
          try {
            return await login.login(request, {
              signal: controller.signal,
              report: (message) => progress.report({ message }),
              openBrowser: async (url) => {
                progress.report({ message: 'Log in in the browser…' });
                // Only web pages go to the system's opener (a file: or command: URI would open or run something else).
                const uri = vscode.Uri.parse(url, true);
                if (uri.scheme !== 'https' && uri.scheme !== 'http')
                  throw new Error(`refusing to open a ${uri.scheme}: URL in the browser`);
                const opened = await vscode.env.openExternal(uri);
                if (!opened) {
                  // The user declined to open the site: offer the URL so they can open it by hand.
                  const choice = await vscode.window.showWarningMessage(
                    'The browser was not opened. Copy the login URL to open it yourself?',
                    'Copy URL',
                  );
                  if (choice) await vscode.env.clipboard.writeText(url);
                }
              },
            });
          } finally {
            subscription.dispose();
          }
        },
      );
    } catch (error) {
      return this.fail(login, error);
    }
  }

  private async fail(login: LazyLoginModule, error: unknown): Promise<undefined> {
    const problem = login.describeFailure(error);
    if (problem.cancelled) {
      this.services.log.info('Test login cancelled.');
      return undefined;
    }
    const text = problem.fix ? `${problem.message} ${problem.fix}` : problem.message;
    this.services.log.error(`Test login failed: ${text}`);
    const choice = await vscode.window.showErrorMessage(`Test login failed: ${text}`, 'Show Log');
    if (choice) this.services.log.show(true);
    return undefined;
  }
}

/** Scopes beyond `openid`: the settings', plus the groups scope when the config reads a groups claim. */
function scopesFor(settings: TalosOidcSettings, groupsClaim: string | undefined): string[] {
  const scopes = [...settings.extraScopes];
  if (groupsClaim === 'groups' && !scopes.includes('groups')) scopes.push('groups');
  return scopes;
}

/**
 * In a remote window of desktop VS Code (SSH, containers, WSL) the browser runs on another machine
 * than the listener, so the callback port must be forwarded: `asExternalUri` asks for that. The
 * forwarded URL is then the redirect URI, and only the first listen address is used (the
 * forwarding is for its port). In the browser-based workbench (code-server) `asExternalUri` would
 * rewrite the URL to the server's port proxy, which providers do not accept as a loopback callback,
 * so nothing changes there and the browser has to run where the extension host runs.
 */
async function forwardCallbackForRemoteWindow(
  request: LoginRequest,
  log: vscode.LogOutputChannel,
): Promise<LoginRequest> {
  if (vscode.env.uiKind !== vscode.UIKind.Desktop || !vscode.env.remoteName || request.redirectUrl.trim())
    return request;
  const first = request.listenAddresses[0] ?? '127.0.0.1:8000';
  const port = /:(\d+)$/.exec(first)?.[1];
  if (!port) return request;
  const local = `http://localhost:${port}`;
  try {
    const external = (await vscode.env.asExternalUri(vscode.Uri.parse(local, true))).toString(true).replace(/\/$/, '');
    if (external === local) return { ...request, listenAddresses: [first] };
    log.info(
      `Test login: the callback ${local} is forwarded as ${external}; the provider must accept that redirect URI.`,
    );
    return { ...request, listenAddresses: [first], redirectUrl: external };
  } catch (error) {
    log.warn(`Test login: could not forward ${local}: ${error instanceof Error ? error.message : String(error)}`);
    return request;
  }
}

async function confirmChecklist(items: PreflightItemView[]): Promise<boolean> {
  type Item = vscode.QuickPickItem & { proceed?: boolean };
  const icon = { passed: '$(pass)', failed: '$(error)', skipped: '$(circle-slash)' };
  const picks: Item[] = [
    {
      label: '$(play) Log in anyway',
      description: 'see what the provider returns despite the failed checks',
      proceed: true,
    },
    { label: '$(close) Stop here', proceed: false },
    { label: 'Preflight', kind: vscode.QuickPickItemKind.Separator },
    ...items.map((item) => ({ label: `${icon[item.status]} ${item.title}`, detail: item.detail })),
  ];
  const failed = items.filter((item) => item.status === 'failed').length;
  const picked = await vscode.window.showQuickPick(picks, {
    title: `Preflight: ${failed} check${failed === 1 ? '' : 's'} failed`,
    placeHolder: 'The API server will likely reject tokens from this provider; read the failed checks below',
    matchOnDetail: true,
    ignoreFocusOut: true,
  });
  return picked?.proceed === true;
}

/**
 * The issuer and client ID: the settings first, then the active editor's Talos config, then the
 * workspace's configs (asking which when several), then the user.
 */
export async function resolveLoginTarget(
  services: ExtensionServices,
  settings: TalosOidcSettings,
): Promise<LoginTarget | undefined> {
  let issuerUrl = settings.issuerUrl.trim();
  let clientId = settings.clientId.trim();
  const config = await pickConfig(services, issuerUrl);
  const model = config ? authenticatorOf(config) : undefined;
  const authenticator = model?.jwt.find((jwt) => !issuerUrl || jwt.issuer.url === issuerUrl) ?? model?.jwt[0];
  if (!issuerUrl && authenticator) issuerUrl = authenticator.issuer.url;
  if (!clientId && authenticator && authenticator.issuer.audiences.length > 0)
    clientId = authenticator.issuer.audiences[0];

  if (!issuerUrl) {
    issuerUrl =
      (
        await vscode.window.showInputBox({
          title: 'Test login: issuer URL',
          prompt:
            'The OpenID provider’s issuer, exactly as the API server will be given it (Pocket-ID: its APP_URL, no trailing slash)',
          placeHolder: 'https://id.example.com',
          ignoreFocusOut: true,
          validateInput: describeIssuerUrlProblem,
        })
      )?.trim() ?? '';
    if (!issuerUrl) return undefined;
  }
  if (!clientId) {
    clientId =
      (
        await vscode.window.showInputBox({
          title: 'Test login: client ID',
          prompt:
            'The OIDC client’s ID at the provider (Pocket-ID: a UUID), the same as the API server’s oidc-client-id',
          ignoreFocusOut: true,
          validateInput: (value) => (value.trim() ? undefined : 'Enter the client ID'),
        })
      )?.trim() ?? '';
    if (!clientId) return undefined;
  }
  return { issuerUrl, clientId, configFile: config?.file, model };
}

/** The Talos config in use: the active editor's when it configures OIDC, else one from the workspace. */
async function pickConfig(services: ExtensionServices, issuerUrl: string): Promise<ParsedFile | undefined> {
  const active = vscode.window.activeTextEditor?.document;
  if (active) {
    const parsed = await services.workspace.parsed(active.uri);
    if (parsed && authenticatorOf(parsed)) return parsed;
  }
  const configs = services.workspace.authConfigs().filter((parsed) => authenticatorOf(parsed) !== undefined);
  const matching = issuerUrl
    ? configs.filter((parsed) => authenticatorOf(parsed)?.jwt.some((jwt) => jwt.issuer.url === issuerUrl))
    : configs;
  const candidates = matching.length > 0 ? matching : configs;
  if (candidates.length <= 1) return candidates[0];
  const picked = await vscode.window.showQuickPick(
    candidates.map((parsed) => ({
      label: vscode.workspace.asRelativePath(uriOfKey(parsed.file), false),
      description: authenticatorOf(parsed)
        ?.jwt.map((jwt) => jwt.issuer.url)
        .join(', '),
      parsed,
    })),
    { title: 'Test login: which Talos config should judge the token?', ignoreFocusOut: true },
  );
  return picked?.parsed;
}
