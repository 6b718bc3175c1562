/**
 * Which cluster a file belongs to, in a workspace that may hold several (a monorepo with one
 * folder per cluster, or many repositories side by side). The folders right below the one all
 * API server configurations share are the candidates; folders whose configurations trust the same
 * issuer are one cluster (folders by purpose, or clusters that share everything that matters
 * here), folders with different issuers are different clusters. With several clusters, a
 * kubeconfig or binding in a cluster's folder is compared with that cluster only, one in a folder
 * of its own (a repository whose API server config is not among the files) with none, and one
 * outside every cluster folder with all of them.
 */
import { posix } from 'node:path';
import type { ParsedFile } from './types';

/** The file the user edits (an embedded file's host). */
export function hostFile(parsed: ParsedFile): string {
  return parsed.host?.file ?? parsed.file;
}

/**
 * Every file's folders are asked for once per other file of the workspace (each file's checks
 * build a scope of the whole workspace), so they are remembered, up to a bound.
 */
const foldersOfFile = new Map<string, string[]>();
const MAX_REMEMBERED_FOLDERS = 20_000;

function folders(file: string): string[] {
  let found = foldersOfFile.get(file);
  if (!found) {
    if (foldersOfFile.size >= MAX_REMEMBERED_FOLDERS) foldersOfFile.clear();
    found = splitFolders(file);
    foldersOfFile.set(file, found);
  }
  return found;
}

function splitFolders(file: string): string[] {
  const normalized = posix.normalize(file.replace(/\\/g, '/'));
  return posix
    .dirname(normalized)
    .split('/')
    .filter((part) => part !== '' && part !== '.');
}

function sharedDepth(a: string[], b: string[]): number {
  let depth = 0;
  while (depth < a.length && depth < b.length && a[depth] === b[depth]) depth++;
  return depth;
}

export function configuresApiServer(parsed: ParsedFile): boolean {
  return (
    parsed.kinds.has('talos-config') || parsed.kinds.has('talos-patch') || parsed.kinds.has('authentication-config')
  );
}

const issuersOfFile = new WeakMap<ParsedFile, string[]>();

/** The issuers a configuration trusts, as written (placeholders such as `<issuer>` left out: they say nothing). */
function issuersOf(parsed: ParsedFile): string[] {
  let found = issuersOfFile.get(parsed);
  if (!found) issuersOfFile.set(parsed, (found = readIssuers(parsed)));
  return found;
}

function readIssuers(parsed: ParsedFile): string[] {
  const urls: unknown[] = [];
  for (const arg of parsed.talos?.extraArgs ?? []) if (arg.name === 'oidc-issuer-url') urls.push(...arg.values);
  const bodies = [parsed.authenticationConfig?.body, parsed.talos?.kubeAuthenticationConfig?.configuration];
  for (const body of bodies) {
    const jwt = (body as { jwt?: unknown } | undefined)?.jwt;
    if (Array.isArray(jwt))
      for (const entry of jwt) urls.push((entry as { issuer?: { url?: unknown } } | null)?.issuer?.url);
  }
  return urls
    .filter((url): url is string => typeof url === 'string' && url.trim() !== '' && !/<[^<>]+>/.test(url))
    .map((url) => url.trim().replace(/\/+$/, ''));
}

type Group = 'all' | 'none' | number;

export class ClusterScope {
  /** Folders shared by every configuration of the workspace. */
  private readonly commonFolders: string[];
  /** Cluster folder → its cluster number, when the workspace holds several clusters. */
  private readonly clusterOfFolder = new Map<string, number>();
  private readonly clusterCount: number;

