/**
 * The claims webview: what the API server will do with the token just obtained, the workspace
 * bindings for that identity, the claims, and the actions that follow from them.
 *
 * The raw ID token lives only in this object's memory. The webview persists its state (through
 * `setState`, which VS Code writes to disk) so it survives a reload; that state never holds the
 * token, which is why a revived panel cannot reveal it and says so.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { getPreset, isProviderId, type ProviderPreset } from '../../core/providers/presets';
import { generateClusterRoleBinding, kubeloginSetupCommand, setupWithDefaults } from '../../core/generate/index';
import type { TokenReview } from '../../core/authn/types';
import type { ParsedFile } from '../../core/workspace/types';
import {
  CLAIMS_VIEW_TYPE,
  parseWebviewMessage,
  type ClaimsViewState,
  type ExtensionToWebview,
  type PreflightItemView,
  type WebviewToExtension,
} from '../../webview/claims/protocol';
import { payloadJson } from '../../webview/claims/viewModel';
import { uriOfKey } from '../convert';
import { DisposableOwner } from '../lifecycle';
import type { AddKubeconfigUserArgument } from '../kubeconfig/addKubeconfigUserCommand';
import type { ExtensionServices } from '../services';
import { authenticatorOf, reviewAgainst } from './review';
import { buildVerdict, decisiveClaimsOf, matchBindings, rawGroups } from './viewState';
import { COMMAND } from '../commandIds';
import { isRecord } from '../../core/data/record';

/** A login to show: the verified token's content, and the token itself while this window lives. */
export interface LoginDisplay {
  issuerUrl: string;
  clientId: string;
  /** Scopes requested, `openid` included. */
  scopes: string[];
  claims: Record<string, unknown>;
  header: Record<string, unknown>;
  /** The compact ID token; undefined after a reload (it is never written to disk). */
  idToken?: string;
  /** Whether the login verified the token (signature, issuer, audience, expiry, nonce). */
  verification: { verified: boolean; error?: string };
  preflight: PreflightItemView[];
  /** Epoch milliseconds. */
  receivedAt: number;
}

export interface ShowOptions {
  /** The Talos config to review against (a file key); otherwise the best match in the workspace. */
  configFile?: string;
}

