/**
 * Structured authentication: the `AuthenticationConfiguration` (one `jwt[]` entry per issuer) and
 * Talos 1.14's `KubeAuthenticationConfig` document that carries it.
 */
import { effectiveUsernamePrefix, type OidcSetup } from './setup';
import { QUOTED_FLAG_KEYS } from './extraArgs';
import { toYaml } from './yaml';

/** Talos's default anonymous block in KubeAuthenticationConfig (siderolabs/talos, k8s/authentication.go `DefaultAuthenticationConfig`). */
export const TALOS_DEFAULT_ANONYMOUS = {
  enabled: true,
  conditions: [{ path: '/livez' }, { path: '/readyz' }, { path: '/healthz' }],
} as const;

/** One `jwt[]` entry of an `AuthenticationConfiguration`, equivalent to the legacy flags. */
export function jwtAuthenticator(setup: OidcSetup): Record<string, unknown> {
  const issuer: Record<string, unknown> = { url: setup.issuerUrl, audiences: [setup.clientId] };
  if (setup.caPem) issuer.certificateAuthority = setup.caPem.endsWith('\n') ? setup.caPem : `${setup.caPem}\n`;
  // The config file has no defaulting: spell out the prefix the flags would have used.
  const claimMappings: Record<string, unknown> = {
    username: { claim: setup.usernameClaim, prefix: effectiveUsernamePrefix(setup) },
  };
  if (setup.groupsClaim) claimMappings.groups = { claim: setup.groupsClaim, prefix: setup.groupsPrefix ?? '' };
  const entry: Record<string, unknown> = { issuer, claimMappings };
  const required = Object.entries(setup.requiredClaims ?? {});
  if (required.length > 0)
    entry.claimValidationRules = required.map(([claim, requiredValue]) => ({ claim, requiredValue }));
  return entry;
}

/** The `AuthenticationConfiguration` body with Talos's default anonymous block kept. */
export function authenticationConfiguration(setup: OidcSetup, otherJwt: unknown[] = []): Record<string, unknown> {
  return {
    apiVersion: 'apiserver.config.k8s.io/v1beta1',
    kind: 'AuthenticationConfiguration',
    anonymous: structuredClone(TALOS_DEFAULT_ANONYMOUS),
    jwt: [...otherJwt, jwtAuthenticator(setup)],
  };
}

/** A note for the generated file when the flags named other signing algorithms than the default. */
export function signingAlgsComment(setup: OidcSetup): string | undefined {
  if (!setup.signingAlgs || (setup.signingAlgs.length === 1 && setup.signingAlgs[0] === 'RS256')) return undefined;
  return 'With a configuration file the API server accepts all nine RS/ES/PS algorithms; oidc-signing-algs does not apply.';
}

/** A Talos 1.14+ `KubeAuthenticationConfig` document. */
export function generateKubeAuthenticationConfig(setup: OidcSetup): string {
  const lines = [
    'Talos 1.14+: kube-apiserver structured authentication (Talos passes --authentication-config).',
    "A patch replaces `configuration` whole: the anonymous block below is Talos's default (health endpoints only).",
  ];
  const algs = signingAlgsComment(setup);
  if (algs) lines.push(algs);
  return toYaml(
    { apiVersion: 'v1alpha1', kind: 'KubeAuthenticationConfig', configuration: authenticationConfiguration(setup) },
    { quotedKeys: QUOTED_FLAG_KEYS, comment: lines.join('\n') },
  );
}
