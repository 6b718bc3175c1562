/**
 * A STAND-IN for the Kubernetes API server, for tests only. No real API server can run on the
 * machines that run these tests, so this small loopback HTTPS server answers exactly the
 * endpoints the cluster code uses, with response bodies shaped like the real ones (lists with
 * metadata, `Status` objects for errors, server-side apply with dryRun):
 *
 *   GET/PATCH(apply)/PUT/POST  /apis/rbac.authorization.k8s.io/v1/clusterrolebindings[/NAME]
 *   GET   /apis/rbac.authorization.k8s.io/v1/rolebindings            (all namespaces)
 *   POST  /apis/authentication.k8s.io/{v1,v1beta1,v1alpha1}/selfsubjectreviews
 *   POST  /apis/authorization.k8s.io/v1/selfsubjectaccessreviews
 *
 * Authentication is by bearer token (a table of token → user). Authorization is a tiny RBAC:
 * `system:masters` may do anything; other users get what ClusterRoleBindings to `cluster-admin`
 * (everything) or `view` (get/list/watch) give them. It proves the client's requests and its
 * handling of answers, not Kubernetes itself.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { rm } from 'node:fs/promises';
import { createTestCertificates, type TestCertificates } from '../provider/certs';

export interface FakeUser {
  username: string;
  groups: string[];
  uid?: string;
}

export interface StoredBinding {
  apiVersion: 'rbac.authorization.k8s.io/v1';
  kind: 'ClusterRoleBinding' | 'RoleBinding';
  metadata: { name: string; namespace?: string; resourceVersion?: string; uid?: string; managedFields?: unknown[] };
  roleRef: { apiGroup: string; kind: string; name: string };
  subjects?: { kind: string; name: string; apiGroup?: string; namespace?: string }[];
}

export interface FakeApiServerOptions {
  /** bearer token → user. */
  tokens: Record<string, FakeUser>;
  clusterRoleBindings?: StoredBinding[];
  roleBindings?: StoredBinding[];
  /** Kubernetes minor version to imitate: below 28 no v1 SelfSubjectReview, below 26 none at all. */
  minorVersion?: number;
  /** Answer server-side apply with 415, as API servers before 1.16 do. */
  noServerSideApply?: boolean;
  /** Page size for list calls, to exercise `continue` tokens. */
  pageSize?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType?: string;
  user?: string;
}

export interface FakeApiServer {
  url: string;
  certificates: TestCertificates;
  clusterRoleBindings: Map<string, StoredBinding>;
  requests: RecordedRequest[];
  /** A kubeconfig (text) with one context per token, named after the token. */
  kubeconfig(options?: { currentContext?: string; withCa?: boolean; server?: string }): string;
  stop(): Promise<void>;
}

const RBAC_GROUP = 'rbac.authorization.k8s.io';

