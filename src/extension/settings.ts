import * as vscode from 'vscode';

/** Every setting lives under this one namespace; the README documents each. */
export const SETTINGS_SECTION = 'talosOidc';

export interface TalosOidcSettings {
  /** Provider preset id (see src/core/providers): pocket-id, authentik, keycloak, ... */
  provider: string;
  issuerUrl: string;
  clientId: string;
  /** The provider group whose members become cluster admins, e.g. `kubernetes`. */
  adminGroup: string;
  /** Loopback listen addresses for the test login, tried in order (kubelogin's defaults). */
  listenAddresses: string[];
  /** Redirect URI sent to the provider; empty means `http://localhost:<bound port>`. */
  redirectUrl: string;
  extraScopes: string[];
  /** PEM file with the CA that signed the issuer's certificate (private CAs). */
  caFile: string;
  /** Empty means the first file of KUBECONFIG, else ~/.kube/config. */
  kubeconfigPath: string;
  loginTimeoutSeconds: number;
  checksEnabled: boolean;
  /** The Talos release of the user's clusters (`v1.13`), for configs that do not name theirs; empty: unknown. */
  talosVersion: string;
}

export function readSettings(scope?: vscode.ConfigurationScope): TalosOidcSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
  return {
    provider: config.get<string>('provider', 'pocket-id'),
    issuerUrl: config.get<string>('issuerUrl', ''),
    clientId: config.get<string>('clientId', ''),
    adminGroup: config.get<string>('adminGroup', 'kubernetes'),
    listenAddresses: config.get<string[]>('listenAddresses', ['127.0.0.1:8000', '127.0.0.1:18000']),
    redirectUrl: config.get<string>('redirectUrl', ''),
    extraScopes: config.get<string[]>('extraScopes', []),
    caFile: config.get<string>('caFile', ''),
    kubeconfigPath: config.get<string>('kubeconfigPath', ''),
    loginTimeoutSeconds: config.get<number>('loginTimeoutSeconds', 180),
    checksEnabled: config.get<boolean>('checks.enabled', true),
    talosVersion: config.get<string>('talosVersion', ''),
  };
}
