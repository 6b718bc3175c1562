/**
 * Every way a cluster request fails, turned into one sentence a user can act on. The raw error
 * (a Node socket error, an HTTP status with the API server's `Status` object) is kept for the log,
 * never shown as a stack trace.
 */

/** The Kubernetes `Status` object the API server answers errors with (meta/v1). */
export interface KubernetesStatus {
  kind?: string;
  apiVersion?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: { reason?: string; message?: string; field?: string }[];
  };
}

export type ClusterFailureKind =
  | 'kubeconfig' // the kubeconfig, context or credentials cannot be used
  | 'unreachable' // no connection (refused, unknown host, timeout)
  | 'tls' // the server's certificate was not accepted
  | 'unauthorized' // 401: the API server did not accept the credentials
  | 'forbidden' // 403: authenticated, but RBAC says no
  | 'not-found' // 404 for an object
  | 'unsupported' // 404/415 for an API or feature the cluster is too old for
  | 'conflict' // 409 / 422: the object cannot be written as asked
  | 'credential-plugin' // the exec credential plugin (kubelogin) failed
  | 'server'; // anything else the API server answered

export class ClusterError extends Error {
  constructor(
    readonly kind: ClusterFailureKind,
    message: string,
    /** Things to check, most likely first. */
    readonly hints: string[] = [],
    readonly httpStatus?: number,
    /** The API server's own answer, when it gave one. */
    readonly status?: KubernetesStatus,
  ) {
    super(message);
    this.name = 'ClusterError';
  }

  /** Message and hints as one text for a notification or the command line. */
  describe(): string {
    return this.hints.length === 0
      ? this.message
      : `${this.message}\n${this.hints.map((hint) => `- ${hint}`).join('\n')}`;
  }
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_SIGNATURE_FAILURE',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

/** A socket or TLS error from Node's https module, for the API server at `server`. */
export function connectionFailure(error: unknown, server: string): ClusterError {
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
  const text = error instanceof Error ? error.message : String(error);
  if (TLS_CODES.has(code) || /certificate|SSL|TLS/i.test(text)) {
    const hints = [
      'the cluster entry needs the CA that signed the API server certificate (`certificate-authority-data` from `talosctl kubeconfig`)',
    ];
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
      hints.unshift(
        "the server address is not among the certificate's names: add it to `cluster.apiServer.certSANs` in the Talos config, or use an address that is",
      );
    }
    if (code === 'CERT_HAS_EXPIRED') hints.unshift("the certificate has expired (or this computer's clock is wrong)");
    return new ClusterError('tls', `The TLS certificate of ${server} was not accepted: ${text}.`, hints);
  }
  const unreachable: Record<string, string> = {
    ECONNREFUSED: 'nothing listens there (connection refused)',
    ENOTFOUND: 'the host name does not resolve',
    EAI_AGAIN: 'the host name could not be resolved right now',
    EHOSTUNREACH: 'the host cannot be reached',
    ENETUNREACH: 'the network cannot be reached',
    ETIMEDOUT: 'the connection timed out',
    ECONNRESET: 'the connection was reset',
    TIMEOUT: 'no answer in time',
  };
  if (code in unreachable) {
    return new ClusterError('unreachable', `Cannot reach the API server at ${server}: ${unreachable[code]}.`, [
      'check the `server` address of the kubeconfig cluster and that the control plane is up (`talosctl health`)',
      'a VPN or firewall may be in the way',
    ]);
  }
  return new ClusterError('unreachable', `The request to ${server} failed: ${text}.`);
}

/** Hints that depend on which credentials were used. */
export interface FailureContext {
  /** What was being done, e.g. `list ClusterRoleBindings`. */
  action: string;
  /** `admin` (the admin context) or `oidc` (the OIDC user): 401 and 403 mean different things. */
  as: 'admin' | 'oidc';
  /** Likely causes the caller already knows (from the core's checks and the token review). */
  knownCauses?: string[];
}

/** An HTTP error status from the API server, with its Status body when it sent one. */
export function httpFailure(httpStatus: number, body: unknown, context: FailureContext): ClusterError {
  const status = asStatus(body);
  const said = status?.message ? `: "${status.message}"` : '';
  switch (httpStatus) {
    case 401: {
      const hints =
        context.as === 'oidc'
          ? [
              ...(context.knownCauses ?? []),
              "the token's `iss` and `aud` must equal the API server's issuer URL and client ID character for character",
              "the token may have expired, or kubelogin's cache holds an old one (`kubectl oidc-login clean`)",
              'the API server may not have the OIDC settings yet: was the config applied to every control-plane node?',
              'the API server logs the exact reason (`talosctl logs kube-apiserver` on a control-plane node)',
            ]
          : ['the admin credentials were refused: get a fresh admin kubeconfig with `talosctl kubeconfig`'];
      return new ClusterError(
        'unauthorized',
        `The API server did not accept the credentials (401 Unauthorized${said}) while trying to ${context.action}.`,
        hints,
        httpStatus,
        status,
      );
    }
    case 403:
      return new ClusterError(
        'forbidden',
        `The API server refused to ${context.action} (403 Forbidden${said}).`,
        context.as === 'admin'
          ? ['use a context with cluster-admin rights (the admin kubeconfig from `talosctl kubeconfig`)']
          : ['the user is authenticated but no RBAC binding allows this: bind its group or user name'],
        httpStatus,
        status,
      );
    case 404:
      return new ClusterError(
        'not-found',
        `Not found while trying to ${context.action} (404${said}).`,
        [],
        httpStatus,
        status,
      );
    case 409:
    case 422:
      return new ClusterError(
        'conflict',
        `The API server rejected the request to ${context.action} (${httpStatus} ${status?.reason ?? ''}${said}).`,
        conflictHints(status),
        httpStatus,
        status,
      );
    case 415:
      return new ClusterError(
        'unsupported',
        `The API server does not support this request type (415${said}) while trying to ${context.action}; the cluster may be too old.`,
        [],
        httpStatus,
        status,
      );
    case 429:
    case 500:
    case 502:
    case 503:
    case 504:
      return new ClusterError(
        'server',
        `The API server could not ${context.action} right now (${httpStatus}${said}).`,
        ['try again in a moment; during a Talos upgrade or reboot the API server restarts'],
        httpStatus,
        status,
      );
    default:
      return new ClusterError(
        'server',
        `The API server answered ${httpStatus} while trying to ${context.action}${said}.`,
        [],
        httpStatus,
        status,
      );
  }
}

function conflictHints(status: KubernetesStatus | undefined): string[] {
  const text = JSON.stringify(status ?? {});
  if (/roleRef/i.test(text)) {
    return [
      "a binding's roleRef cannot be changed: delete the existing ClusterRoleBinding of that name first, or choose another name",
    ];
  }
  return [];
}

export function asStatus(body: unknown): KubernetesStatus | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const candidate = body as KubernetesStatus;
  return candidate.kind === 'Status' || typeof candidate.message === 'string' ? candidate : undefined;
}

/** Any thrown value as a ClusterError (already one, or wrapped), for callers that show messages. */
export function toClusterError(error: unknown, fallbackAction: string): ClusterError {
  if (error instanceof ClusterError) return error;
  const text = error instanceof Error ? error.message : String(error);
  return new ClusterError('server', `Could not ${fallbackAction}: ${text}`);
}
