/**
 * The one model every generator works from: what the API server, the RBAC binding and kubelogin
 * need to agree on. `setupWithDefaults` fills what the user left out from the provider preset.
 */
import { DEFAULT_PROVIDER_ID, getPreset, type ProviderId } from '../providers/presets';

export interface OidcSetup {
  issuerUrl: string;
  /** The OAuth client ID: the API server's audience and kubelogin's --oidc-client-id. */
  clientId: string;
  usernameClaim: string;
  /**
   * undefined: the API server's default (`<issuer>#` unless the claim is `email`);
   * '': no prefix (written as `-` in the flags); otherwise a literal prefix such as `oidc:`.
   */
  usernamePrefix?: string;
  /** undefined or '': no groups. */
  groupsClaim?: string;
  /** undefined or '': no prefix. */
  groupsPrefix?: string;
  /** The provider group whose members get the binding (without the prefix), e.g. `kubernetes`. */
  adminGroup: string;
  /** `oidc-required-claim` / `claimValidationRules`: claim name to required value. */
  requiredClaims?: Record<string, string>;
  /** `oidc-signing-algs`; undefined means the API server's default (RS256). */
  signingAlgs?: string[];
  /** `oidc-ca-file`: path on the control-plane node of the issuer's CA bundle. */
  caFile?: string;
  /** PEM text of the issuer's CA, for `KubeAuthenticationConfig` (`issuer.certificateAuthority`). */
  caPem?: string;
  /** Scopes kubelogin requests beyond `openid`. */
  extraScopes: string[];
  /** kubelogin --listen-address values; undefined means its default (127.0.0.1:8000, 127.0.0.1:18000). */
  listenAddresses?: string[];
  /** kubelogin --oidc-pkce-method; undefined means its default (auto). */
  pkceMethod?: 'auto' | 'no' | 'S256';
  /** kubelogin --certificate-authority: CA file on the user's machine. */
  clientCaFile?: string;
  provider: ProviderId;
}

/** kubelogin's defaults; flags equal to them are left out of generated arguments. */
export const KUBELOGIN_DEFAULT_LISTEN_ADDRESSES = ['127.0.0.1:8000', '127.0.0.1:18000'] as const;

/** The prefix the generators use when the user gives none: readable and clash-free. */
export const DEFAULT_PREFIX = 'oidc:';

export type PartialSetup = Partial<OidcSetup> & Pick<OidcSetup, 'issuerUrl' | 'clientId'>;

/** Completes a setup from the provider preset (Pocket-ID when none is named). */
export function setupWithDefaults(partial: PartialSetup): OidcSetup {
  const provider = partial.provider ?? DEFAULT_PROVIDER_ID;
  const preset = getPreset(provider);
  const groupsClaim = partial.groupsClaim ?? preset.claims.groups;
  const usernameClaim = partial.usernameClaim ?? preset.claims.username;
  const extraScopes = partial.extraScopes ?? [...preset.scopes];
  if (usernameClaim === 'email' && !extraScopes.includes('email')) extraScopes.push('email');
  return {
    ...partial,
    provider,
    usernameClaim,
    usernamePrefix: 'usernamePrefix' in partial ? partial.usernamePrefix : DEFAULT_PREFIX,
    groupsClaim,
    groupsPrefix: 'groupsPrefix' in partial ? partial.groupsPrefix : groupsClaim ? DEFAULT_PREFIX : undefined,
    adminGroup: partial.adminGroup ?? 'kubernetes',
    signingAlgs: partial.signingAlgs ?? preset.signing.signingAlgs,
    extraScopes,
  };
}

/** The username prefix the API server applies (flags semantics): the `<issuer>#` rule included. */
export function effectiveUsernamePrefix(
  setup: Pick<OidcSetup, 'usernamePrefix' | 'usernameClaim' | 'issuerUrl'>,
): string {
  if (setup.usernamePrefix === undefined) return setup.usernameClaim === 'email' ? '' : `${setup.issuerUrl}#`;
  return setup.usernamePrefix === '-' ? '' : setup.usernamePrefix;
}

/** The group name RBAC must bind: the groups prefix plus the provider group. */
export function boundGroupName(setup: Pick<OidcSetup, 'groupsPrefix' | 'adminGroup'>): string {
  return `${setup.groupsPrefix ?? ''}${setup.adminGroup}`;
}
