/**
 * A connection to one cluster through `@kubernetes/client-node`: it reads the kubeconfig, picks
 * the context, runs credential plugins (kubelogin) and sets up TLS and proxies. Requests then go
 * through Node's https with those options rather than through the generated API classes, because
 * those drop the API server's answer on a 401 (and hand back unparsed text on other errors), and
 * that answer is what the user needs to see.
 *
 * Heavy: import this module only from the lazily loaded cluster bundle or the command line.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { dirname } from 'node:path';
import { KubeConfig, type Cluster } from '@kubernetes/client-node';
import { ClusterError, connectionFailure, httpFailure, type FailureContext } from './errors';

export interface ConnectionOptions {
  /** The kubeconfig's text. */
  kubeconfigText: string;
  /** Its path, so relative `certificate-authority` paths resolve as kubectl resolves them. */
  kubeconfigPath?: string;
  /** A context name; default the file's `current-context`. */
  context?: string;
  /**
   * Talk to the context's cluster as the holder of this bearer token (the test login's ID token)
   * instead of as the context's user.
   */
  bearerToken?: string;
  /** Per request; a credential plugin that opens a browser needs the longest. Default 30 s. */
  requestTimeoutMs?: number;
}

export interface ClusterConnection {
  /** The API server URL. */
  readonly server: string;
  readonly contextName: string;
  readonly userName: string;
  /** Sends one JSON request; resolves with the parsed body of a 2xx answer, else throws ClusterError. */
  request<T>(request: ApiRequest, context: FailureContext): Promise<T>;
}

export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  contentType?: string;
}

const TOKEN_USER = 'talos-oidc-bearer-token';

export function openConnection(options: ConnectionOptions): ClusterConnection {
  const config = loadKubeConfig(options);
  const context = config.getContextObject(config.getCurrentContext());
  const cluster = config.getCurrentCluster();
  if (!context || !cluster) {
    throw new ClusterError(
      'kubeconfig',
      `The context "${config.getCurrentContext()}" has no cluster in the kubeconfig.`,
    );
  }
  if (!cluster.server) throw new ClusterError('kubeconfig', `The cluster "${cluster.name}" has no server address.`);
  let effective = config;
  let userName = context.user;
  if (options.bearerToken !== undefined) {
    effective = withBearerToken(cluster, options.bearerToken);
    userName = '(the OIDC token)';
  } else if (!config.getCurrentUser()) {
    throw new ClusterError(
      'kubeconfig',
      `The context "${context.name}" names the user "${context.user}", which the kubeconfig does not define.`,
    );
  }
  return new KubeConfigConnection(effective, cluster.server, context.name, userName, options.requestTimeoutMs ?? 30000);
}

function loadKubeConfig(options: ConnectionOptions): KubeConfig {
  const config = new KubeConfig();
  try {
    config.loadFromString(options.kubeconfigText);
  } catch (error) {
    throw new ClusterError(
      'kubeconfig',
      `The kubeconfig${options.kubeconfigPath ? ` ${options.kubeconfigPath}` : ''} cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (options.kubeconfigPath) config.makePathsAbsolute(dirname(options.kubeconfigPath));
  if (options.context !== undefined) {
    if (!config.getContextObject(options.context)) {
      const known = config.getContexts().map((context) => context.name);
      throw new ClusterError(
        'kubeconfig',
        `The kubeconfig has no context "${options.context}"${known.length ? ` (it has: ${known.join(', ')})` : ''}.`,
      );
    }
    config.setCurrentContext(options.context);
  } else if (!config.getCurrentContext()) {
    throw new ClusterError('kubeconfig', 'The kubeconfig has no current-context; choose a context.');
  }
  return config;
}

/** The same cluster (server, CA, proxy), with the token as the only credential. */
function withBearerToken(cluster: Cluster, token: string): KubeConfig {
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [cluster],
    users: [{ name: TOKEN_USER, token }],
    contexts: [{ name: TOKEN_USER, cluster: cluster.name, user: TOKEN_USER }],
    currentContext: TOKEN_USER,
  });
  return config;
}

class KubeConfigConnection implements ClusterConnection {
  constructor(
    private readonly config: KubeConfig,
    readonly server: string,
    readonly contextName: string,
    readonly userName: string,
    private readonly timeoutMs: number,
  ) {}

  async request<T>(request: ApiRequest, context: FailureContext): Promise<T> {
    const options: https.RequestOptions = { headers: {} };
    try {
      await this.config.applyToHTTPSOptions(options);
    } catch (error) {
      // Credential plugins (kubelogin) and file-based credentials fail here.
      const text = error instanceof Error ? error.message : String(error);
      throw new ClusterError(
        'credential-plugin',
        `Could not get credentials for the user "${this.userName}": ${text}`,
        [
          "for an exec user, run the same kubectl command in a terminal to see the plugin's own output",
          'check that the plugin (e.g. `kubectl oidc-login`) is installed',
        ],
      );
    }
    const url = new URL(this.server.replace(/\/+$/, '') + request.path);
    for (const [key, value] of Object.entries(request.query ?? {}))
      if (value !== undefined) url.searchParams.set(key, value);
    const payload = request.body === undefined ? undefined : JSON.stringify(request.body);
    const headers: http.OutgoingHttpHeaders = {
      ...(options.headers as http.OutgoingHttpHeaders),
      Accept: 'application/json',
    };
    if (payload !== undefined) {
      headers['Content-Type'] = request.contentType ?? 'application/json';
      headers['Content-Length'] = Buffer.byteLength(payload);
    }
    const send = url.protocol === 'http:' ? http.request : https.request;
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const outgoing = send(
        url,
        { ...options, method: request.method, headers, timeout: this.timeoutMs },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
          );
          response.on('error', (error) => reject(connectionFailure(error, this.server)));
        },
      );
      outgoing.on('timeout', () => outgoing.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
      outgoing.on('error', (error) => reject(connectionFailure(error, this.server)));
      outgoing.end(payload);
    });
    const body = parseJson(text);
    if (status >= 200 && status < 300) {
      if (body === undefined)
        throw new ClusterError(
          'server',
          `The API server answered ${request.method} ${request.path} with something that is not JSON.`,
        );
      return body as T;
    }
    throw httpFailure(status, body, context);
  }
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
