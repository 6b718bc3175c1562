/**
 * What the extension and the command line do on a live cluster: find the bindings that match an
 * identity, apply the ClusterRoleBinding (dry run first), and ask the API server who the OIDC user
 * is and what it may do. Each function takes a connection (see connection.ts) and throws only
 * ClusterError.
 */
import type {
  V1ClusterRoleBinding,
  V1RoleBinding,
  V1SelfSubjectAccessReview,
  V1SelfSubjectReview,
  V1UserInfo,
} from '@kubernetes/client-node';
import type { ClusterConnection } from './connection';
import { ClusterError } from './errors';
import {
  clusterRoleBindingObject,
  compareIdentity,
  matchBinding,
  type BindingMatch,
  type ClusterRoleBindingSpec,
  type IdentityComparison,
  type PredictedIdentity,
} from './identity';

const RBAC = '/apis/rbac.authorization.k8s.io/v1';
/** The field manager name the API server records for what this tool applies. */
export const FIELD_MANAGER = 'talos-oidc';

interface ListOf<T> {
  items?: T[];
  metadata?: { continue?: string };
}

async function listAll<T>(connection: ClusterConnection, path: string, action: string): Promise<T[]> {
  const items: T[] = [];
  let next: string | undefined;
  do {
    const page = await connection.request<ListOf<T>>(
      { method: 'GET', path, query: { limit: '500', continue: next } },
      { action, as: 'admin' },
    );
    items.push(...(page.items ?? []));
    next = page.metadata?.continue || undefined;
  } while (next);
  return items;
}

export interface MatchingBindings {
  clusterRoleBindings: BindingMatch[];
  roleBindings: BindingMatch[];
  /** How many of each the cluster has, to tell "none match" from "none exist". */
  scanned: { clusterRoleBindings: number; roleBindings: number };
}

/** The ClusterRoleBindings and RoleBindings (all namespaces) that name the identity. Needs the admin context. */
export async function listMatchingBindings(
  connection: ClusterConnection,
  identity: PredictedIdentity,
): Promise<MatchingBindings> {
  const [clusterRoleBindings, roleBindings] = await Promise.all([
    listAll<V1ClusterRoleBinding>(connection, `${RBAC}/clusterrolebindings`, 'list ClusterRoleBindings'),
    listAll<V1RoleBinding>(connection, `${RBAC}/rolebindings`, 'list RoleBindings in all namespaces'),
  ]);
  const matches = (kind: BindingMatch['kind'], bindings: (V1ClusterRoleBinding | V1RoleBinding)[]) =>
    bindings
      .map((binding) => matchBinding(kind, binding, identity))
      .filter((match): match is BindingMatch => match !== undefined);
  return {
    clusterRoleBindings: matches('ClusterRoleBinding', clusterRoleBindings),
    roleBindings: matches('RoleBinding', roleBindings),
    scanned: { clusterRoleBindings: clusterRoleBindings.length, roleBindings: roleBindings.length },
  };
}

type Subject = { kind: string; name: string };

export interface BindingPlan {
  /** create: no binding of that name yet; update: it exists and changes; unchanged: it already says this. */
  change: 'create' | 'update' | 'unchanged';
  name: string;
  clusterRole: string;
  existing?: V1ClusterRoleBinding;
  /** The object as the API server would store it (dry run) or stored it. */
  result: V1ClusterRoleBinding;
  /** Subjects in the existing binding that the apply removes (subjects is replaced whole). */
  removedSubjects: Subject[];
  addedSubjects: Subject[];
  /** True when this was a server-side dry run: nothing was written. */
  dryRun: boolean;
}

/**
 * Server-side apply of the binding (PATCH, application/apply-patch+yaml, field manager
 * `talos-oidc`, force so fields last written by kubectl are taken over). With `dryRun` the API
 * server validates and admits it but stores nothing. Clusters without server-side apply (before
 * 1.16 answer 415) get a create or replace instead.
 */
