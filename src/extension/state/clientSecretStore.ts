import type * as vscode from 'vscode';
import type { ClientSecretStore } from '../services';

/**
 * Client secrets in VS Code's secret storage (the OS keychain), one entry per issuer and client ID.
 * Failures of the keychain become clear errors instead of unhandled rejections.
 */
export class SecretStorageClientSecrets implements ClientSecretStore {
  constructor(
    private readonly storage: vscode.SecretStorage,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  static key(issuerUrl: string, clientId: string): string {
    // JSON keeps the two parts apart whatever characters they hold.
    return `talosOidc.clientSecret:${JSON.stringify([issuerUrl, clientId])}`;
  }

  async get(issuerUrl: string, clientId: string): Promise<string | undefined> {
    try {
      return await this.storage.get(SecretStorageClientSecrets.key(issuerUrl, clientId));
    } catch (error) {
      this.log.error(`Could not read the client secret from secret storage: ${describe(error)}`, { cause: error });
      return undefined;
    }
  }

  async set(issuerUrl: string, clientId: string, secret: string): Promise<void> {
    try {
      await this.storage.store(SecretStorageClientSecrets.key(issuerUrl, clientId), secret);
    } catch (error) {
      throw new Error(`Could not store the client secret in secret storage: ${describe(error)}`, { cause: error });
    }
  }

  async delete(issuerUrl: string, clientId: string): Promise<void> {
    try {
      await this.storage.delete(SecretStorageClientSecrets.key(issuerUrl, clientId));
    } catch (error) {
      throw new Error(`Could not delete the client secret from secret storage: ${describe(error)}`, { cause: error });
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
