/** The API server's OIDC/JWT authenticator model: configuration, validation and token review. */
export * from './types';
export { authenticatorFromFlags, OIDC_FLAGS, isOidcFlag } from './flags';
export type { OidcFlag, FlagOptions } from './flags';
export { authenticatorFromConfig, AUTHENTICATION_CONFIG_API_VERSIONS } from './config';
export { validateAuthenticator, authenticatorInitError, MAX_JWT_AUTHENTICATORS } from './validate';
export { reviewToken, hasCorrectIssuer, groupsAfterAuthentication, CREDENTIAL_ID_KEY } from './review';
export { decodeTokenInput } from './token';
export { evaluateCel, compileCel } from './cel';
export type { CelCompileResult, CelEvalResult, CelVariable } from './cel';
