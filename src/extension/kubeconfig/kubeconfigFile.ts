/**
 * Choosing and reading a kubeconfig file for the kubeconfig and cluster commands: the default
 * location (setting, KUBECONFIG, ~/.kube/config) or one the user picks, and the names it holds.
 */
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { parseDocument } from 'yaml';
import { defaultKubeconfigLocation } from '../../core/kubeconfig/location';
import { UserError } from '../commands/commandManager';
import { isRecord } from '../../core/data/record';
import type { TalosOidcSettings } from '../settings';

export interface KubeconfigNames {
  clusters: string[];
  users: string[];
  contexts: { name: string; cluster?: string; user?: string }[];
  currentContext?: string;
}

const SOURCE_LABEL = {
  setting: 'from the talosOidc.kubeconfigPath setting',
  KUBECONFIG: 'from KUBECONFIG (the file kubectl writes new users to)',
  default: "kubectl's default",
} as const;

/**
 * The kubeconfig to work on. `given` (a command argument) wins; otherwise, when `ask` is true,
 * the user confirms the default or picks another file.
 */
export async function chooseKubeconfigFile(
  settings: TalosOidcSettings,
  options: { given?: string; ask: boolean; title: string },
): Promise<string | undefined> {
  if (options.given) return options.given;
  const location = defaultKubeconfigLocation({ setting: settings.kubeconfigPath });
  if (!options.ask) return location.path;
  const other = { label: '$(folder-opened) Choose another file…', path: undefined as string | undefined };
  const picked = await vscode.window.showQuickPick(
    [
      { label: location.path, description: SOURCE_LABEL[location.source], path: location.path as string | undefined },
      other,
    ],
    { title: options.title, placeHolder: 'Which kubeconfig file?', ignoreFocusOut: true },
  );
  if (!picked) return undefined;
  if (picked.path) return picked.path;
  const uris = await vscode.window.showOpenDialog({
    title: options.title,
    canSelectMany: false,
    openLabel: 'Use this kubeconfig',
  });
  return uris?.[0]?.fsPath;
}

/** The file's text, or null when it does not exist yet. */
export async function readKubeconfig(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'EISDIR') throw new UserError(`${file} is a folder, not a kubeconfig file.`);
    throw new UserError(`Cannot read ${file}: ${(error as Error).message}`);
  }
}

/** The names in a kubeconfig; a clear error for text that is not YAML. */
export function kubeconfigNames(text: string, file: string): KubeconfigNames {
  // logLevel 'error': the library's warnings (a collection used as a key) would only clutter the log.
  const document = parseDocument(text, { logLevel: 'error' });
  if (document.errors.length > 0) {
    const error = document.errors[0];
    const where = error.linePos ? ` (line ${error.linePos[0].line})` : '';
    throw new UserError(`${file} is not valid YAML${where}: ${error.message.split('\n')[0]}. Nothing was changed.`);
  }
  const data = document.toJS() as unknown;
  const record = isRecord(data) ? data : {};
  const names = (key: string) => (Array.isArray(record[key]) ? (record[key] as unknown[]) : []).filter(isRecord);
  return {
    clusters: names('clusters')
      .map((item) => item.name)
      .filter((name): name is string => typeof name === 'string'),
    users: names('users')
      .map((item) => item.name)
      .filter((name): name is string => typeof name === 'string'),
    contexts: names('contexts')
      .filter((item) => typeof item.name === 'string')
      .map((item) => {
        const context = isRecord(item.context) ? item.context : {};
        return { name: item.name as string, cluster: asString(context.cluster), user: asString(context.user) };
      }),
    currentContext: asString(record['current-context']) || undefined,
  };
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
