/**
 * Settings that a repository must not decide on its own. An opened folder can carry
 * `.vscode/settings.json`; the CA the test login trusts, the kubeconfig that gets written and the
 * addresses the authorization code is sent to are the user's call, not the repository's.
 */

/** Restricted in untrusted workspaces, and confirmed by the user when a trusted workspace sets them. */
export const TRUST_SENSITIVE_SETTINGS = ['caFile', 'kubeconfigPath', 'redirectUrl', 'listenAddresses'] as const;
export type TrustSensitiveSetting = (typeof TRUST_SENSITIVE_SETTINGS)[number];

/** What VS Code's `inspect` says about one setting. */
export interface SettingLayers {
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/**
 * The value a workspace (or folder) chooses for a setting where it differs from the user's own
 * (or the default): undefined when the workspace leaves it alone.
 */
export function workspaceChoice(layers: SettingLayers | undefined): { value: unknown } | undefined {
  if (!layers) return undefined;
  const chosen = layers.workspaceFolderValue !== undefined ? layers.workspaceFolderValue : layers.workspaceValue;
  if (chosen === undefined) return undefined;
  if (JSON.stringify(chosen) === JSON.stringify(layers.globalValue)) return undefined;
  return { value: chosen };
}

/** A stable key for remembering that the user accepted this value for this setting. */
export function acceptanceKey(setting: string, value: unknown): string {
  return `talosOidc.acceptedWorkspaceSetting:${setting}=${JSON.stringify(value)}`;
}