export async function applyClusterRoleBinding(
  connection: ClusterConnection,
  spec: ClusterRoleBindingSpec,
  options: { dryRun: boolean },
): Promise<BindingPlan> {
  const object = clusterRoleBindingObject(spec);
  const path = `${RBAC}/clusterrolebindings/${encodeURIComponent(spec.name)}`;
  const action = `${options.dryRun ? 'dry-run ' : ''}apply the ClusterRoleBinding "${spec.name}"`;
  const existing = await readOptional<V1ClusterRoleBinding>(
    connection,
    path,
    `read the ClusterRoleBinding "${spec.name}"`,
  );
  if (existing?.roleRef && (existing.roleRef.kind !== 'ClusterRole' || existing.roleRef.name !== spec.clusterRole)) {
    throw new ClusterError(
      'conflict',
      `The ClusterRoleBinding "${spec.name}" already exists for ${existing.roleRef.kind} "${existing.roleRef.name}", and a binding's role cannot be changed.`,
      [
        'choose another name, or delete the existing binding first if it is yours (`kubectl delete clusterrolebinding ' +
          spec.name +
          '`)',
      ],
    );
  }
  const dryRun = options.dryRun ? 'All' : undefined;
  let result: V1ClusterRoleBinding;
  try {
    result = await connection.request<V1ClusterRoleBinding>(
      {
        method: 'PATCH',
        path,
        query: { fieldManager: FIELD_MANAGER, force: 'true', dryRun },
        body: object,
        contentType: 'application/apply-patch+yaml',
      },
      { action, as: 'admin' },
    );
  } catch (error) {
    if (!(error instanceof ClusterError) || error.httpStatus !== 415) throw error;
    result = existing
      ? await connection.request<V1ClusterRoleBinding>(
          {
            method: 'PUT',
            path,
            query: { fieldManager: FIELD_MANAGER, dryRun },
            body: { ...object, metadata: { ...object.metadata, resourceVersion: existing.metadata?.resourceVersion } },
          },
          { action, as: 'admin' },
        )
      : await connection.request<V1ClusterRoleBinding>(
          {
            method: 'POST',
            path: `${RBAC}/clusterrolebindings`,
            query: { fieldManager: FIELD_MANAGER, dryRun },
            body: object,
          },
          { action, as: 'admin' },
        );
  }
  const before = subjectsOf(existing);
  const after = subjectsOf(result);
  const key = (subject: Subject) => `${subject.kind}\u0000${subject.name}`;
  const beforeKeys = new Set(before.map(key));
  const afterKeys = new Set(after.map(key));
  const removedSubjects = before.filter((subject) => !afterKeys.has(key(subject)));
  const addedSubjects = after.filter((subject) => !beforeKeys.has(key(subject)));
  const change = !existing
    ? 'create'
    : removedSubjects.length === 0 && addedSubjects.length === 0
      ? 'unchanged'
      : 'update';
  return {
    change,
    name: spec.name,
    clusterRole: spec.clusterRole,
    existing,
    result,
    removedSubjects,
    addedSubjects,
    dryRun: options.dryRun,
  };
}

function subjectsOf(binding: V1ClusterRoleBinding | undefined): Subject[] {
  return (binding?.subjects ?? []).map((subject) => ({ kind: subject.kind, name: subject.name }));
}

async function readOptional<T>(connection: ClusterConnection, path: string, action: string): Promise<T | undefined> {
  try {
    return await connection.request<T>({ method: 'GET', path }, { action, as: 'admin' });
  } catch (error) {
    if (error instanceof ClusterError && error.kind === 'not-found') return undefined;
    throw error;
  }
}

/** A plan as text, for the confirmation dialog and the log. */
export function describePlan(plan: BindingPlan): string {
  const subjects = (list: Subject[]) => list.map((subject) => `${subject.kind} ${subject.name}`).join(', ');
  const lines = [
    plan.change === 'create'
      ? `${plan.dryRun ? 'Would create' : 'Created'} ClusterRoleBinding "${plan.name}" → ClusterRole "${plan.clusterRole}" for ${subjects(subjectsOf(plan.result))}.`
      : plan.change === 'update'
        ? `${plan.dryRun ? 'Would update' : 'Updated'} ClusterRoleBinding "${plan.name}" → ClusterRole "${plan.clusterRole}".`
        : `ClusterRoleBinding "${plan.name}" already binds ClusterRole "${plan.clusterRole}" to ${subjects(subjectsOf(plan.result))}; nothing changes.`,
  ];
  if (plan.addedSubjects.length > 0 && plan.change === 'update') lines.push(`Adds: ${subjects(plan.addedSubjects)}.`);
  if (plan.removedSubjects.length > 0)
    lines.push(`Removes (the binding's subjects are replaced as a whole): ${subjects(plan.removedSubjects)}.`);
  return lines.join('\n');
}

/** SelfSubjectReview: GA (v1) since Kubernetes 1.28, beta in 1.27, alpha in 1.26. */
const SELF_SUBJECT_REVIEW_VERSIONS = ['v1', 'v1beta1', 'v1alpha1'] as const;

export interface WhoAmI {
  userInfo: V1UserInfo;
  /** The API version that answered (older clusters answer only beta or alpha). */
  apiVersion: string;
}

