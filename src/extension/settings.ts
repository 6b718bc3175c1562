import * as vscode from 'vscode';
import { acceptanceKey, workspaceChoice, type TrustSensitiveSetting } from '../core/settings/trust';

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
  /** Empty means kubectl's choice: the first existing file of KUBECONFIG, else ~/.kube/config. */
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

/**
 * The settings, where a workspace's choice of a trust-sensitive setting (redirect URL, listen
 * addresses; the CA file and kubeconfig path are machine-scoped, so no workspace sets them) is
 * used only after the user accepts it once. "Use my settings" takes the user's own values;
 * undefined when the user cancels.
 */
export async function confirmedSettings(
  memory: vscode.Memento,
  keys: readonly TrustSensitiveSetting[],
  scope?: vscode.ConfigurationScope,
): Promise<TalosOidcSettings | undefined> {
  const settings = readSettings(scope);
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
  const pending: { key: TrustSensitiveSetting; value: unknown; own: unknown }[] = [];
  for (const key of keys) {
    const layers = config.inspect(key);
    const choice = workspaceChoice(layers);
    if (choice && !memory.get<boolean>(acceptanceKey(key, choice.value)))
      pending.push({ key, value: choice.value, own: layers?.globalValue ?? layers?.defaultValue });
  }
  if (pending.length === 0) return settings;
  const useWorkspace = "Use the workspace's values";
  const useMine = 'Use my own settings';
  const answer = await vscode.window.showWarningMessage(
    "Talos OIDC: this workspace's settings choose where the login is sent or what it trusts.",
    {
      modal: true,
      detail: `${pending.map((entry) => `talosOidc.${entry.key}: ${JSON.stringify(entry.value)}`).join('\n')}\n\nUse them only if you trust whoever wrote this folder's .vscode/settings.json.`,
    },
    useWorkspace,
    useMine,
  );
  if (answer === useWorkspace) {
    for (const entry of pending) await memory.update(acceptanceKey(entry.key, entry.value), true);
    return settings;
  }
  if (answer !== useMine) return undefined;
  const own: Record<string, unknown> = { ...settings };
  for (const entry of pending) own[entry.key] = entry.own;
  return own as unknown as TalosOidcSettings;
}
