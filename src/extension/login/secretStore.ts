/**
 * The client secret store over `context.secrets` (VS Code's secret storage), with every keychain
 * failure caught. One implementation serves the whole extension: it lives in
 * src/extension/state/clientSecretStore.ts, where `activate` builds the services, and is
 * re-exported here for the login feature.
 */
export { SecretStorageClientSecrets } from '../state/clientSecretStore';
