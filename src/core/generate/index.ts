/**
 * Generators: the API server settings (legacy `extraArgs` or a Talos 1.14 `KubeAuthenticationConfig`),
 * Talos patch files, the ClusterRoleBinding and the kubelogin kubeconfig user, all from one
 * `OidcSetup`, so that what the API server expects, what RBAC binds and what kubelogin sends agree.
 * This file only gathers them; each lives in the file its name says.
 */
export * from './setup';
export { oidcExtraArgs, generateExtraArgs, type ApiServerFlagValue } from './extraArgs';
export {
  TALOS_DEFAULT_ANONYMOUS,
  jwtAuthenticator,
  authenticationConfiguration,
  generateKubeAuthenticationConfig,
} from './authenticationConfig';
export { generatePatch, type PatchLayout } from './patch';
export { generateClusterRoleBinding, objectNameFrom, type RbacOptions } from './rbac';
export {
  generateKubeconfigUser,
  kubeconfigExec,
  kubeloginArgs,
  kubeloginSetupCommand,
  shellQuote,
  type ExecUserOptions,
  type KubeconfigExec,
} from './kubeconfigUser';
export { insertOidcEdits, type InsertPlan, type InsertLayout } from './insert';
export { joinDocuments } from './yaml';
