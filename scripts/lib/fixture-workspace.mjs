// The workspace the integration and browser suites open is test/fixtures/workspace plus the seed
// guide's files. Those are kept once, in test/fixtures/configs/guide: the unit tests, the command
// line's tests, the grammar snapshot and the playground's sample workspace read the same copy.
// No imports: the integration suite's editor helpers bundle this file into the extension host.

/** Path in the workspace → path under test/fixtures of the one copy it is made from. */
export const SHARED_WORKSPACE_FILES = Object.freeze({
  'seed-guide/controlplane.yaml': 'configs/guide/controlplane.yaml',
  'seed-guide/crb.yaml': 'configs/guide/crb.yaml',
});
