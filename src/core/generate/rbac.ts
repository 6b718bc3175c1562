/** The ClusterRoleBinding for the group the API server will report. */
import { getPreset } from '../providers/presets';
import { boundGroupName, type OidcSetup } from './setup';
import { toYaml } from './yaml';

export interface RbacOptions {
  /** The ClusterRole to bind; cluster-admin unless told. */
  role?: string;
  /** metadata.name; derived from the group unless told. */
  name?: string;
}

/** A valid object name (DNS subdomain) from free text. */
export function objectNameFrom(text: string): string {
  const name = text
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
    .slice(0, 253);
  return name || 'oidc-users';
}

/** The ClusterRoleBinding for the prefixed group the API server will report. */
export function generateClusterRoleBinding(setup: OidcSetup, options: RbacOptions = {}): string {
  const role = options.role ?? 'cluster-admin';
  const group = boundGroupName(setup);
  const comment = [
    `Grants ClusterRole ${role} to members of the provider group "${setup.adminGroup}",`,
    `which the API server reports as "${group}" (groups prefix ${JSON.stringify(setup.groupsPrefix ?? '')}).`,
    'Apply it BEFORE switching the API server to OIDC, or you can lock yourself out.',
  ];
  if (!setup.groupsClaim) {
    comment.push(
      `NOTE: no groups claim is configured (${getPreset(setup.provider).label} sends none by default), so no token`,
    );
    comment.push('carries this group: bind a User subject (the prefixed username) instead, or configure groups.');
  }
  if (role === 'cluster-admin') {
    comment.push('WARNING: cluster-admin gives every member of this group full control of the cluster;');
    comment.push('prefer a narrower ClusterRole (edit, view) where that is enough.');
  }
  return toYaml(
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: options.name ?? objectNameFrom(`${group}-${role}`) },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group }],
    },
    { comment: comment.join('\n') },
  );
}
