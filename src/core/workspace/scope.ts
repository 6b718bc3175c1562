/**
 * Which cluster a file belongs to, in a workspace that may hold several (a monorepo with one
 * folder per cluster, or many repositories side by side). A kubeconfig or a binding is compared
 * with the API server configurations nearest to it in the folder tree: those that share the
 * longest folder prefix with it. In a one-cluster repository that is every configuration.
 */
import { posix } from 'node:path';
import type { ParsedFile } from './types';

/** The file the user edits (an embedded file's host). */
export function hostFile(parsed: ParsedFile): string {
  return parsed.host?.file ?? parsed.file;
}

function folders(file: string): string[] {
  const normalized = posix.normalize(file.replace(/\\/g, '/'));
  return posix.dirname(normalized).split('/').filter((part) => part !== '' && part !== '.');
}

function sharedDepth(a: string[], b: string[]): number {
  let depth = 0;
  while (depth < a.length && depth < b.length && a[depth] === b[depth]) depth++;
  return depth;
}

export function configuresApiServer(parsed: ParsedFile): boolean {
  return parsed.kinds.has('talos-config') || parsed.kinds.has('talos-patch') || parsed.kinds.has('authentication-config');
}

export class ClusterScope {
  private readonly configs: ParsedFile[];
  private readonly nearestCache = new Map<string, Set<string>>();
  /** Folders shared by every configuration of the workspace. */
  private readonly commonFolders: string[];

  /**
   * With several clusters (OIDC set in more than one folder below the shared one): the folders
   * that hold configurations. A kubeconfig or binding in another such folder (a repository whose
   * API server config is not among the files) is compared with none of them.
   */
  private readonly clusterFolders?: Set<string>;

  constructor(private readonly files: ParsedFile[]) {
    this.configs = files.filter(configuresApiServer);
    const all = this.configs.map((config) => folders(hostFile(config)));
    this.commonFolders = all.length === 0 ? [] : all.reduce((common, current) => common.slice(0, sharedDepth(common, current)));
    // Settings directly in the shared folder (a talconfig beside its patches/ folder) make it one cluster.
    const withOidc = new Set(this.configs.filter(setsOidc).map((config) => this.segment(hostFile(config))));
    if (withOidc.size >= 2 && !withOidc.has(undefined)) {
      this.clusterFolders = new Set(this.configs.map((config) => this.segment(hostFile(config))).filter((segment): segment is string => segment !== undefined));
    }
  }

  /** Host files of the configurations nearest to `file` (other than its own). */
  private nearest(file: string): Set<string> {
    const cached = this.nearestCache.get(file);
    if (cached) return cached;
    const own = folders(file);
    let best = -1;
    let found = new Set<string>();
    const segment = this.segment(file);
    if (this.clusterFolders && segment !== undefined && !this.clusterFolders.has(segment)) {
      this.nearestCache.set(file, found);
      return found;
    }
    for (const config of this.configs) {
      const other = hostFile(config);
      if (other === file) continue;
      const depth = sharedDepth(own, folders(other));
      if (depth > best) {
        best = depth;
        found = new Set([other]);
      } else if (depth === best) found.add(other);
    }
    this.nearestCache.set(file, found);
    return found;
  }

  /** Whether `a` and `b` may be compared: same file, or one is among the configurations nearest to the other. */
  related(a: ParsedFile, b: ParsedFile): boolean {
    const fileA = hostFile(a);
    const fileB = hostFile(b);
    if (fileA === fileB) return true;
    const aConfig = configuresApiServer(a);
    const bConfig = configuresApiServer(b);
    if (bConfig) return this.nearest(fileA).has(fileB);
    if (aConfig) return this.nearest(fileB).has(fileA);
    return true;
  }

  /** The files `parsed` is compared with. */
  filesFor(parsed: ParsedFile): ParsedFile[] {
    return this.files.filter((file) => file === parsed || this.related(parsed, file));
  }

  /** The folder right below the one all configurations share (undefined for a file directly in it). */
  private segment(file: string): string | undefined {
    const own = folders(file);
    if (sharedDepth(own, this.commonFolders) < this.commonFolders.length) return undefined;
    return own[this.commonFolders.length];
  }

  /**
   * A name for the cluster of `parsed` when the workspace holds several clusters (OIDC settings in
   * more than one folder below the folder all configurations share): that folder, with the
   * talconfig's `clusterName` when there is one. Undefined with one cluster, or when the file is
   * not tied to one.
   */
  clusterName(parsed: ParsedFile): string | undefined {
    if (!this.clusterFolders) return undefined;
    const own = hostFile(parsed);
    const segments = configuresApiServer(parsed) || parsed.talhelper || (parsed.embedded ?? []).some((entry) => configuresApiServer(entry.parsed))
      ? new Set([this.segment(own)])
      : new Set([...this.nearest(own)].map((file) => this.segment(file)));
    if (segments.size !== 1) return undefined;
    const [segment] = segments;
    if (segment === undefined) return undefined;
    const talconfig = this.files.find((file) => file.talhelper?.clusterName && this.segment(file.file) === segment);
    return talconfig?.talhelper?.clusterName ? `${talconfig.talhelper.clusterName} (${segment})` : segment;
  }
}

function setsOidc(parsed: ParsedFile): boolean {
  return Boolean(parsed.authenticationConfig || parsed.talos?.kubeAuthenticationConfig || parsed.talos?.extraArgs.some((arg) => arg.name === 'oidc-issuer-url' || arg.name === 'authentication-config'));
}
