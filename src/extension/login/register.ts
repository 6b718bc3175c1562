/**
 * The test login feature: the login command, the client secret commands, and the claims webview
 * (with its serializer). The login machinery lives in dist/lazy-login.js, required on first use,
 * so activating the extension never loads openid-client.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PreflightItemView } from '../../webview/claims/protocol';
import { argumentObject, CommandManager, stringArg, UserError, type Command } from '../commands/commandManager';
import type { ExtensionServices } from '../services';
import { ClaimsPanels, type ClaimsPanel, type LoginDisplay } from './claimsPanel';
import type { LazyLoginModule } from './lazyApi';
import { resolveLoginTarget, TestLoginCommand } from './loginCommand';
import { isRecord } from '../../core/data/record';

export function registerLoginFeature(services: ExtensionServices): vscode.Disposable {
  const panels = new ClaimsPanels(services);
  const commands = new CommandManager(services.log);
  let loaded: LazyLoginModule | undefined;
  const loadLogin = (): LazyLoginModule => {
    // A plain require of a file beside the extension bundle: esbuild leaves it alone.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded ??= require(path.join(services.context.extensionPath, 'dist', 'lazy-login.js')) as LazyLoginModule;
    return loaded;
  };
  commands.add(new TestLoginCommand(services, panels, loadLogin));
  commands.add(new StoreClientSecretCommand(services));
  commands.add(new DeleteClientSecretCommand(services));
  commands.add(new ShowLoginResultCommand(panels));
  return vscode.Disposable.from(commands, panels);
}

/** Stores a confidential client's secret in VS Code's secret storage (never in settings). */
class StoreClientSecretCommand implements Command {
  readonly id = 'talosOidc.storeClientSecret';
  constructor(private readonly services: ExtensionServices) {}

  async execute(): Promise<void> {
    const target = await resolveLoginTarget(this.services, this.services.settings());
    if (!target) return;
    const secret = await vscode.window.showInputBox({
      title: `Client secret for ${target.clientId}`,
      prompt:
        'Stored in VS Code’s secret storage (the OS keychain), never in settings. A public client with PKCE needs no secret and is the safer choice: nothing to leak.',
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() ? undefined : 'Enter the secret, or press Escape'),
    });
    if (!secret) return;
    await this.services.secrets.set(target.issuerUrl, target.clientId, secret.trim());
    void vscode.window.showInformationMessage(`Talos OIDC: client secret stored for ${target.clientId}.`);
  }
}

class DeleteClientSecretCommand implements Command {
  readonly id = 'talosOidc.deleteClientSecret';
  constructor(private readonly services: ExtensionServices) {}

  async execute(): Promise<void> {
    const target = await resolveLoginTarget(this.services, this.services.settings());
    if (!target) return;
    await this.services.secrets.delete(target.issuerUrl, target.clientId);
    void vscode.window.showInformationMessage(
      `Talos OIDC: no client secret stored for ${target.clientId} now; the test login runs as a public client with PKCE.`,
    );
  }
}

/**
 * Opens the claims view for a login result given as an argument (the command line's JSON, or a
 * test). Returns the panel so a caller in the extension host can follow the message protocol.
 */
class ShowLoginResultCommand implements Command {
  readonly id = 'talosOidc.showLoginResult';
  constructor(private readonly panels: ClaimsPanels) {}

  execute(argument: unknown, options?: unknown): ClaimsPanel {
    const display = toLoginDisplay(argument);
    return this.panels.show(display, { configFile: stringArg(argumentObject(options), 'configFile') });
  }
}

/** Checks a login result handed over as plain data. */
export function toLoginDisplay(argument: unknown): LoginDisplay {
  const args = argumentObject(argument);
  const issuerUrl = stringArg(args, 'issuerUrl');
  const clientId = stringArg(args, 'clientId');
  if (!issuerUrl || !clientId) throw new UserError('A login result needs issuerUrl and clientId.');
  if (!isRecord(args.claims)) throw new UserError('A login result needs the token’s claims as an object.');
  const scopes = Array.isArray(args.scopes)
    ? args.scopes.filter((scope): scope is string => typeof scope === 'string')
    : ['openid'];
  const preflight = Array.isArray(args.preflight) ? args.preflight.filter(isPreflightItem) : [];
  return {
    issuerUrl,
    clientId,
    scopes,
    claims: args.claims,
    header: isRecord(args.header) ? args.header : {},
    idToken: stringArg(args, 'idToken'),
    // Only a result that says it was verified is shown as verified.
    verification:
      args.verified === true
        ? { verified: true }
        : {
            verified: false,
            error: stringArg(args, 'verificationError') ?? 'the token was not verified by this window',
          },
    preflight,
    receivedAt: typeof args.receivedAt === 'number' ? args.receivedAt : Date.now(),
  };
}

function isPreflightItem(value: unknown): value is PreflightItemView {
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    typeof value.title === 'string' &&
    (value.status === 'passed' || value.status === 'failed' || value.status === 'skipped')
  );
}
