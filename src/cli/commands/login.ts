/**
 * `talos-oidc login`: the test login on the command line. Preflight checks, a browser login
 * (authorization code + PKCE, loopback callback like kubelogin's), ID token verification, and
 * the API server's verdict on the token when a config is given.
 * Tokens are never printed: only the decoded header and claims.
 */
import { spawn } from 'node:child_process';
import { talosAuthenticator } from '../../core/talos/authenticator';
import { reviewToken } from '../../core/authn/review';
import type { AuthenticatorModel, TokenReview } from '../../core/authn/types';
import {
  createFetch,
  DEFAULT_REQUEST_TIMEOUT_MS,
  LoginError,
  parseListenAddress,
  preflight,
  runLogin,
  type LoginResult,
  type PreflightCheck,
} from '../../core/login/index';
import { parseYamlFile } from '../../core/workspace/parse';
import { parseArgs, parseFormat, requireFlag } from '../args';
import { ExitCode, InputError, UsageError, type Command, type CommandIo } from '../command';
import { readTextFile } from '../input';
import { issuerUrlProblem } from '../../core/authn/issuerUrl';
import { hasPemCertificate } from '../../core/text/pem';

/** One line of the `checks` array in the JSON output. */
export interface LoginCheckRecord {
  id: string;
  ok: boolean;
  message: string;
}

export interface LoginJsonOutput {
  claims: Record<string, unknown> | null;
  header: Record<string, unknown> | null;
  review: Pick<TokenReview, 'authenticated' | 'username' | 'groups' | 'error'> | null;
  checks: LoginCheckRecord[];
}

const SECRET_ENV = 'TALOS_OIDC_CLIENT_SECRET';

const FLAGS = {
  issuer: 'string',
  'client-id': 'string',
  'client-secret': 'string',
  'client-secret-file': 'string',
  'allow-non-loopback-redirect': 'boolean',
  config: 'string',
  'listen-address': 'list',
  'redirect-url': 'string',
  'extra-scope': 'list',
  'ca-file': 'string',
  'no-browser': 'boolean',
  timeout: 'string',
  format: 'string',
} as const;

/** How the command opens a URL; tests replace it. */
export type BrowserOpener = (url: string) => Promise<void>;