/** "Who am I" as the API server sees the connection's credentials. */
export async function whoAmI(connection: ClusterConnection, knownCauses?: string[]): Promise<WhoAmI> {
  for (const version of SELF_SUBJECT_REVIEW_VERSIONS) {
    try {
      const review = await connection.request<V1SelfSubjectReview>(
        {
          method: 'POST',
          path: `/apis/authentication.k8s.io/${version}/selfsubjectreviews`,
          body: { apiVersion: `authentication.k8s.io/${version}`, kind: 'SelfSubjectReview' },
        },
        { action: 'ask who the user is (SelfSubjectReview)', as: 'oidc', knownCauses },
      );
      return { userInfo: review.status?.userInfo ?? {}, apiVersion: `authentication.k8s.io/${version}` };
    } catch (error) {
      if (error instanceof ClusterError && error.kind === 'not-found') continue;
      throw error;
    }
  }
  throw new ClusterError(
    'unsupported',
    'This cluster has no SelfSubjectReview API (authentication.k8s.io), which Kubernetes has since 1.26 (GA in 1.28): it is too old to say who the user is.',
    ['the access checks below still work; `kubectl auth can-i --list` shows what the user may do'],
    404,
  );
}

export interface AccessCheck {
  /** Shown to the user, e.g. `get pods (namespace default)`. */
  label: string;
  verb: string;
  resource: string;
  group?: string;
  namespace?: string;
}

/** The checks the issue asks for: an ordinary read, a cluster-scoped list, and everything. */
export const DEFAULT_ACCESS_CHECKS: AccessCheck[] = [
  { label: 'get pods in namespace default', verb: 'get', resource: 'pods', group: '', namespace: 'default' },
  { label: 'list nodes', verb: 'list', resource: 'nodes', group: '' },
  { label: 'everything (* on *)', verb: '*', resource: '*', group: '*' },
];

export interface AccessResult {
  check: AccessCheck;
  allowed: boolean;
  /** The authorizer's explanation, when it gave one (RBAC names the binding that allowed it). */
  reason?: string;
  evaluationError?: string;
}

export async function checkAccess(
  connection: ClusterConnection,
  checks: AccessCheck[] = DEFAULT_ACCESS_CHECKS,
  knownCauses?: string[],
): Promise<AccessResult[]> {
  const results: AccessResult[] = [];
  for (const check of checks) {
    const review = await connection.request<V1SelfSubjectAccessReview>(
      {
        method: 'POST',
        path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
        body: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectAccessReview',
          spec: {
            resourceAttributes: {
              verb: check.verb,
              resource: check.resource,
              group: check.group,
              namespace: check.namespace,
            },
          },
        },
      },
      { action: `check whether the user may ${check.label}`, as: 'oidc', knownCauses },
    );
    results.push({
      check,
      allowed: review.status?.allowed === true,
      reason: review.status?.reason || undefined,
      evaluationError: review.status?.evaluationError || undefined,
    });
  }
  return results;
}

export interface OidcVerification {
  whoAmI?: WhoAmI;
  /** Set when the cluster is too old for SelfSubjectReview; the access checks still ran. */
  whoAmIError?: ClusterError;
  comparison?: IdentityComparison;
  access: AccessResult[];
}

/** Who the OIDC user is (compared with the prediction, when given) and what it may do. */
export async function verifyOidcUser(
  connection: ClusterConnection,
  predicted?: PredictedIdentity,
  knownCauses?: string[],
): Promise<OidcVerification> {
  let who: WhoAmI | undefined;
  let whoAmIError: ClusterError | undefined;
  try {
    who = await whoAmI(connection, knownCauses);
  } catch (error) {
    if (!(error instanceof ClusterError) || error.kind !== 'unsupported') throw error;
    whoAmIError = error;
  }
  const access = await checkAccess(connection, DEFAULT_ACCESS_CHECKS, knownCauses);
  const comparison =
    who && predicted
      ? compareIdentity(predicted, { username: who.userInfo.username, groups: who.userInfo.groups })
      : undefined;
  return { whoAmI: who, whoAmIError, comparison, access };
}

/** A verification as text lines for a message or the log. */
export function describeVerification(result: OidcVerification): string[] {
  const lines: string[] = [];
  if (result.whoAmI) {
    const info = result.whoAmI.userInfo;
    lines.push(
      `The API server sees you as "${info.username ?? ''}" in groups ${(info.groups ?? []).join(', ') || '(none)'}.`,
    );
  } else if (result.whoAmIError) {
    lines.push(result.whoAmIError.message);
  }
  if (result.comparison) {
    lines.push(
      result.comparison.same
        ? 'This is what the configuration predicts.'
        : `This differs from the prediction: ${result.comparison.differences.join('; ')}.`,
    );
  }
  for (const access of result.access) {
    lines.push(
      `${access.allowed ? 'allowed' : 'denied'}: ${access.check.label}${access.reason ? ` (${access.reason})` : ''}${access.evaluationError ? ` [${access.evaluationError}]` : ''}`,
    );
  }
  return lines;
}
