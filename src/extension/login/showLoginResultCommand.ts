import type { PreflightItemView } from '../../webview/claims/protocol';
import { argumentObject, stringArg, UserError, type Command } from '../commands/commandManager';
import { type ClaimsPanels, type ClaimsPanel, type LoginDisplay } from './claimsPanel';
import { COMMAND } from '../commandIds';
import { isRecord } from '../../core/data/record';

/**
 * Opens the claims view for a login result given as an argument (the command line's JSON, or a
 * test). Returns the panel so a caller in the extension host can follow the message protocol.
 */
export class ShowLoginResultCommand implements Command {
  readonly id = COMMAND.showLoginResult;
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
