export interface LocalClusterOptions {
  /** kube-apiserver OIDC flags as on its command line, e.g. `--oidc-issuer-url=https://...`. */
  oidcArgs?: string[];
  /** The body of an AuthenticationConfiguration file, passed with `--authentication-config`. */
  authenticationConfig?: string;
  /** More kube-apiserver flags (after the harness's own, so they win). */
  extraArgs?: string[];
  /** Default 180 s: a cold start on a busy machine is slow. */
  readyTimeoutMs?: number;
  /** Progress lines (builds, readiness). */
  log?: (line: string) => void;
}

export interface LocalCluster {
  /** `https://127.0.0.1:<port>` */
  url: string;
  /** The PEM file of the CA that signed the serving certificate (and the admin client certificate). */
  caFile: string;
  caPem: string;
  /** A kubeconfig file whose current context is an admin (client certificate in system:masters). */
  adminKubeconfig: string;
  /** The run's folder (certificates, etcd data, configuration); removed at stop or exit. */
  dir: string;
  /** kube-apiserver's command line. */
  args: string[];
  /** kube-apiserver's output so far (its log). */
  logs(): string;
  etcdLogs(): string;
  stop(): Promise<void>;
}

export const CLUSTER_TOOLS: readonly ['etcd', 'kube-apiserver'];

export function localClusterAvailability(): {
  ready: boolean;
  buildable: boolean;
  tools: Record<string, { path?: string }>;
  reason?: string;
};

export function freePort(): Promise<number>;

export function startLocalCluster(options?: LocalClusterOptions): Promise<LocalCluster>;

/** Builds (or reuses) a Go tool under test/go; `{ path }` or `{ error }` with go build's output. */
export function tryGoTool(
  name: string,
  options?: { log?: (line: string) => void },
): Promise<{ path?: string; error?: string }>;
