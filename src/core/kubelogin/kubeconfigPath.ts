/**
 * Which kubeconfig file kubectl (and so kubelogin's exec users) reads: the setting when given,
 * else the first file of `KUBECONFIG` (kubectl merges them all but writes new entries to the
 * first), else `~/.kube/config`.
 */
import { homedir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

export interface KubeconfigLocation {
  path: string;
  /** Why this file: for the quick pick's description. */
  source: 'setting' | 'KUBECONFIG' | 'default';
}

export function defaultKubeconfigLocation(
  options: {
    setting?: string;
    env?: NodeJS.ProcessEnv;
    home?: string;
    /** `path.delimiter` of the platform (`:` or `;`). */
    listDelimiter?: string;
  } = {},
): KubeconfigLocation {
  const home = options.home ?? homedir();
  const expand = (file: string) =>
    file === '~' ? home : file.startsWith('~/') || file.startsWith('~\\') ? join(home, file.slice(2)) : file;
  const setting = options.setting?.trim();
  if (setting) return { path: absolute(expand(setting)), source: 'setting' };
  const list = (options.env ?? process.env).KUBECONFIG;
  if (list) {
    const first = list
      .split(options.listDelimiter ?? delimiter)
      .map((entry) => entry.trim())
      .find((entry) => entry.length > 0);
    if (first) return { path: absolute(expand(first)), source: 'KUBECONFIG' };
  }
  return { path: join(home, '.kube', 'config'), source: 'default' };
}

function absolute(file: string): string {
  return isAbsolute(file) ? file : resolve(file);
}