export async function startFakeApiServer(options: FakeApiServerOptions): Promise<FakeApiServer> {
  const certificates = await createTestCertificates(['127.0.0.1']);
  let version = 100;
  const clusterRoleBindings = new Map(
    (options.clusterRoleBindings ?? []).map((binding) => [binding.metadata.name, withVersion(binding)]),
  );
  const roleBindings = (options.roleBindings ?? []).map(withVersion);
  const requests: RecordedRequest[] = [];
  const minor = options.minorVersion ?? 31;

  function withVersion(binding: StoredBinding): StoredBinding {
    return {
      ...binding,
      metadata: { ...binding.metadata, resourceVersion: String(++version), uid: `uid-${binding.metadata.name}` },
    };
  }

  const server: Server = createServer({ key: certificates.keyPem, cert: certificates.certPem }, (request, response) => {
    readBody(request)
      .then((body) => handle(request, response, body))
      .catch((error: unknown) => sendStatus(response, 500, 'InternalError', String(error)));
  });

  function handle(request: IncomingMessage, response: ServerResponse, rawBody: string): void {
    const url = new URL(request.url ?? '/', 'https://127.0.0.1');
    const query = Object.fromEntries(url.searchParams);
    const method = request.method ?? 'GET';
    const auth = request.headers.authorization ?? '';
    const user = auth.startsWith('Bearer ') ? options.tokens[auth.slice('Bearer '.length)] : undefined;
    requests.push({
      method,
      path: url.pathname,
      query,
      contentType: request.headers['content-type'],
      user: user?.username,
    });
    if (!user) {
      // The real API server answers exactly this for any credential it does not accept.
      sendStatus(response, 401, 'Unauthorized', 'Unauthorized');
      return;
    }
    const body = rawBody ? safeJson(rawBody) : undefined;
    const path = url.pathname;
    const dryRun = query.dryRun === 'All';

    const ssr = /^\/apis\/authentication\.k8s\.io\/(v1|v1beta1|v1alpha1)\/selfsubjectreviews$/.exec(path);
    if (ssr && method === 'POST') {
      const available = ssr[1] === 'v1' ? minor >= 28 : ssr[1] === 'v1beta1' ? minor >= 27 : minor >= 26;
      if (!available) return sendNotFoundPage(response);
      sendJson(response, 201, {
        kind: 'SelfSubjectReview',
        apiVersion: `authentication.k8s.io/${ssr[1]}`,
        metadata: { creationTimestamp: null },
        status: {
          userInfo: { username: user.username, uid: user.uid, groups: [...user.groups, 'system:authenticated'] },
        },
      });
      return;
    }
    if (path === '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews' && method === 'POST') {
      const attributes =
        (
          body as {
            spec?: { resourceAttributes?: { verb?: string; resource?: string; group?: string; namespace?: string } };
          }
        )?.spec?.resourceAttributes ?? {};
      const decision = authorize(user, attributes.verb ?? '', attributes.resource ?? '');
      sendJson(response, 201, {
        kind: 'SelfSubjectAccessReview',
        apiVersion: 'authorization.k8s.io/v1',
        metadata: { creationTimestamp: null },
        spec: { resourceAttributes: attributes },
        status: decision.allowed ? { allowed: true, reason: decision.reason } : { allowed: false },
      });
      return;
    }
    const collection = `/apis/${RBAC_GROUP}/v1/clusterrolebindings`;
    if (path === collection && method === 'GET') {
      if (!authorize(user, 'list', 'clusterrolebindings').allowed)
        return sendForbidden(response, user, 'list', 'clusterrolebindings', true);
      return sendList(response, 'ClusterRoleBindingList', [...clusterRoleBindings.values()], query);
    }
    if (path === `/apis/${RBAC_GROUP}/v1/rolebindings` && method === 'GET') {
      if (!authorize(user, 'list', 'rolebindings').allowed)
        return sendForbidden(response, user, 'list', 'rolebindings', true);
      return sendList(response, 'RoleBindingList', roleBindings, query);
    }
    if (path === collection && method === 'POST') {
      if (!authorize(user, 'create', 'clusterrolebindings').allowed)
        return sendForbidden(response, user, 'create', 'clusterrolebindings', true);
      const object = body as StoredBinding;
      if (clusterRoleBindings.has(object.metadata.name)) {
        return sendStatus(
          response,
          409,
          'AlreadyExists',
          `clusterrolebindings.${RBAC_GROUP} "${object.metadata.name}" already exists`,
        );
      }
      return store(response, object, dryRun, 201);
    }
    const item = new RegExp(`^${collection}/([^/]+)$`).exec(path);
    if (item) {
      const name = decodeURIComponent(item[1]);
      const existing = clusterRoleBindings.get(name);
      if (method === 'GET') {
        if (!authorize(user, 'get', 'clusterrolebindings').allowed)
          return sendForbidden(response, user, 'get', 'clusterrolebindings', true, name);
        if (!existing)
          return sendStatus(response, 404, 'NotFound', `clusterrolebindings.${RBAC_GROUP} "${name}" not found`, {
            name,
            group: RBAC_GROUP,
            kind: 'clusterrolebindings',
          });
        return sendJson(response, 200, existing);
      }
      if (method === 'PATCH') {
        if (request.headers['content-type'] !== 'application/apply-patch+yaml') {
          return sendStatus(
            response,
            415,
            'UnsupportedMediaType',
            `the body of the request was in an unknown format - accepted media types include: application/apply-patch+yaml`,
          );
        }
        if (options.noServerSideApply) {
          return sendStatus(
            response,
            415,
            'UnsupportedMediaType',
            'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json',
          );
        }
        if (!authorize(user, 'patch', 'clusterrolebindings').allowed)
          return sendForbidden(response, user, 'patch', 'clusterrolebindings', true, name);
        if (!query.fieldManager)
          return sendStatus(
            response,
            400,
            'BadRequest',
            'PATCH, application/apply-patch+yaml requires fieldManager to be set',
          );
        const object = body as StoredBinding;
        if (
          existing &&
          (existing.roleRef.name !== object.roleRef?.name || existing.roleRef.kind !== object.roleRef?.kind)
        ) {
          return sendStatus(
            response,
            422,
            'Invalid',
            `ClusterRoleBinding.${RBAC_GROUP} "${name}" is invalid: roleRef: Invalid value: ${JSON.stringify(object.roleRef)}: cannot change roleRef`,
          );
        }
        return store(response, object, dryRun, existing ? 200 : 201);
      }
      if (method === 'PUT') {
        if (!authorize(user, 'update', 'clusterrolebindings').allowed)
          return sendForbidden(response, user, 'update', 'clusterrolebindings', true, name);
        return store(response, body as StoredBinding, dryRun, existing ? 200 : 201);
      }
    }
    sendNotFoundPage(response);
  }

  function store(response: ServerResponse, object: StoredBinding, dryRun: boolean, code: number): void {
    const stored: StoredBinding = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: {
        name: object.metadata.name,
        resourceVersion: String(version + 1),
        uid: `uid-${object.metadata.name}`,
        managedFields: [{ manager: 'talos-oidc', operation: 'Apply' }],
      },
      roleRef: object.roleRef,
      subjects: object.subjects,
    };
    if (!dryRun) {
      version += 1;
      clusterRoleBindings.set(stored.metadata.name, stored);
    }
    sendJson(response, code, stored);
  }

  /** RBAC as far as these tests need it. */
  function authorize(user: FakeUser, verb: string, resource: string): { allowed: boolean; reason?: string } {
    if (user.groups.includes('system:masters')) return { allowed: true, reason: '' };
    const groups = new Set([...user.groups, 'system:authenticated']);
    for (const binding of clusterRoleBindings.values()) {
      const named = (binding.subjects ?? []).some(
        (subject) =>
          (subject.kind === 'User' && subject.name === user.username) ||
          (subject.kind === 'Group' && groups.has(subject.name)),
      );
      if (!named) continue;
      const reason = `RBAC: allowed by ClusterRoleBinding "${binding.metadata.name}" of ClusterRole "${binding.roleRef.name}" to User "${user.username}"`;
      if (binding.roleRef.name === 'cluster-admin') return { allowed: true, reason };
      if (
        binding.roleRef.name === 'view' &&
        ['get', 'list', 'watch'].includes(verb) &&
        resource !== '*' &&
        resource !== 'secrets'
      )
        return { allowed: true, reason };
    }
    return { allowed: false };
  }

  function sendList(
    response: ServerResponse,
    kind: string,
    items: StoredBinding[],
    query: Record<string, string>,
  ): void {
    const pageSize = options.pageSize ?? (Number(query.limit) || items.length || 1);
    const start = query.continue ? Number(Buffer.from(query.continue, 'base64').toString('utf8')) : 0;
    const page = items.slice(start, start + pageSize);
    const next = start + pageSize < items.length ? Buffer.from(String(start + pageSize)).toString('base64') : undefined;
    sendJson(response, 200, {
      kind,
      apiVersion: `${RBAC_GROUP}/v1`,
      metadata: { resourceVersion: String(version), ...(next ? { continue: next } : {}) },
      items: page,
    });
  }

  function sendForbidden(
    response: ServerResponse,
    user: FakeUser,
    verb: string,
    resource: string,
    clusterScope: boolean,
    name?: string,
  ): void {
    const target = `resource "${resource}" in API group "${RBAC_GROUP}"`;
    sendStatus(
      response,
      403,
      'Forbidden',
      `${resource}.${RBAC_GROUP}${name ? ` "${name}"` : ''} is forbidden: User "${user.username}" cannot ${verb} ${target}${clusterScope ? ' at the cluster scope' : ''}`,
      { name, group: RBAC_GROUP, kind: resource },
    );
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    certificates,
    clusterRoleBindings,
    requests,
    kubeconfig({ currentContext, withCa = true, server: serverUrl = url } = {}) {
      const names = Object.keys(options.tokens);
      const ca = Buffer.from(certificates.caPem).toString('base64');
      return [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: fake',
        '  cluster:',
        `    server: ${serverUrl}`,
        ...(withCa ? [`    certificate-authority-data: ${ca}`] : []),
        'users:',
        ...names.flatMap((token) => [`- name: ${token}`, '  user:', `    token: ${token}`]),
        'contexts:',
        ...names.flatMap((token) => [`- name: ${token}`, '  context:', '    cluster: fake', `    user: ${token}`]),
        `current-context: ${currentContext ?? names[0]}`,
        '',
      ].join('\n');
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(certificates.dir, { recursive: true, force: true });
    },
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function sendJson(response: ServerResponse, code: number, body: unknown): void {
  response.writeHead(code, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** The meta/v1 Status object the API server answers errors with. */
function sendStatus(
  response: ServerResponse,
  code: number,
  reason: string,
  message: string,
  details?: Record<string, unknown>,
): void {
  sendJson(response, code, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  });
}

/** An unknown path: the real API server answers a plain 404 page for paths outside any group. */
function sendNotFoundPage(response: ServerResponse): void {
  sendStatus(response, 404, 'NotFound', 'the server could not find the requested resource');
}