  constructor(private files: ParsedFile[]) {
    const configs = files.filter(configuresApiServer);
    const all = configs.map((config) => folders(hostFile(config)));
    this.commonFolders =
      all.length === 0 ? [] : all.reduce((common, current) => common.slice(0, sharedDepth(common, current)));
    // Issuers per folder below the shared one; folders that share an issuer are one cluster.
    const issuersByFolder = new Map<string, Set<string>>();
    for (const config of configs) {
      const folder = this.segment(hostFile(config));
      const issuers = issuersOf(config);
      if (folder === undefined || issuers.length === 0) continue;
      const set = issuersByFolder.get(folder) ?? new Set<string>();
      for (const issuer of issuers) set.add(issuer);
      issuersByFolder.set(folder, set);
    }
    const foldersInOrder = [...issuersByFolder.keys()];
    const parent = foldersInOrder.map((_, index) => index);
    const root = (index: number): number => (parent[index] === index ? index : (parent[index] = root(parent[index])));
    const owner = new Map<string, number>();
    foldersInOrder.forEach((folder, index) => {
      for (const issuer of issuersByFolder.get(folder)!) {
        const seen = owner.get(issuer);
        if (seen === undefined) owner.set(issuer, index);
        else parent[root(index)] = root(seen);
      }
    });
    const roots = new Set(foldersInOrder.map((_, index) => root(index)));
    // A config directly in the shared folder (a talconfig beside its patches/ folder) makes it all one cluster.
    const directlyShared = configs.some(
      (config) => this.segment(hostFile(config)) === undefined && issuersOf(config).length > 0,
    );
    this.clusterCount = directlyShared ? 1 : roots.size;
    if (this.clusterCount > 1) foldersInOrder.forEach((folder, index) => this.clusterOfFolder.set(folder, root(index)));
  }

  /**
   * The same scope, its files ordered as `checkFile` orders them for `host`: the other files
   * first, then `host`'s own (it and its embedded files). Which files form a cluster does not
   * depend on the order, so a batch of files shares one scope.
   */
  forHost(host: string): ClusterScope {
    const scope = Object.assign(Object.create(ClusterScope.prototype) as ClusterScope, this);
    scope.files = [
      ...this.files.filter((file) => hostFile(file) !== host),
      ...this.files.filter((file) => hostFile(file) === host),
    ];
    return scope;
  }

  /** The files of the scope, in order. */
  all(): ParsedFile[] {
    return this.files;
  }

  /** The folder right below the one all configurations share (undefined for a file directly in it or outside it). */
  private segment(file: string): string | undefined {
    const own = folders(file);
    if (sharedDepth(own, this.commonFolders) < this.commonFolders.length) return undefined;
    return own[this.commonFolders.length];
  }

  /** The cluster of a file: its folder's, none for a folder without OIDC settings of its own, all outside the cluster folders. */
  private groupOf(parsed: ParsedFile): Group {
    if (this.clusterCount <= 1) return 'all';
    const folder = this.segment(hostFile(parsed));
    if (folder === undefined) return 'all';
    return this.clusterOfFolder.get(folder) ?? 'none';
  }

  /** Whether `a` and `b` may be compared: same file, one cluster, or either is tied to no cluster folder. */
  related(a: ParsedFile, b: ParsedFile): boolean {
    if (hostFile(a) === hostFile(b)) return true;
    const groupA = this.groupOf(a);
    const groupB = this.groupOf(b);
    if (groupA === 'all' || groupB === 'all') return true;
    if (groupA === 'none' || groupB === 'none') return !configuresApiServer(a) && !configuresApiServer(b);
    return groupA === groupB;
  }

  /** The files `parsed` is compared with. */
  filesFor(parsed: ParsedFile): ParsedFile[] {
    return this.files.filter((file) => file === parsed || this.related(parsed, file));
  }

  /**
   * A name for the cluster of `parsed` when the workspace holds several clusters: its folder,
   * with the talconfig's `clusterName` when there is one. Undefined with one cluster, or when the
   * file is not tied to one.
   */
  clusterName(parsed: ParsedFile): string | undefined {
    const group = this.groupOf(parsed);
    if (typeof group !== 'number') return undefined;
    const folder = this.segment(hostFile(parsed))!;
    const talconfig = this.files.find((file) => file.talhelper?.clusterName && this.segment(file.file) === folder);
    return talconfig?.talhelper?.clusterName ? `${talconfig.talhelper.clusterName} (${folder})` : folder;
  }
}