export const loginCommand: Command & { openBrowser: BrowserOpener } = {
  name: 'login',
  summary: "Log in at the OpenID provider in the browser and show the token and the API server's verdict",
  usage: `Usage: talos-oidc login --issuer URL --client-id ID [options]

Checks the provider (discovery over TLS, exact issuer, signing algorithms, keys, groups
scope, PKCE), opens the browser for an authorization code login with PKCE, waits for
the callback on a loopback address, verifies the ID token (signature, issuer, audience,
expiry, nonce) and, with --config, predicts what the API server does with it.
The authorization URL is printed on standard error.

Options:
  --issuer URL                 the provider's issuer URL, exactly as the API server has it
  --client-id ID               the OIDC client ID (Pocket-ID: a UUID)
  --client-secret-file FILE    only for confidential clients: the secret from a file
                               ('-' reads standard input), or set ${SECRET_ENV};
                               a public client with PKCE needs none and is safer
  --client-secret S            the same on the command line, where other users of the
                               machine can read it (ps); prefer the file or variable
  --config FILE                Talos config, patch or AuthenticationConfiguration to review
                               the token against
  --listen-address HOST:PORT   callback addresses tried in order, repeatable or comma-
                               separated (default 127.0.0.1:8000,127.0.0.1:18000)
  --redirect-url URL           redirect URI to send (default http://localhost:<bound port>,
                               as kubelogin sends it; register it at the provider)
  --allow-non-loopback-redirect  accept a redirect URL or listen address that is not
                               this machine's loopback (the code then crosses the network)
  --extra-scope S              scope besides openid, repeatable or comma-separated
                               (for groups with Pocket-ID: --extra-scope groups)
  --ca-file PEM                CA that signed the provider's certificate
  --no-browser                 only print the URL, do not open a browser
  --timeout SECONDS            how long to wait for the login (default 180)
  --format text|json           json: {claims, header, review, checks}
Exit status: 0 the login worked, every check passed and the review (with --config)
accepts the token; 1 otherwise; 2 bad usage or unreadable input.`,

  openBrowser: openWithSystemBrowser,

  async run(args, io) {
    const { flags, positionals, help } = parseArgs(args, FLAGS);
    if (help) {
      io.stdout(`${this.usage}\n`);
      return ExitCode.ok;
    }
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const format = parseFormat(flags.format);
    const issuerUrl = requireFlag(flags.issuer, 'issuer');
    const clientId = requireFlag(flags['client-id'], 'client-id');
    // A URL the API server would refuse is reported by the preflight with the rest of its checklist;
    // only one nothing can be fetched from stops here.
    const issuerProblem = issuerUrlProblem(issuerUrl);
    if (issuerProblem?.kind === 'unusable') {
      throw new UsageError(`option '--issuer': ${issuerProblem.message} ${issuerProblem.fix}`);
    }
    const clientSecret = await readClientSecret(flags['client-secret'], flags['client-secret-file'], io);
    const listenAddresses = splitList(flags['listen-address']);
    for (const address of listenAddresses) {
      try {
        parseListenAddress(address);
      } catch (error) {
        throw new UsageError(`option '--listen-address': ${(error as Error).message}`);
      }
    }
    const redirectUrl = flags['redirect-url'];
    if (redirectUrl !== undefined && !/^http:\/\/[^\s]+$/.test(redirectUrl)) {
      throw new UsageError(
        `option '--redirect-url' must be an http loopback URL such as http://localhost:8000 (got '${redirectUrl}')`,
      );
    }
    let timeoutMs: number | undefined;
    if (flags.timeout !== undefined) {
      const seconds = Number(flags.timeout);
      if (!Number.isFinite(seconds) || seconds <= 0)
        throw new UsageError(`option '--timeout' must be a positive number of seconds (got '${flags.timeout}')`);
      timeoutMs = seconds * 1000;
    }
    const caPem = flags['ca-file'] === undefined ? undefined : await readCaFile(flags['ca-file'], io);
    // Every request (discovery, keys, token) gives up within the login's own timeout, at most 30 s.
    const fetch = createFetch({
      caPem,
      timeoutMs: Math.min(DEFAULT_REQUEST_TIMEOUT_MS, timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS),
    });
    const model = flags.config === undefined ? undefined : await readAuthenticator(flags.config, io);
    const authenticator = model?.jwt.find((jwt) => jwt.issuer.url === issuerUrl) ?? model?.jwt[0];

    const checks = await preflight({
      issuerUrl,
      caPem,
      signingAlgs: model?.signingAlgs ?? ['RS256'],
      groupsClaim: authenticator?.claimMappings.groups?.claim,
      signal: io.signal,
      fetch,
    });
    const records: LoginCheckRecord[] = checks.map(toCheckRecord);
    // The checklist comes before the browser opens, so a failed check is read first.
    if (format === 'text') printChecks(io, checks);
    const discoveryWorks = checks.some((check) => check.id === 'discovery' && check.status === 'passed');

    let result: LoginResult | undefined;
    let failure: LoginError | Error | undefined;
    if (!discoveryWorks)
      failure = new Error(
        "The login was not started: the provider's discovery document cannot be read (see the checks).",
      );
    else {
      try {
        result = await runLogin(
          {
            issuerUrl,
            clientId,
            clientSecret,
            extraScopes: splitList(flags['extra-scope']),
            listenAddresses,
            redirectUrl,
            caPem,
            timeoutMs,
            signal: io.signal,
            fetch,
            allowNonLoopbackRedirect: flags['allow-non-loopback-redirect'] === true,
          },
          {
            onWarning: (message) => io.stderr(`Warning: ${message}\n`),
            onListening: (info) => {
              for (const skipped of info.skipped)
                io.stderr(`${skipped.address} is ${skipped.reason}; using ${info.address}.\n`);
              io.stderr(
                `Waiting for the login callback on ${info.redirectUri} (register this callback URL at the provider).\n`,
              );
              io.stderr(`Open this URL to log in:\n\n  ${info.authorizationUrl}\n\n`);
            },
            openBrowser: async (url) => {
              if (flags['no-browser']) return;
              try {
                await this.openBrowser(url);
              } catch (error) {
                io.stderr(`Could not open a browser (${(error as Error).message}); open the URL above yourself.\n`);
              }
            },
          },
        );
      } catch (error) {
        failure = error instanceof Error ? error : new Error(String(error));
      }
    }

    if (result) {
      records.push({
        id: 'id-token',
        ok: result.verified,
        message: result.verified
          ? `The ID token's signature, issuer, audience, expiry and nonce check out (${String(result.header.alg)}, kid ${String(result.header.kid ?? 'none')}).`
          : `The ID token failed verification: ${result.verificationError}`,
      });
    } else if (failure) {
      const fix = failure instanceof LoginError && failure.fix ? ` Fix: ${failure.fix}` : '';
      records.push({ id: 'login', ok: false, message: `${failure.message}${fix}` });
    }

    const review =
      result && model
        ? reviewToken(
            model,
            { claims: result.claims, header: result.header, compact: result.idToken },
            Math.floor(Date.now() / 1000),
          )
        : undefined;
    const output: LoginJsonOutput = {
      claims: result?.claims ?? null,
      header: result?.header ?? null,
      review: review
        ? { authenticated: review.authenticated, username: review.username, groups: review.groups, error: review.error }
        : null,
      checks: records,
    };

    if (format === 'json') io.stdout(`${JSON.stringify(output, null, 2)}\n`);
    else printResult(io, records, result, review, flags.config);
    if (failure) io.stderr(`talos-oidc login: ${failure.message}\n`);

    const cancelled = failure instanceof LoginError && failure.code === 'cancelled';
    if (cancelled || !result) return ExitCode.failed;
    const accepted = !review || review.authenticated === true;
    return result.verified && accepted && records.every((record) => record.ok) ? ExitCode.ok : ExitCode.failed;
  },
};

