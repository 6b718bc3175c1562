/**
 * Entry point of dist/lazy-login.js: the login core (oauth4webapi and the loopback listener)
 * behind the small contract in src/extension/login/lazyApi.ts. The extension `require`s this
 * bundle on the first test login, so activation never loads it.
 */
import { readFile } from 'node:fs/promises';
import { LoginError, preflight as runPreflight, runLogin } from '../../core/login/index';
import type {
  LazyLoginModule,
  LoginHooks,
  LoginOutcome,
  LoginProblem,
  LoginRequest,
  PreflightReport,
} from '../login/lazyApi';
import { hasPemCertificate } from '../../core/text/pem';

/** The PEM text of the configured CA file, or a clear error naming the setting. */
async function readCa(caFile: string): Promise<string | undefined> {
  if (!caFile.trim()) return undefined;
  try {
    const text = await readFile(caFile.trim(), 'utf8');
    if (!hasPemCertificate(text)) {
      throw new LoginError('invalid-options', `The CA file ${caFile} holds no PEM certificate.`, {
        fix: 'Point the setting talosOidc.caFile at the PEM file of the CA that signed the issuer’s certificate.',
      });
    }
    return text;
  } catch (error) {
    if (error instanceof LoginError) throw error;
    throw new LoginError(
      'invalid-options',
      `The CA file ${caFile} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}).`,
      {
        fix: 'Fix the setting talosOidc.caFile, or clear it when the issuer’s certificate is publicly trusted.',
      },
    );
  }
}

export async function preflight(request: LoginRequest, signal: AbortSignal): Promise<PreflightReport> {
  const checks = await runPreflight({
    issuerUrl: request.issuerUrl,
    caPem: await readCa(request.caFile),
    signingAlgs: request.signingAlgs,
    groupsClaim: request.groupsClaim,
    signal,
  });
  return {
    items: checks.map((check) => ({
      id: check.id,
      status: check.status,
      title: check.title,
      detail: [check.message, check.fix].filter(Boolean).join(' '),
    })),
  };
}

export async function login(request: LoginRequest, hooks: LoginHooks): Promise<LoginOutcome> {
  const scopes = ['openid', ...request.extraScopes.filter((scope) => scope !== 'openid')];
  const result = await runLogin(
    {
      issuerUrl: request.issuerUrl,
      clientId: request.clientId,
      clientSecret: request.clientSecret,
      extraScopes: scopes.slice(1),
      listenAddresses: request.listenAddresses,
      redirectUrl: request.redirectUrl.trim() || undefined,
      caPem: await readCa(request.caFile),
      timeoutMs: request.timeoutSeconds > 0 ? request.timeoutSeconds * 1000 : undefined,
      signal: hooks.signal,
    },
    {
      openBrowser: hooks.openBrowser,
      onListening: (info) => {
        const busy = info.skipped.length ? ` (${info.skipped.map((skip) => skip.address).join(', ')} busy)` : '';
        hooks.report(`Log in in the browser; waiting for the callback on ${info.redirectUri}${busy}`);
      },
    },
  );
  // Only the ID token goes on: the access and refresh tokens are dropped here, unused.
  return {
    idToken: result.idToken,
    claims: result.claims,
    header: result.header,
    scopes,
    redirectUri: result.redirectUri,
    verified: result.verified,
    verificationError: result.verificationError,
  };
}

export function describeFailure(error: unknown): LoginProblem {
  if (error instanceof LoginError)
    return { message: error.message, fix: error.fix, cancelled: error.code === 'cancelled' };
  if (error instanceof Error && error.name === 'AbortError')
    return { message: 'The login was cancelled.', cancelled: true };
  return { message: error instanceof Error ? error.message : String(error) };
}

// Checked here so that a change of the contract breaks the build, not the first login.
const contract: LazyLoginModule = { preflight, login, describeFailure };
void contract;
