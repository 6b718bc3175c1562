/**
 * Turns a verified login and the core's token review into what the claims webview shows: the
 * verdict with its fixes, and the workspace bindings that match the identity. Pure (no `vscode`),
 * so it is unit-tested directly.
 */
import type { AuthenticatorModel, JWTAuthenticator, TokenReview } from '../../core/authn/types';
import type { ProviderPreset } from '../../core/providers/presets';
import type { ParsedFile, RbacBinding } from '../../core/workspace/types';
import type { BindingMatchView, BindingsView, VerdictView } from '../../webview/claims/protocol';

export interface VerdictInput {
  review: TokenReview | undefined;
  /** The authenticator model the review used; undefined when there was no config. */
  model: AuthenticatorModel | undefined;
  claims: Record<string, unknown>;
  header: Record<string, unknown>;
  provider: ProviderPreset | undefined;
  config: { file: string; label: string } | null;
}

export function buildVerdict(input: VerdictInput): VerdictView {
  const { review, claims, header, provider, config } = input;
  if (!review || !input.model) {
    return {
      status: 'no-config',
      username: null,
      groups: [],
      error: null,
      skipped: false,
      fixes: [
        'Open a Talos machine config, a Talos patch or an AuthenticationConfiguration with the API server’s OIDC settings, then choose “Review against…”. Without one, nothing says what the API server will do with this token.',
      ],
      warnings: [],
      config,
    };
  }
  const authenticator = chooseAuthenticator(input.model, review, claims);
  const status = review.authenticated === true ? 'accepted' : review.authenticated === false ? 'rejected' : 'unknown';
  const verdict: VerdictView = {
    status,
    username: review.username,
    groups: [...review.groups],
    error: review.error ?? (status === 'rejected' ? 'invalid bearer token' : null),
    skipped: review.skipped === true,
    fixes: [],
    warnings: [],
    config,
  };
  if (status === 'rejected') verdict.fixes = fixesFor(verdict, claims, header, authenticator, input.model, provider);
  if (status === 'accepted') verdict.warnings = warningsFor(verdict, claims, authenticator, provider);
  return verdict;
}

function chooseAuthenticator(
  model: AuthenticatorModel,
  review: TokenReview,
  claims: Record<string, unknown>,
): JWTAuthenticator | undefined {
  if (review.authenticatorIndex !== undefined) return model.jwt[review.authenticatorIndex];
  return model.jwt.find((jwt) => jwt.issuer.url === claims.iss) ?? model.jwt[0];
}

const isPocketId = (provider: ProviderPreset | undefined) => provider?.id === 'pocket-id';

