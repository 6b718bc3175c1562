/**
 * The API server's JWT authenticator, as `k8s.io/apiserver/pkg/apis/apiserver` types it.
 * Legacy `--oidc-*` flags and an `AuthenticationConfiguration` file both become this model,
 * exactly as kube-apiserver converts them since 1.29 (see shared apiserver-oidc-rules.md §1).
 */

/** `prefix` undefined means "not set"; `""` means set to empty (no prefixing). */
export interface PrefixedClaimOrExpression {
  claim?: string;
  prefix?: string;
  expression?: string;
}

export interface ClaimOrExpression {
  claim?: string;
  expression?: string;
}

export interface ExtraMapping {
  key: string;
  valueExpression: string;
}

export interface ClaimValidationRule {
  claim?: string;
  /** undefined means not set: the claim must then be present and equal to "". */
  requiredValue?: string;
  expression?: string;
  message?: string;
}

export interface UserValidationRule {
  expression: string;
  message?: string;
}

export interface Issuer {
  url: string;
  discoveryURL?: string;
  /** PEM text (config file) or the file path given by `oidc-ca-file`. */
  certificateAuthority?: string;
  audiences: string[];
  audienceMatchPolicy?: string;
  egressSelectorType?: string;
}

export interface JWTAuthenticator {
  issuer: Issuer;
  claimValidationRules: ClaimValidationRule[];
  claimMappings: {
    username: PrefixedClaimOrExpression;
    groups?: PrefixedClaimOrExpression;
    uid?: ClaimOrExpression;
    extra?: ExtraMapping[];
  };
  userValidationRules: UserValidationRule[];
}

export const ALL_SIGNING_ALGS = [
  'ES256',
  'ES384',
  'ES512',
  'PS256',
  'PS384',
  'PS512',
  'RS256',
  'RS384',
  'RS512',
] as const;

/** Everything that decides how the API server authenticates OIDC users. */
export interface AuthenticatorModel {
  /** Where the configuration came from: legacy flags or a structured file. */
  source: 'flags' | 'authentication-config';
  jwt: JWTAuthenticator[];
  /** Flags: `oidc-signing-algs` or [RS256]. Config file: all nine valid algorithms. */
  signingAlgs: string[];
  /** `--service-account-issuer` values, when known: an OIDC issuer may not equal one. */
  disallowedIssuers?: string[];
}

/**
 * A configuration problem in the API server's own words. `path` locates it: for flags the flag
 * name (e.g. ['oidc-issuer-url']), for a config file the path inside the body
 * (e.g. ['jwt', 0, 'issuer', 'url']), so the checks can map it back to a source range.
 */
export interface ConfigProblem {
  path: (string | number)[];
  /** The full text the API server prints, e.g. `jwt[0].issuer.url: Invalid value: "http://x": URL scheme must be https`. */
  message: string;
  /** True when kube-apiserver refuses to start (or rejects the reload). */
  fatal: boolean;
  /**
   * True when this tool could not reproduce the API server exactly: either the problem itself is
   * uncertain (then `fatal` is false, e.g. a CEL function its CEL library lacks but cel-go has), or
   * the message is this tool's wording (e.g. a CEL syntax error), not the API server's verbatim.
   */
  unverified?: boolean;
}

/** What the API server does with one token, as the token authenticator reports it. */
export interface TokenReview {
  /** null: cannot be predicted (e.g. a CEL expression this tool cannot evaluate); `error` says why. */
  authenticated: boolean | null;
  username: string | null;
  /** Groups from the token authenticator, without `system:authenticated`. */
  groups: string[];
  uid?: string;
  extra?: Record<string, string[]>;
  /** The API server's own error text (or, when authenticated is null, why it cannot be predicted). */
  error: string | null;
  /** Index of the jwt authenticator that decided, when one did. */
  authenticatorIndex?: number;
  /** True when no authenticator's issuer matched the token's `iss` (the API server skips, then says `invalid bearer token`). */
  skipped?: boolean;
  /**
   * What this review could not check or what else is worth knowing, e.g. that the signature was
   * not verified (a review never verifies signatures: that needs the provider's keys).
   */
  notes?: string[];
}

export interface TokenInput {
  /** The decoded payload. */
  claims: Record<string, unknown>;
  /** The JOSE header when a compact JWT was given. */
  header?: Record<string, unknown>;
  /** The compact token itself, when given; the issuer pre-check works on it as the API server does. */
  compact?: string;
  /**
   * Set when the token is not a JWS the API server's parser (go-jose) accepts: its error text, or
   * null when this tool does not know the exact text. Only reached when the payload names a
   * configured issuer (otherwise the authenticator skips the token).
   */
  headerError?: string | null;
}
