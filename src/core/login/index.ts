/** OIDC test login: preflight checks, the login itself, and ID token verification. No `vscode` here. */
export {
  preflight,
  API_SERVER_ALGORITHMS,
  type PreflightCheck,
  type PreflightCheckId,
  type PreflightOptions,
} from './preflight';
export {
  runLogin,
  DEFAULT_LOGIN_TIMEOUT_MS,
  type LoginOptions,
  type LoginHooks,
  type LoginResult,
  type ListeningInfo,
} from './login';
export { LoginError, describeAuthorizationError, describeTokenError, type LoginErrorCode } from './errors';
export {
  verifyIdToken,
  decodeJwt,
  type VerifyIdTokenOptions,
  type IdTokenVerification,
  type DecodedJwt,
} from './verify';
export {
  LoopbackCallbackServer,
  type CallbackServerOptions,
  type ReceivedCallback,
  type StartedCallbackServer,
} from './callbackServer';
export { DEFAULT_LISTEN_ADDRESSES, parseListenAddress, formatListenAddress, type ListenAddress } from './listener';
export {
  fetchDiscovery,
  fetchJwks,
  discoveryUrlOf,
  algorithmsOfKey,
  type ProviderMetadata,
  type JsonWebKeySet,
  type JsonWebKeyEntry,
} from './discovery';
export {
  createFetch,
  DEFAULT_REQUEST_TIMEOUT_MS,
  describeNetworkError,
  disallowedUrl,
  isLoopbackHost,
  type FetchLike,
  type FetchInit,
} from './http';
export { renderCallbackPage, type CallbackPage } from './page';
