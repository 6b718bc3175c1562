/**
 * The Kubernetes API server's OIDC/JWT authenticator, modelled from its source
 * (k8s.io/apiserver plugin/pkg/authenticator/token/oidc, pkg/apis/apiserver/validation,
 * kube-apiserver pkg/kubeapiserver/options/authentication.go, go-oidc v2):
 *
 * - `authenticatorFromFlags` / `authenticatorFromConfig`: legacy `--oidc-*` flags or an
 *   `AuthenticationConfiguration` body → one model, with the API server's startup checks.
 * - `validateAuthenticator`: the structured validation with the API server's messages.
 * - `reviewToken`: what the authenticator does with a token's claims (and header) at a given time:
 *   accepted, username, groups, or the error text it logs. It never verifies signatures (that
 *   needs the provider's keys; the login flow does it) and says so in `notes`. Where it cannot
 *   know (a distributed claim to fetch, a CEL expression the CEL library cannot evaluate
 *   faithfully), `authenticated` is null and `error` starts with `cannot predict:`.
 *   `error` is the OIDC authenticator's error; the API server aggregates it with the errors of its
 *   other token authenticators, which normally skip an OIDC token and add nothing.
 *
 * Behaviour modelled is the current API server (1.32+). Times in messages are printed in UTC; the
 * API server prints its process's local zone (UTC on Talos and in kubeadm's static pods).
 */
export * from './types';
export { authenticatorFromFlags, OIDC_FLAGS, isOidcFlag } from './flags';
export type { OidcFlag, FlagOptions } from './flags';
export { authenticatorFromConfig, AUTHENTICATION_CONFIG_API_VERSIONS } from './config';
export { validateAuthenticator, authenticatorInitError, MAX_JWT_AUTHENTICATORS } from './validate';
export { reviewToken, hasCorrectIssuer, groupsAfterAuthentication } from './review';
export { CREDENTIAL_ID_KEY } from './claimMappings';
export type { ReviewOptions } from './review';
export { parseJwks, verifyCompactSignature } from './signature';
export type { JsonWebKeySet } from './signature';
export { decodeTokenInput, decodeBearerToken } from './token';
export { evaluateCel, compileCel } from './cel';
export type { CelCompileResult, CelEvalResult, CelVariable } from './cel';