function fixesFor(
  verdict: VerdictView,
  claims: Record<string, unknown>,
  header: Record<string, unknown>,
  authenticator: JWTAuthenticator | undefined,
  model: AuthenticatorModel,
  provider: ProviderPreset | undefined,
): string[] {
  const error = verdict.error ?? '';
  const fixes: string[] = [];
  const usernameClaim = authenticator?.claimMappings.username.claim;

  if (verdict.skipped || /invalid bearer token/.test(error)) {
    const configured = model.jwt.map((jwt) => jwt.issuer.url);
    const tokenIssuer = typeof claims.iss === 'string' ? claims.iss : '(none)';
    const nearMiss = configured.find(
      (url) => url.replace(/\/$/, '').toLowerCase() === tokenIssuer.replace(/\/$/, '').toLowerCase(),
    );
    if (nearMiss !== undefined) {
      fixes.push(
        `The token’s iss is “${tokenIssuer}” but the API server expects “${nearMiss}”. They are compared character for character (trailing slash and case included): set the issuer URL to exactly “${tokenIssuer}”.`,
      );
    } else {
      fixes.push(
        `No authenticator has the token’s issuer “${tokenIssuer}” (configured: ${configured.map((url) => `“${url}”`).join(', ') || 'none'}), so the API server skips the token. Set the issuer URL to the provider’s issuer exactly.`,
      );
    }
    return fixes;
  }
  if (error.includes('email not verified')) {
    if (isPocketId(provider)) {
      fixes.push(
        'In Pocket-ID, mark this user’s email as verified (the per-user flag, Pocket-ID 2.2+), or turn on “Emails Verified” under Application Configuration so new users start verified.',
      );
    } else {
      fixes.push('Verify the user’s email at the provider (most send a verification mail; some have an admin switch).');
    }
    fixes.push(
      'Or use `sub` as the username claim (oidc-username-claim: sub, with oidc-username-prefix: "oidc:"): it is stable and the API server checks email_verified only for the `email` claim.',
    );
    return fixes;
  }
  const missingClaim = /parse username claims "([^"]+)": claim not present/.exec(error);
  if (missingClaim) {
    const claim = missingClaim[1];
    const scope =
      claim === 'email' ? 'email' : claim === 'preferred_username' || claim === 'name' ? 'profile' : undefined;
    fixes.push(
      scope
        ? `The token has no “${claim}” claim: request the \`${scope}\` scope (kubelogin: --oidc-extra-scope=${scope}).`
        : `The token has no “${claim}” claim: have the provider add it, or choose a claim the token has (sub is always present).`,
    );
    return fixes;
  }
  if (error.includes('expected audience')) {
    const aud = Array.isArray(claims.aud) ? claims.aud.join(', ') : String(claims.aud ?? '(none)');
    fixes.push(
      `The token was issued for “${aud}”: set oidc-client-id (issuer.audiences in a config file) to that client ID. A client ID that looks like a URL is the seed guide’s copy-paste mistake.`,
    );
    return fixes;
  }
  if (error.includes('unsupported algorithm')) {
    const alg = typeof header.alg === 'string' ? header.alg : 'this algorithm';
    if (alg === 'EdDSA') {
      fixes.push(
        isPocketId(provider)
          ? 'The API server never accepts EdDSA. Rotate Pocket-ID’s signing key to RSA: `pocket-id key-rotate --alg RS256`.'
          : 'The API server never accepts EdDSA: switch the provider’s signing key to RS256 (or ES256).',
      );
    } else {
      fixes.push(
        model.source === 'flags'
          ? `The provider signs with ${alg}; add it to the API server flag oidc-signing-algs (default RS256 only), or switch the provider to RS256.`
          : `The provider signs with ${alg}, which the API server does not accept. Switch the provider to RS256, ES256 or PS256.`,
      );
    }
    return fixes;
  }
  if (error.includes('token is expired')) {
    fixes.push('The token has expired: run the login again. kubelogin refreshes tokens by itself.');
    return fixes;
  }
  if (error.includes('required claim')) {
    fixes.push(
      'A required claim (oidc-required-claim / claimValidationRules) is missing or different: have the provider set it, or remove the rule.',
    );
    return fixes;
  }
  if (/parse groups claim/.test(error)) {
    fixes.push('The groups claim must be a string or an array of strings; check the provider’s claim mapping.');
    return fixes;
  }
  if (usernameClaim === 'email' && claims.email_verified !== undefined && typeof claims.email_verified !== 'boolean') {
    fixes.push('email_verified must be a JSON boolean; the provider sends another type.');
  }
  return fixes;
}

function warningsFor(
  verdict: VerdictView,
  claims: Record<string, unknown>,
  authenticator: JWTAuthenticator | undefined,
  provider: ProviderPreset | undefined,
): string[] {
  const warnings: string[] = [];
  const groupsClaim = authenticator?.claimMappings.groups?.claim;
  if (groupsClaim && claims[groupsClaim] === undefined) {
    const scope = provider?.groupsScope ?? 'groups';
    warnings.push(
      `The token has no “${groupsClaim}” claim, so the user is in no group: request the \`${scope}\` scope and add the user to a group${isPocketId(provider) ? ' that is allowed on the OIDC client' : ''}.`,
    );
  } else if (groupsClaim && verdict.groups.length === 0) {
    warnings.push('The user is in no group at the provider: group bindings will not match.');
  }
  const username = verdict.username ?? '';
  if (authenticator && username.startsWith(`${authenticator.issuer.url}#`)) {
    warnings.push(
      `The username is “${username}” because no username prefix is set and the claim is not email: bindings must name it exactly. A prefix such as “oidc:” gives readable names.`,
    );
  }
  return warnings;
}

