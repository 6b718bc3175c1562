/**
 * Every command the extension contributes, in one place: the registrations, the commands that run
 * other commands, the side panel and the claims view use these names, and a unit test checks that
 * package.json (commands, menus, keybindings, walkthrough and welcome links) names exactly these.
 * No `vscode` import, so the unit tests can read it.
 */
export const COMMAND = {
  testLogin: 'talosOidc.testLogin',
  storeClientSecret: 'talosOidc.storeClientSecret',
  deleteClientSecret: 'talosOidc.deleteClientSecret',
  showLoginResult: 'talosOidc.showLoginResult',
  insertApiServerSettings: 'talosOidc.insertApiServerSettings',
  insertClusterRoleBinding: 'talosOidc.insertClusterRoleBinding',
  insertKubeconfigUser: 'talosOidc.insertKubeconfigUser',
  migrateToKubeAuthenticationConfig: 'talosOidc.migrateToKubeAuthenticationConfig',
  generatePatch: 'talosOidc.generatePatch',
  configureClient: 'talosOidc.configureClient',
  showProviderSetup: 'talosOidc.showProviderSetup',
  openWalkthrough: 'talosOidc.openWalkthrough',
  refreshView: 'talosOidc.refreshView',
  verifyKubectl: 'talosOidc.verifyKubectl',
  addKubeconfigUser: 'talosOidc.addKubeconfigUser',
  checkKubelogin: 'talosOidc.checkKubelogin',
  cleanKubeloginCache: 'talosOidc.cleanKubeloginCache',
  showMatchingBindings: 'talosOidc.showMatchingBindings',
  applyClusterRoleBinding: 'talosOidc.applyClusterRoleBinding',
  whoAmI: 'talosOidc.whoAmI',
  applyToTalos: 'talosOidc.applyToTalos',
  copyInstallCommand: 'talosOidc.copyInstallCommand',
  explainCheck: 'talosOidc.explainCheck',
} as const;

export type CommandId = (typeof COMMAND)[keyof typeof COMMAND];

/** Commands that run programs, contact the network or write files outside the workspace: not in Restricted Mode. */
export const COMMANDS_NEEDING_TRUST: readonly CommandId[] = [
  COMMAND.testLogin,
  COMMAND.addKubeconfigUser,
  COMMAND.verifyKubectl,
  COMMAND.cleanKubeloginCache,
  COMMAND.showMatchingBindings,
  COMMAND.applyClusterRoleBinding,
  COMMAND.whoAmI,
  COMMAND.applyToTalos,
];

/**
 * Commands whose code is in the start-up bundle because the side panel or the hovers own what
 * they act on; every other command's code is in dist/lazy-commands.js, loaded on its first run.
 */
export const EAGER_COMMANDS = [COMMAND.refreshView, COMMAND.copyInstallCommand, COMMAND.explainCheck] as const;

export type LazyCommandId = Exclude<CommandId, (typeof EAGER_COMMANDS)[number]>;

export const LAZY_COMMANDS = Object.values(COMMAND).filter(
  (id): id is LazyCommandId => !(EAGER_COMMANDS as readonly string[]).includes(id),
);

/** The variable the integration test runners set in the extension host to get the test hooks. */
export const TEST_HOOKS_ENV = 'TALOS_OIDC_TEST_HOOKS';

/** Test-only commands (src/extension/testHooks.ts): registered only under TEST_HOOKS_ENV=1, never contributed. */
export const TEST_HOOK = {
  /** Argument: a ProcessRunner for the kubelogin probes, or nothing for the real programs. */
  useProcessRunner: 'talosOidc.test.useProcessRunner',
  /** Argument: an environment whose PATH program lookups search, or nothing for the real one. */
  useEnvironment: 'talosOidc.test.useEnvironment',
} as const;
