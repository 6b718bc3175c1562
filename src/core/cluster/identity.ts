/**
 * The identity the API server gives an OIDC user, and which RBAC bindings name it. Plain data, no
 * client library: the extension uses this before the cluster bundle is loaded.
 */

/** Every authenticated request carries this group, so bindings to it match everyone. */
export const AUTHENTICATED_GROUP = 'system:authenticated';

export interface PredictedIdentity {
  username: string;
  /** Groups from the token authenticator, without `system:authenticated` (as TokenReview gives them). */
  groups: string[];
}

/** What RBAC sees: the token's groups plus `system:authenticated`, once. */
export function effectiveGroups(identity: PredictedIdentity): string[] {
  return [...new Set([...identity.groups, AUTHENTICATED_GROUP])];
}

/** The parts of an RBAC binding this module reads (a V1ClusterRoleBinding / V1RoleBinding fits). */
export interface BindingLike {
  kind?: string;
  metadata?: { name?: string; namespace?: string };
  roleRef?: { kind?: string; name?: string; apiGroup?: string };
  subjects?: { kind?: string; name?: string; namespace?: string; apiGroup?: string }[];
}

export interface BindingMatch {
  kind: 'ClusterRoleBinding' | 'RoleBinding';
  name: string;
  namespace?: string;
  roleRef: { kind: string; name: string };
  /** The subjects that name this identity, e.g. `Group oidc:kubernetes`. */
  matchedSubjects: { kind: 'User' | 'Group'; name: string }[];
  /** True when the only match is `system:authenticated` (true of every logged-in user). */
  onlyViaAuthenticated: boolean;
}

/** Subjects of `binding` that name the identity. RBAC compares names exactly (case included). */
export function matchBinding(
  kind: BindingMatch['kind'],
  binding: BindingLike,
  identity: PredictedIdentity,
): BindingMatch | undefined {
  const groups = new Set(effectiveGroups(identity));
  const matched: BindingMatch['matchedSubjects'] = [];
  for (const subject of binding.subjects ?? []) {
    if (subject.kind === 'User' && subject.name === identity.username)
      matched.push({ kind: 'User', name: subject.name });
    if (subject.kind === 'Group' && subject.name !== undefined && groups.has(subject.name))
      matched.push({ kind: 'Group', name: subject.name });
  }
  if (matched.length === 0) return undefined;
  return {
    kind,
    name: binding.metadata?.name ?? '(unnamed)',
    namespace: kind === 'RoleBinding' ? binding.metadata?.namespace : undefined,
    roleRef: { kind: binding.roleRef?.kind ?? '', name: binding.roleRef?.name ?? '' },
    matchedSubjects: matched,
    onlyViaAuthenticated: matched.every((subject) => subject.kind === 'Group' && subject.name === AUTHENTICATED_GROUP),
  };
}

export interface IdentityComparison {
  same: boolean;
  /** Each difference in words, e.g. `username: predicted "oidc:abc", the API server says "https://x#abc"`. */
  differences: string[];
  missingGroups: string[];
  unexpectedGroups: string[];
}

/**
 * The API server's answer (SelfSubjectReview's userInfo) against the prediction. Groups the API
 * server adds itself (`system:authenticated`) are not differences.
 */
export function compareIdentity(
  predicted: PredictedIdentity,
  actual: { username?: string; groups?: string[] },
): IdentityComparison {
  const differences: string[] = [];
  if ((actual.username ?? '') !== predicted.username) {
    differences.push(`username: predicted "${predicted.username}", the API server says "${actual.username ?? ''}"`);
  }
  const expected = new Set(effectiveGroups(predicted));
  const got = new Set(actual.groups ?? []);
  const missingGroups = [...expected].filter((group) => !got.has(group) && group !== AUTHENTICATED_GROUP);
  const unexpectedGroups = [...got].filter((group) => !expected.has(group));
  if (missingGroups.length > 0)
    differences.push(`groups predicted but not given by the API server: ${missingGroups.join(', ')}`);
  if (unexpectedGroups.length > 0)
    differences.push(`groups given by the API server but not predicted: ${unexpectedGroups.join(', ')}`);
  return { same: differences.length === 0, differences, missingGroups, unexpectedGroups };
}

/** A ClusterRoleBinding for a group or user, as applied by `applyClusterRoleBinding`. */
export interface ClusterRoleBindingSpec {
  name: string;
  clusterRole: string;
  subjects: { kind: 'User' | 'Group'; name: string }[];
}

export function clusterRoleBindingObject(spec: ClusterRoleBindingSpec) {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: spec.name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: spec.clusterRole },
    subjects: spec.subjects.map((subject) => ({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: subject.kind,
      name: subject.name,
    })),
  };
}

/** A Kubernetes object name: lowercase RFC 1123 subdomain, at most 253 characters. */
export function validateObjectName(name: string): string | undefined {
  if (name.length === 0) return 'a name is required';
  if (name.length > 253) return 'a name has at most 253 characters';
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name)) {
    return 'lowercase letters, digits, "-" and "." only, starting and ending with a letter or digit';
  }
  return undefined;
}
