/**
 * Which kubeconfig file kubectl writes a new user to, resolved the way kubectl (client-go's
 * loading rules) resolves it: an explicit file (the `talosOidc.kubeconfigPath` setting, the CLI's
 * `--kubeconfig`) when given; else, of the files listed in `KUBECONFIG`, the first that exists
 * (kubectl merges them all and writes new entries there), or the first listed when none exists;
 * else `~/.kube/config`. The extension and the CLI both ask here.
 *
 * One addition to kubectl: a leading `~` is the home folder in every one of these. The shell
 * expands it in `KUBECONFIG=~/a:~/b` already; a settings field or `--kubeconfig=~/a` has no shell
 * to do it, and a folder named `~` in the working directory is never what was meant.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

export interface KubeconfigLocation {
  path: string;
  /** Why this file: for the quick pick's description. */
  source: 'setting' | 'KUBECONFIG' | 'default';
}

export interface KubeconfigLocationOptions {
  /** An explicit file: the setting or the `--kubeconfig` flag. Blank means none. */
  setting?: string;
  env?: Record<string, string | undefined>;
  home?: string;
  /** Relative paths resolve against this (the process's working directory by default). */
  cwd?: string;
  /** `path.delimiter` of the platform (`:` or `;`). */
  listDelimiter?: string;
  /** Whether a file exists (kubectl's choice among the KUBECONFIG files depends on it). */
  exists?: (file: string) => boolean;
}

export function defaultKubeconfigLocation(options: KubeconfigLocationOptions = {}): KubeconfigLocation {
  const home = options.home ?? homedir();
  const cwd = options.cwd ?? process.cwd();
  const absolute = (file: string) => resolve(cwd, expandHome(file, home));
  const setting = options.setting?.trim();
  if (setting) return { path: absolute(setting), source: 'setting' };
  const listed = kubeconfigFiles((options.env ?? process.env).KUBECONFIG, options.listDelimiter).map(absolute);
  if (listed.length > 0) {
    const exists = options.exists ?? existsSync;
    return { path: listed.find((file) => exists(file)) ?? listed[0], source: 'KUBECONFIG' };
  }
  return { path: join(home, '.kube', 'config'), source: 'default' };
}

/** The files a `KUBECONFIG` value lists, in order, without empty entries or repeats. */
export function kubeconfigFiles(value: string | undefined, listDelimiter: string = delimiter): string[] {
  const entries = (value ?? '')
    .split(listDelimiter)
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  return [...new Set(entries)];
}

function expandHome(file: string, home: string): string {
  if (file === '~') return home;
  return file.startsWith('~/') || file.startsWith('~\\') ? join(home, file.slice(2)) : file;
}
