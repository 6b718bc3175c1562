import {
  decodeTokenInput,
  parseJwks,
  reviewToken,
  type JsonWebKeySet,
  type TokenInput,
  type TokenReview,
} from '../../core/authn/index';
import { talosAuthenticator } from '../../core/talos/authenticator';
import { parseYamlFile } from '../../core/workspace/parse';
import { parseArgs, parseFormat, requireFlag } from '../args';
import { ExitCode, InputError, UsageError, type Command } from '../command';
import { readTextFile } from '../input';

export interface ReviewTokenOutput {
  authenticated: boolean | null;
  username: string | null;
  groups: string[];
  error: string | null;
}

function parseNow(value: string | undefined): number {
  if (value === undefined) return Math.floor(Date.now() / 1000);
  if (!/^-?\d+(\.\d+)?$/.test(value.trim()))
    throw new UsageError(`option '--now' must be a time in Unix seconds (got '${value}')`);
  return Number(value);
}

export const reviewTokenCommand: Command = {
  name: 'review-token',
  summary: 'Predict what the API server does with a token: accepted or not, username, groups, error',
  usage: `Usage: talos-oidc review-token --config <file> --claims <file|-> [--jwks <file>] [--now <unix seconds>] [--format text|json]

Predicts what kube-apiserver's OIDC authenticator does with a token, following its rules
to the letter (issuer pre-check, audience, expiry, email_verified, claims, prefixes).

Options:
  --config FILE     a Talos machine config (either layout), a Talos patch, or an
                    AuthenticationConfiguration file
  --claims FILE|-   the token's claims as JSON, or a compact JWT (decoded, NOT verified:
                    its signature is not checked; its header's alg is checked against the
                    allowed signing algorithms as the API server does); - reads stdin.
                    Text that is no compact JWT (two or five parts) is not authenticated,
                    as in the API server.
  --jwks FILE       the issuer's JSON Web Key Set (the document at its jwks_uri): the
                    JWT's signature is then verified as the API server does
  --now SECONDS     the time to judge expiry at (default: now)
  --format text|json
                    json: {"authenticated": true|false|null, "username", "groups", "error"}
                    (null: cannot be predicted, the error says why)
Exit status: 0 accepted, 1 rejected or cannot be predicted, 2 bad usage or unreadable input.`,
  async run(args, io) {
    const { flags, positionals, help } = parseArgs(args, {
      config: 'string',
      claims: 'string',
      jwks: 'string',
      now: 'string',
      format: 'string',
    });
    if (help) {
      io.stdout(`${this.usage}\n`);
      return ExitCode.ok;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const configFile = requireFlag(flags.config, 'config');
    const claimsSource = requireFlag(flags.claims, 'claims');
    const format = parseFormat(flags.format);
    const now = parseNow(flags.now);

    const configText = await readTextFile(configFile, io.cwd);
    const parsed = parseYamlFile(configFile, configText);
    const { model, problems } = talosAuthenticator(parsed);
    if (!model) {
      const yamlProblem = parsed.yamlProblems[0];
      if (yamlProblem) {
        throw new InputError(
          `${configFile}:${yamlProblem.range.start.line + 1}:${yamlProblem.range.start.character + 1}: not valid YAML: ${yamlProblem.message.split('\n')[0]}`,
        );
      }
      throw new InputError(
        `${configFile}: no OIDC settings found (expected oidc-* flags in cluster.apiServer.extraArgs, a KubeAuthenticationConfig document, or an AuthenticationConfiguration)`,
      );
    }

    const claimsText = claimsSource === '-' ? await io.readStdin() : await readTextFile(claimsSource, io.cwd);
    let token: TokenInput;
    try {
      token = decodeTokenInput(claimsText);
    } catch (error) {
      throw new InputError(`${claimsSource === '-' ? 'standard input' : claimsSource}: ${(error as Error).message}`);
    }

    let keys: JsonWebKeySet | undefined;
    if (flags.jwks !== undefined) {
      try {
        keys = parseJwks(await readTextFile(flags.jwks, io.cwd));
      } catch (error) {
        if (error instanceof InputError) throw error;
        throw new InputError(`${flags.jwks}: ${(error as Error).message}`);
      }
    }

    const fatal = problems.filter((problem) => problem.fatal);
    let review: TokenReview;
    if (fatal.length > 0) {
      review = {
        authenticated: false,
        username: null,
        groups: [],
        error: `kube-apiserver does not start with this configuration: ${fatal[0].message}`,
      };
    } else review = reviewToken(model, token, now, { keys });

    const output: ReviewTokenOutput = {
      authenticated: review.authenticated,
      username: review.username,
      groups: review.groups,
      error: review.error,
    };
    if (format === 'json') io.stdout(`${JSON.stringify(output, null, 2)}\n`);
    else {
      const verdict =
        review.authenticated === true
          ? 'accepted'
          : review.authenticated === false
            ? 'rejected'
            : 'cannot be predicted';
      io.stdout(`${verdict}\n`);
      if (review.username !== null) io.stdout(`username: ${review.username}\n`);
      if (review.authenticated)
        io.stdout(`groups: ${review.groups.length > 0 ? review.groups.join(', ') : '(none)'}\n`);
      if (review.error) io.stdout(`error: ${review.error}\n`);
      for (const note of review.notes ?? []) io.stdout(`note: ${note}\n`);
      for (const problem of problems.filter((p) => !p.fatal)) io.stdout(`config: ${problem.message}\n`);
    }
    return review.authenticated === true ? ExitCode.ok : ExitCode.failed;
  },
};
