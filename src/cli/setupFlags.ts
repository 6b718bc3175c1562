/** The flags that describe an OidcSetup, shared by `generate` and `kubeconfig set-user`. */
import { isProviderId, PROVIDER_PRESETS } from '../core/providers/presets';
import { setupWithDefaults, type OidcSetup, type PartialSetup } from '../core/generate/setup';
import { requireFlag, type FlagSpec, type ParsedFlags } from './args';
import { UsageError } from './command';
import { hasPemCertificate } from '../core/text/pem';

export const SETUP_FLAGS = {
  provider: 'string',
  issuer: 'string',
  'client-id': 'string',
  'username-claim': 'string',
  'username-prefix': 'string',
  'groups-claim': 'string',
  'groups-prefix': 'string',
  'admin-group': 'string',
  'required-claim': 'list',
  'signing-algs': 'string',
  'ca-file': 'string',
  'ca-pem': 'string',
  'client-ca-file': 'string',
  'extra-scope': 'list',
  'listen-address': 'list',
  'pkce-method': 'string',
} as const satisfies FlagSpec;

export const SETUP_FLAGS_HELP = `  --provider ID            provider preset for defaults: ${PROVIDER_PRESETS.map((p) => p.id).join(', ')}
                           (default pocket-id)
  --issuer URL             issuer URL, exactly as in the tokens' iss (required)
  --client-id ID           OAuth client ID: the token audience (required)
  --username-claim C       default from the preset (pocket-id: sub)
  --username-prefix P      default "oidc:"; "-" or "" for none
  --groups-claim C         default from the preset (pocket-id: groups); "" for none
  --groups-prefix P        default "oidc:"; "" for none
  --admin-group G          provider group to bind (default kubernetes)
  --required-claim K=V     repeatable
  --signing-algs A,B       oidc-signing-algs (default RS256; kanidm: ES256)
  --ca-file PATH           oidc-ca-file: the issuer's CA on the control-plane node
  --ca-pem FILE            local PEM file embedded into KubeAuthenticationConfig
  --client-ca-file PATH    kubelogin --certificate-authority on your machine
  --extra-scope S          repeatable; default from the preset (pocket-id: groups)
  --listen-address A       repeatable kubelogin --listen-address (default 127.0.0.1:8000,127.0.0.1:18000)
  --pkce-method M          auto (default), no, S256`;

const SIGNING_ALGS = new Set(['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512']);

export type SetupFlagValues = ParsedFlags<typeof SETUP_FLAGS>;

/** Builds the setup from flags; `caPemText` is the content of `--ca-pem`, read by the caller. */
export function setupFromFlags(flags: SetupFlagValues, caPemText?: string): OidcSetup {
  const provider = flags.provider ?? 'pocket-id';
  if (!isProviderId(provider)) {
    throw new UsageError(
      `unknown provider '${provider}' (known: ${PROVIDER_PRESETS.map((preset) => preset.id).join(', ')})`,
    );
  }
  const partial: PartialSetup = {
    provider,
    issuerUrl: requireFlag(flags.issuer, 'issuer'),
    clientId: requireFlag(flags['client-id'], 'client-id'),
  };
  if (/^https?:\/\//i.test(partial.clientId)) {
    throw new UsageError(`--client-id is the OAuth client ID, not a URL (got '${partial.clientId}')`);
  }
  if (flags['username-claim'] !== undefined)
    partial.usernameClaim = requireFlag(flags['username-claim'], 'username-claim');
  if (flags['username-prefix'] !== undefined)
    partial.usernamePrefix = flags['username-prefix'] === '-' ? '' : flags['username-prefix'];
  if (flags['groups-claim'] !== undefined) partial.groupsClaim = flags['groups-claim'];
  if (flags['groups-prefix'] !== undefined) partial.groupsPrefix = flags['groups-prefix'];
  if (flags['admin-group'] !== undefined) partial.adminGroup = requireFlag(flags['admin-group'], 'admin-group');
  if (flags['required-claim'].length > 0) {
    partial.requiredClaims = {};
    for (const entry of flags['required-claim']) {
      const eq = entry.indexOf('=');
      if (eq <= 0) throw new UsageError(`option '--required-claim' must look like claim=value (got '${entry}')`);
      partial.requiredClaims[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
  }
  if (flags['signing-algs'] !== undefined) {
    const algs = flags['signing-algs']
      .split(',')
      .map((alg) => alg.trim())
      .filter(Boolean);
    const bad = algs.find((alg) => !SIGNING_ALGS.has(alg));
    if (bad)
      throw new UsageError(
        `the API server does not accept signing algorithm '${bad}' (allowed: ${[...SIGNING_ALGS].join(', ')})`,
      );
    partial.signingAlgs = algs;
  }
  if (flags['ca-file'] !== undefined) partial.caFile = requireFlag(flags['ca-file'], 'ca-file');
  if (caPemText !== undefined) {
    if (!hasPemCertificate(caPemText))
      throw new UsageError(`--ca-pem ${flags['ca-pem']}: no PEM certificate in the file`);
    partial.caPem = caPemText;
  }
  if (flags['client-ca-file'] !== undefined)
    partial.clientCaFile = requireFlag(flags['client-ca-file'], 'client-ca-file');
  if (flags['extra-scope'].length > 0) {
    partial.extraScopes = flags['extra-scope']
      .flatMap((scope) => scope.split(','))
      .map((scope) => scope.trim())
      .filter(Boolean);
  }
  if (flags['listen-address'].length > 0)
    partial.listenAddresses = flags['listen-address'].flatMap((address) => address.split(',')).filter(Boolean);
  if (flags['pkce-method'] !== undefined) {
    const method = flags['pkce-method'];
    if (method !== 'auto' && method !== 'no' && method !== 'S256')
      throw new UsageError(`option '--pkce-method' must be auto, no or S256 (got '${method}')`);
    partial.pkceMethod = method;
  }
  return setupWithDefaults(partial);
}