/** The claims an authenticator's decision reads (for highlighting in the claims table). */
export function decisiveClaimsOf(authenticator: JWTAuthenticator | undefined): string[] {
  const names = ['iss', 'aud', 'exp', 'nbf'];
  if (!authenticator) return names;
  const { username, groups, uid } = authenticator.claimMappings;
  if (username.claim) names.push(username.claim);
  if (username.claim === 'email') names.push('email_verified');
  if (groups?.claim) names.push(groups.claim);
  if (uid?.claim) names.push(uid.claim);
  for (const rule of authenticator.claimValidationRules) if (rule.claim) names.push(rule.claim);
  return [...new Set(names)];
}

/** The groups exactly as the token carries them (before the API server's prefix). */
export function rawGroups(claims: Record<string, unknown>, groupsClaim: string | undefined): string[] {
  if (!groupsClaim) return [];
  const value = claims[groupsClaim];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

export interface BindingsInput {
  username: string | null;
  /** Groups after the prefix, as the API server yields them. */
  groups: string[];
  /** Groups before the prefix, to spot bindings that forgot it. */
  rawGroups: string[];
  files: ParsedFile[];
  labelOf(file: string): string;
}

/** Subjects a binding grants to: a user by name, a group among the user's (every authenticated user is in system:authenticated). */
export function matchBindings(input: BindingsInput): BindingsView {
  const groups = new Set([...input.groups, 'system:authenticated']);
  const matches: BindingMatchView[] = [];
  const nearMisses: string[] = [];
  const unprefixed = new Set(input.rawGroups.filter((group) => !input.groups.includes(group)));
  for (const parsed of input.files) {
    for (const binding of parsed.bindings) {
      for (const subject of binding.subjects) {
        const isUser = subject.kind === 'User' && input.username !== null && subject.name === input.username;
        const isGroup = subject.kind === 'Group' && groups.has(subject.name);
        if (isUser || isGroup)
          matches.push(toMatch(binding, `${subject.kind} ${subject.name}`, input.labelOf(binding.file)));
        else if (subject.kind === 'Group' && unprefixed.has(subject.name)) {
          const prefixed = input.groups.find((group) => group.endsWith(subject.name)) ?? subject.name;
          nearMisses.push(
            `${binding.kind} “${binding.name}” (${input.labelOf(binding.file)}) names group “${subject.name}”, but the API server adds the groups prefix: the group is “${prefixed}”.`,
          );
        }
      }
    }
  }
  const advice: string[] = [...nearMisses];
  const real = matches.filter((match) => match.subject !== 'Group system:authenticated');
  if (real.length === 0) {
    const who = input.groups.length
      ? `the groups ${input.groups.map((group) => `“${group}”`).join(', ')}`
      : `the user “${input.username ?? ''}”`;
    advice.push(
      `No binding in the workspace names ${who}. Create a ClusterRoleBinding for it and apply it with the admin kubeconfig before switching kubectl to OIDC; otherwise the login works and every request is Forbidden.`,
    );
  } else if (real.every((match) => match.kind === 'RoleBinding')) {
    advice.push('Only namespaced RoleBindings match: the user has no cluster-wide access (nodes, namespaces).');
  }
  return { matches, advice };
}

function toMatch(binding: RbacBinding, subject: string, label: string): BindingMatchView {
  return {
    kind: binding.kind,
    name: binding.name,
    namespace: binding.namespace,
    role: `${binding.roleRef.kind}/${binding.roleRef.name}`,
    subject,
    file: binding.file,
    label,
    line: binding.range.start.line,
  };
}