function splitList(values: string[]): string[] {
  return values
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter(Boolean);
}

function toCheckRecord(check: PreflightCheck): LoginCheckRecord {
  const message = check.status === 'skipped' ? `Skipped: ${check.message}` : check.message;
  return { id: check.id, ok: check.status !== 'failed', message: check.fix ? `${message} Fix: ${check.fix}` : message };
}

/** The client secret from a file, standard input or the environment; from the flag with a warning. */
async function readClientSecret(
  flag: string | undefined,
  file: string | undefined,
  io: CommandIo,
): Promise<string | undefined> {
  if (flag !== undefined && file !== undefined)
    throw new UsageError("give either '--client-secret' or '--client-secret-file', not both");
  if (file !== undefined) {
    const text = file === '-' ? await io.readStdin() : await readTextFile(file, io.cwd);
    const secret = text.replace(/\r?\n$/, '');
    if (!secret) throw new InputError(`${file === '-' ? 'standard input' : file}: the client secret is empty`);
    return secret;
  }
  if (flag !== undefined) {
    io.stderr(
      `Warning: --client-secret puts the secret on the command line, where other users of this machine can read it (ps, shell history). Use --client-secret-file FILE, --client-secret-file - (standard input) or ${SECRET_ENV}.\n`,
    );
    return flag;
  }
  return io.env[SECRET_ENV] || undefined;
}

