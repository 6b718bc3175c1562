/**
 * Entry of dist/lazy-cluster.js: the live-cluster code with `@kubernetes/client-node` (about
 * 4 MB). The extension `require`s it the first time a cluster command runs, so activating the
 * extension never loads it. Everything the extension needs from it goes through this module.
 */
export {
  openConnection,
  listMatchingBindings,
  applyClusterRoleBinding,
  describePlan,
  whoAmI,
  checkAccess,
  verifyOidcUser,
  describeVerification,
  toClusterError,
  DEFAULT_ACCESS_CHECKS,
} from '../../core/cluster/index';