export class ClaimsPanel extends DisposableOwner {
  private state: ClaimsViewState | undefined;
  private revision = 0;
  private configFile: string | undefined;
  private webviewReady = false;
  private renderedRevision = -1;
  private readonly posted = this.register(new vscode.EventEmitter<ExtensionToWebview>());
  /** Every message sent to the webview (tests watch the protocol through it). */
  readonly onDidPostMessage = this.posted.event;
  private readonly renderedEmitter = this.register(new vscode.EventEmitter<number>());
  private readonly disposedEmitter = this.register(new vscode.EventEmitter<void>());
  readonly onDidDispose = this.disposedEmitter.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly services: ExtensionServices,
    private display: LoginDisplay,
    options: ShowOptions = {},
  ) {
    super();
    this.configFile = options.configFile;
    const media = vscode.Uri.joinPath(services.context.extensionUri, 'media', 'webview');
    const dist = vscode.Uri.joinPath(services.context.extensionUri, 'dist');
    panel.webview.options = { enableScripts: true, localResourceRoots: [media, dist] };
    panel.webview.html = renderHtml(panel.webview, media, dist);
    this.register(panel.webview.onDidReceiveMessage((message: unknown) => void this.handleMessage(message)));
    this.register(services.workspace.onDidChange(() => void this.refresh()));
    this.register(
      panel.onDidDispose(() => {
        this.disposedEmitter.fire();
        this.dispose();
      }),
    );
    void this.recompute();
  }

  currentState(): ClaimsViewState | undefined {
    return this.state;
  }

  /** Resolves when the webview has drawn the latest state (it answers every `state` with `rendered`). */
  whenRendered(): Promise<number> {
    if (this.renderedRevision === this.revision) return Promise.resolve(this.revision);
    return new Promise((resolve) => {
      const subscription = this.renderedEmitter.event((revision) => {
        if (revision === this.revision) {
          subscription.dispose();
          resolve(revision);
        }
      });
    });
  }

  /** Shows another login in the same panel. */
  update(display: LoginDisplay, options: ShowOptions = {}): void {
    this.display = display;
    if (options.configFile) this.configFile = options.configFile;
    void this.recompute();
  }

  /** Handles one message from the webview (public so tests can drive the protocol). */
  async handleMessage(raw: unknown): Promise<void> {
    const message = parseWebviewMessage(raw);
    if (!message) {
      this.services.log.warn('Claims view: ignored a message of unknown shape');
      return;
    }
    try {
      await this.dispatch(message);
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      this.services.log.error(`Claims view: ${message.type} failed: ${text}`);
      this.post({ type: 'notice', kind: 'error', text });
    }
  }

  private async dispatch(message: WebviewToExtension): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.webviewReady = true;
        this.postState();
        return;
      case 'rendered':
        this.renderedRevision = message.revision;
        this.renderedEmitter.fire(message.revision);
        return;
      case 'revealToken':
        if (this.display.idToken) this.post({ type: 'token', token: this.display.idToken });
        else
          this.post({
            type: 'notice',
            kind: 'info',
            text: 'The token is not kept after a reload. Log in again to see it.',
          });
        return;
      case 'copy':
        return this.copy(message.what);
      case 'addKubeconfigUser':
        return this.addKubeconfigUser();
      case 'insertBinding':
        return this.insertBinding();
      case 'loginAgain':
        await vscode.commands.executeCommand(COMMAND.testLogin);
        return;
      case 'pickConfig':
        return this.pickConfig();
      case 'openFile':
        return this.openFile(message.file, message.line);
    }
  }

  private post(message: ExtensionToWebview): void {
    this.posted.fire(message);
    void this.panel.webview.postMessage(message);
  }

  private postState(): void {
    if (this.state && this.webviewReady) this.post({ type: 'state', state: this.state });
  }

  private async refresh(): Promise<void> {
    if (this.webviewReady) await this.recompute();
  }

  /**
   * Computes the state again (the config or the workspace's bindings may have changed) and sends
   * it. Only the latest computation is applied, so a slow one cannot overwrite a newer one.
   */
  private async recompute(): Promise<void> {
    const revision = ++this.revision;
    try {
      const { state, review, configFile } = await this.computeState(revision);
      if (revision !== this.revision) return;
      this.state = state;
      // The verdict for the side panel: what this window's last login would get (no token in it).
      this.services.session.setLastLogin(
        review ? { issuerUrl: this.display.issuerUrl, configFile, review, at: Date.now() } : undefined,
      );
      this.postState();
    } catch (error) {
      this.services.log.error(
        `Claims view: could not compute the verdict: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private tokenInput() {
    return { claims: this.display.claims, header: this.display.header, compact: this.display.idToken };
  }

  private provider(): ProviderPreset | undefined {
    const id = this.services.settings().provider;
    return isProviderId(id) ? getPreset(id) : undefined;
  }

  /** The config chosen by the user, else one whose issuer is the token's, else the first one. */
  private async reviewedConfig(): Promise<ParsedFile | undefined> {
    const configs = this.services.workspace.authConfigs();
    if (this.configFile) {
      const chosen = await this.services.workspace.parsed(uriOfKey(this.configFile));
      if (chosen && authenticatorOf(chosen)) return chosen;
    }
    const withModels = configs.filter((parsed) => authenticatorOf(parsed) !== undefined);
    const tokenIssuer = this.display.claims.iss;
    return (
      withModels.find((parsed) => authenticatorOf(parsed)?.jwt.some((jwt) => jwt.issuer.url === tokenIssuer)) ??
      withModels[0]
    );
  }

  private async computeState(
    revision: number,
  ): Promise<{ state: ClaimsViewState; review?: TokenReview; configFile?: string }> {
    const now = Date.now();
    const parsed = await this.reviewedConfig();
    const outcome = parsed ? reviewAgainst(parsed, this.tokenInput(), now) : undefined;
    const config = parsed ? { file: parsed.file, label: labelOf(parsed.file) } : null;
    const verdict = buildVerdict({
      review: outcome?.review,
      model: outcome?.model,
      claims: this.display.claims,
      header: this.display.header,
      provider: this.provider(),
      config,
    });
    const authenticator = outcome
      ? (outcome.model.jwt[outcome.review.authenticatorIndex ?? 0] ?? outcome.model.jwt[0])
      : undefined;
    const groupsClaim = authenticator?.claimMappings.groups?.claim;
    // Bindings matter only for an identity the API server accepts.
    const bindings =
      verdict.status === 'accepted'
        ? matchBindings({
            username: verdict.username,
            groups: verdict.groups,
            rawGroups: rawGroups(this.display.claims, groupsClaim),
            files: this.services.workspace.index.files(),
            labelOf,
          })
        : { matches: [], advice: [] };
    const state: ClaimsViewState = {
      revision,
      issuerUrl: this.display.issuerUrl,
      clientId: this.display.clientId,
      scopes: this.display.scopes,
      receivedAt: this.display.receivedAt,
      header: this.display.header,
      claims: this.display.claims,
      decisiveClaims: decisiveClaimsOf(authenticator),
      verdict,
      bindings,
      verification: this.display.verification,
      preflight: this.display.preflight,
      kubeloginSetupCommand: kubeloginSetupCommand(this.setup()),
      tokenAvailable: this.display.idToken !== undefined,
      configCount: this.services.workspace.authConfigs().length,
    };
    return { state, review: outcome?.review, configFile: parsed?.file };
  }

  private setup() {
    const settings = this.services.settings();
    return setupWithDefaults({
      issuerUrl: this.display.issuerUrl,
      clientId: this.display.clientId,
      provider: isProviderId(settings.provider) ? settings.provider : undefined,
      extraScopes: this.display.scopes.filter((scope) => scope !== 'openid'),
      listenAddresses: settings.listenAddresses,
      clientCaFile: settings.caFile || undefined,
    });
  }

  private async copy(what: 'payload' | 'token' | 'kubeloginSetupCommand'): Promise<void> {
    if (what === 'token') {
      if (!this.display.idToken) {
        this.post({
          type: 'notice',
          kind: 'info',
          text: 'The token is not kept after a reload. Log in again to copy it.',
        });
        return;
      }
      await vscode.env.clipboard.writeText(this.display.idToken);
      this.post({
        type: 'notice',
        kind: 'info',
        text: 'Token copied. It is a credential for the cluster until it expires.',
      });
      return;
    }
    if (what === 'payload') {
      await vscode.env.clipboard.writeText(payloadJson(this.display.claims));
      this.post({ type: 'notice', kind: 'info', text: 'Payload JSON copied.' });
      return;
    }
    await vscode.env.clipboard.writeText(kubeloginSetupCommand(this.setup()));
    this.post({
      type: 'notice',
      kind: 'info',
      text: 'kubectl oidc-login setup command copied (without any client secret).',
    });
  }

  private async addKubeconfigUser(): Promise<void> {
    const settings = this.services.settings();
    const args: AddKubeconfigUserArgument = {
      issuerUrl: this.display.issuerUrl,
      clientId: this.display.clientId,
      extraScopes: this.display.scopes.filter((scope) => scope !== 'openid'),
      listenAddresses: settings.listenAddresses,
      caFile: settings.caFile || undefined,
    };
    const commands = await vscode.commands.getCommands(true);
    if (!commands.includes(COMMAND.addKubeconfigUser)) {
      throw new Error('The “Add kubeconfig user” command is not available in this version of the extension.');
    }
    await vscode.commands.executeCommand(COMMAND.addKubeconfigUser, args);
  }

  private async insertBinding(): Promise<void> {
    const state = this.state;
    const parsed = await this.reviewedConfig();
    const model = parsed ? authenticatorOf(parsed) : undefined;
    if (!state || state.verdict.groups.length === 0) {
      throw new Error(
        'The token carries no groups, so there is no group to bind. Add the user to a group at the provider and request the groups scope, then log in again.',
      );
    }
    const authenticator = model?.jwt[0];
    const prefix = authenticator?.claimMappings.groups?.prefix ?? '';
    const adminGroup = this.services.settings().adminGroup;
    const groups = state.verdict.groups;
    const preferred = groups.find((group) => group === `${prefix}${adminGroup}`);
    const group =
      groups.length === 1
        ? groups[0]
        : (
            await vscode.window.showQuickPick(
              [...groups].sort((a, b) => Number(b === preferred) - Number(a === preferred)).map((label) => ({ label })),
              { title: 'Bind which group?', placeHolder: 'The group, as the API server reports it' },
            )
          )?.label;
    if (!group) return;
    const role = await vscode.window.showQuickPick(
      [
        { label: 'cluster-admin', description: 'full control of the cluster: every member of the group' },
        { label: 'admin', description: 'read/write in every namespace, including RBAC' },
        { label: 'edit', description: 'read/write in every namespace, no RBAC' },
        { label: 'view', description: 'read-only' },
      ],
      { title: `ClusterRole for ${group}` },
    );
    if (!role) return;
    const rawGroup = prefix && group.startsWith(prefix) ? group.slice(prefix.length) : group;
    const setup = setupWithDefaults({
      issuerUrl: this.display.issuerUrl,
      clientId: this.display.clientId,
      groupsPrefix: group === rawGroup ? '' : prefix,
      adminGroup: rawGroup,
    });
    const document = await vscode.workspace.openTextDocument({
      language: 'yaml',
      content: generateClusterRoleBinding(setup, { role: role.label }),
    });
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside });
  }

  private async pickConfig(): Promise<void> {
    const configs = this.services.workspace.authConfigs().filter((parsed) => authenticatorOf(parsed) !== undefined);
    if (configs.length === 0)
      throw new Error('No Talos config, patch or AuthenticationConfiguration with OIDC settings in the workspace.');
    const picked = await vscode.window.showQuickPick(
      configs.map((parsed) => ({
        label: labelOf(parsed.file),
        description: authenticatorOf(parsed)
          ?.jwt.map((jwt) => jwt.issuer.url)
          .join(', '),
        file: parsed.file,
      })),
      { title: 'Review the token against which API server configuration?' },
    );
    if (!picked) return;
    this.configFile = picked.file;
    await this.recompute();
  }

  /** Opens only files the view shows (the webview is not trusted to name arbitrary paths). */
  private async openFile(file: string, line?: number): Promise<void> {
    const known = new Set([
      ...(this.state?.bindings.matches.map((match) => match.file) ?? []),
      this.state?.verdict.config?.file,
    ]);
    if (!known.has(file)) return;
    const editor = await vscode.window.showTextDocument(uriOfKey(file), { viewColumn: vscode.ViewColumn.Beside });
    if (line !== undefined) {
      const position = new vscode.Position(line, 0);
      editor.selection = new vscode.Selection(position, position);
      editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenter);
    }
  }
}

function labelOf(file: string): string {
  return vscode.workspace.asRelativePath(uriOfKey(file), false);
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The page holds no value from the token: everything arrives by message after `ready`. */
function renderHtml(webview: vscode.Webview, media: vscode.Uri, dist: vscode.Uri): string {
  const nonce = randomBytes(18).toString('base64');
  const style = webview.asWebviewUri(vscode.Uri.joinPath(media, 'claims.css')).toString();
  const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview-claims.js')).toString();
  const csp = [
    `default-src 'none'`,
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(style)}">
<title>Test login</title>
</head>
<body>
<main>
<div id="notice" class="notice" role="status" aria-live="polite"></div>
<div id="root"><p class="loading muted">Loading the login result…</p></div>
</main>
<script nonce="${escapeAttribute(nonce)}" src="${escapeAttribute(script)}"></script>
</body>
</html>`;
}

/** One panel at a time: a new login replaces the shown one. */
export class ClaimsPanels extends DisposableOwner {
  private current: ClaimsPanel | undefined;

  constructor(private readonly services: ExtensionServices) {
    super();
    this.register({ dispose: () => this.current?.panel.dispose() });
  }

  show(display: LoginDisplay, options: ShowOptions = {}): ClaimsPanel {
    if (this.current) {
      this.current.panel.title = titleOf(display);
      this.current.update(display, options);
      this.current.panel.reveal(undefined, false);
      return this.current;
    }
    const panel = vscode.window.createWebviewPanel(CLAIMS_VIEW_TYPE, titleOf(display), vscode.ViewColumn.Active, {
      enableScripts: true,
    });
    return this.adopt(new ClaimsPanel(panel, this.services, display, options));
  }

  /** Revives a panel after a reload from the state the webview kept (which has no token). */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, kept: unknown): Promise<void> {
    const state = asKeptState(kept);
    if (!state) {
      panel.webview.html = `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head><body><p>Run “Talos OIDC: Test Login” to see a login here.</p></body></html>`;
      return;
    }
    this.current?.panel.dispose();
    const display: LoginDisplay = {
      issuerUrl: state.issuerUrl,
      clientId: state.clientId,
      scopes: state.scopes,
      claims: state.claims,
      header: state.header,
      verification:
        state.verification?.verified === true
          ? { verified: true }
          : { verified: false, error: state.verification?.error },
      preflight: Array.isArray(state.preflight) ? state.preflight : [],
      receivedAt: state.receivedAt,
    };
    this.adopt(new ClaimsPanel(panel, this.services, display, { configFile: state.verdict?.config?.file }));
  }

  private adopt(panel: ClaimsPanel): ClaimsPanel {
    this.current = panel;
    panel.onDidDispose(() => {
      if (this.current === panel) this.current = undefined;
    });
    return panel;
  }
}

function titleOf(display: LoginDisplay): string {
  const who =
    typeof display.claims.preferred_username === 'string'
      ? display.claims.preferred_username
      : typeof display.claims.sub === 'string'
        ? display.claims.sub
        : '';
  return who ? `Test login: ${who}` : 'Test login';
}

/** The kept state is read back from disk: check what the panel relies on. */
function asKeptState(value: unknown): ClaimsViewState | undefined {
  if (!isRecord(value)) return undefined;
  if (typeof value.issuerUrl !== 'string' || typeof value.clientId !== 'string') return undefined;
  if (!isRecord(value.claims) || !isRecord(value.header)) return undefined;
  if (!Array.isArray(value.scopes) || typeof value.receivedAt !== 'number') return undefined;
  return value as unknown as ClaimsViewState;
}