async function readCaFile(file: string, io: CommandIo): Promise<string> {
  const text = await readTextFile(file, io.cwd);
  if (!hasPemCertificate(text))
    throw new InputError(`${file}: no PEM certificate (expected -----BEGIN CERTIFICATE-----)`);
  return text;
}

async function readAuthenticator(file: string, io: CommandIo): Promise<AuthenticatorModel> {
  const parsed = parseYamlFile(file, await readTextFile(file, io.cwd));
  if (parsed.kinds.size === 0 && parsed.yamlProblems.length > 0) {
    const problem = parsed.yamlProblems[0];
    throw new InputError(
      `${file}:${problem.range.start.line + 1}:${problem.range.start.character + 1}: not valid YAML: ${problem.message.split('\n')[0]}`,
    );
  }
  const { model, problems } = talosAuthenticator(parsed);
  if (!model || model.jwt.length === 0) {
    throw new InputError(
      `${file}: no OIDC settings found (neither oidc-* API server flags nor an AuthenticationConfiguration with jwt issuers)`,
    );
  }
  for (const problem of problems.filter((p) => p.fatal)) {
    io.stderr(
      `${file}:${problem.range.start.line + 1}: the API server would refuse this configuration: ${problem.message}\n`,
    );
  }
  return model;
}

function printChecks(io: CommandIo, checks: PreflightCheck[]): void {
  io.stdout('Checks\n');
  for (const check of checks) {
    io.stdout(`  ${check.status.padEnd(7)} ${check.title}: ${check.message}\n`);
    if (check.fix) io.stdout(`          fix: ${check.fix}\n`);
  }
}

function printResult(
  io: CommandIo,
  records: LoginCheckRecord[],
  result: LoginResult | undefined,
  review: TokenReview | undefined,
  configFile: string | undefined,
): void {
  const login = records.find((record) => record.id === 'login');
  if (login) io.stdout(`\nLogin failed: ${login.message}\n`);
  if (!result) return;
  io.stdout(
    result.verified
      ? `\nID token: verified (${String(result.header.alg)}, kid ${String(result.header.kid ?? 'none')})\n`
      : `\nID token: NOT verified: ${result.verificationError}\n`,
  );
  io.stdout(`Claims:\n${JSON.stringify(result.claims, null, 2).replace(/^/gm, '  ')}\n`);
  if (!review) {
    io.stdout('\nNo --config given: no prediction of what the API server does with this token.\n');
    return;
  }
  io.stdout(`\nAPI server (per ${configFile}): `);
  if (review.authenticated === true) {
    io.stdout(
      `accepted as "${review.username}"${review.groups.length ? ` in groups ${review.groups.map((g) => `"${g}"`).join(', ')}` : ' with no groups'}\n`,
    );
  } else if (review.authenticated === false) io.stdout(`rejected: ${review.error}\n`);
  else io.stdout(`cannot be predicted: ${review.error}\n`);
  for (const note of review.notes ?? []) io.stdout(`  note: ${note}\n`);
}

/**
 * Opens the URL in the desktop's browser (xdg-open, open; on Windows the URL protocol handler,
 * which unlike `cmd /c start` needs no quoting of the `&` in the URL). Rejects when the opener
 * cannot be run; the URL is on stderr either way.
 */
export function openWithSystemBrowser(url: string): Promise<void> {
  // Only web pages: the Windows protocol handler and xdg-open would also open a file: URL or run a handler.
  let scheme: string;
  try {
    scheme = new URL(url).protocol;
  } catch {
    return Promise.reject(new Error(`not a URL: ${url}`));
  }
  if (scheme !== 'https:' && scheme !== 'http:')
    return Promise.reject(new Error(`refusing to open a ${scheme} URL in the browser`));
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['rundll32', ['url.dll,FileProtocolHandler', url]]
        : ['xdg-open', [url]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.once('error', (error) =>
      reject(new Error(`${command}: ${(error as NodeJS.ErrnoException).code ?? error.message}`)),
    );
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
