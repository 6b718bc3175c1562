/**
 * Generators: the API server settings (legacy `extraArgs` or a Talos 1.14 `KubeAuthenticationConfig`),
 * Talos patch files, the ClusterRoleBinding and the kubelogin kubeconfig user, all from one
 * `OidcSetup`, so that what the API server expects, what RBAC binds and what kubelogin sends agree.
 */
import { Scalar } from 'yaml';
import { getPreset } from '../providers/presets';
import { boundGroupName, effectiveUsernamePrefix, KUBELOGIN_DEFAULT_LISTEN_ADDRESSES, type OidcSetup } from './setup';
import { joinDocuments, toYaml } from './yaml';

export * from './setup';
export { insertOidcEdits, type InsertPlan, type InsertLayout } from './insert';

/** Flag values that a prefix or claim may hold; quoted so `oidc:` never turns into a YAML map. */
const QUOTED_FLAG_KEYS = new Set(['oidc-username-prefix', 'oidc-groups-prefix', 'prefix']);

/** Talos's default anonymous block in KubeAuthenticationConfig (siderolabs/talos, k8s/authentication.go `DefaultAuthenticationConfig`). */
export const TALOS_DEFAULT_ANONYMOUS = {
  enabled: true,
  conditions: [{ path: '/livez' }, { path: '/readyz' }, { path: '/healthz' }],
} as const;

export type ApiServerFlagValue = string | string[];

/** The `extraArgs` entries for the legacy flags, in the order they are written. */
export function oidcExtraArgs(setup: OidcSetup): [string, ApiServerFlagValue][] {
  const args: [string, ApiServerFlagValue][] = [
    ['oidc-issuer-url', setup.issuerUrl],
    ['oidc-client-id', setup.clientId],
    ['oidc-username-claim', setup.usernameClaim],
  ];
  if (setup.usernamePrefix !== undefined)
    args.push(['oidc-username-prefix', setup.usernamePrefix === '' ? '-' : setup.usernamePrefix]);
  if (setup.groupsClaim) {
    args.push(['oidc-groups-claim', setup.groupsClaim]);
    if (setup.groupsPrefix) args.push(['oidc-groups-prefix', setup.groupsPrefix]);
  }
  const required = Object.entries(setup.requiredClaims ?? {}).map(([claim, value]) => `${claim}=${value}`);
  // kube-apiserver reads `a=b,c=d` as two claims, and a string is what every Talos version takes:
  // Talos 1.12 and 1.13 refuse a list here (only 1.14's config code reads one). A list only when a
  // value itself holds a comma.
  if (
    required.length === 1 ||
    (required.length > 1 && !required.some((pair) => pair.slice(pair.indexOf('=') + 1).includes(',')))
  ) {
    args.push(['oidc-required-claim', required.join(',')]);
  } else if (required.length > 1) args.push(['oidc-required-claim', required]);
  if (
    setup.signingAlgs &&
    setup.signingAlgs.length > 0 &&
    !(setup.signingAlgs.length === 1 && setup.signingAlgs[0] === 'RS256')
  ) {
    args.push(['oidc-signing-algs', setup.signingAlgs.join(',')]);
  }
  if (setup.caFile) args.push(['oidc-ca-file', setup.caFile]);
  return args;
}

function extraArgsObject(setup: OidcSetup): Record<string, ApiServerFlagValue> {
  return Object.fromEntries(oidcExtraArgs(setup));
}

/** The legacy layout: `cluster.apiServer.extraArgs` (valid as a Talos strategic-merge patch too). */
export function generateExtraArgs(setup: OidcSetup): string {
  return toYaml({ cluster: { apiServer: { extraArgs: extraArgsObject(setup) } } }, { quotedKeys: QUOTED_FLAG_KEYS });
}

/** One `jwt[]` entry of an `AuthenticationConfiguration`, equivalent to the legacy flags. */
export function jwtAuthenticator(setup: OidcSetup): Record<string, unknown> {
  const issuer: Record<string, unknown> = { url: setup.issuerUrl, audiences: [setup.clientId] };
  if (setup.caPem) issuer.certificateAuthority = setup.caPem.endsWith('\n') ? setup.caPem : `${setup.caPem}\n`;
  // The config file has no defaulting: spell out the prefix the flags would have used.
  const claimMappings: Record<string, unknown> = {
    username: { claim: setup.usernameClaim, prefix: effectiveUsernamePrefix(setup) },
  };
  if (setup.groupsClaim) claimMappings.groups = { claim: setup.groupsClaim, prefix: setup.groupsPrefix ?? '' };
  const entry: Record<string, unknown> = { issuer, claimMappings };
  const required = Object.entries(setup.requiredClaims ?? {});
  if (required.length > 0)
    entry.claimValidationRules = required.map(([claim, requiredValue]) => ({ claim, requiredValue }));
  return entry;
}

/** The `AuthenticationConfiguration` body with Talos's default anonymous block kept. */
export function authenticationConfiguration(setup: OidcSetup, otherJwt: unknown[] = []): Record<string, unknown> {
  return {
    apiVersion: 'apiserver.config.k8s.io/v1beta1',
    kind: 'AuthenticationConfiguration',
    anonymous: structuredClone(TALOS_DEFAULT_ANONYMOUS),
    jwt: [...otherJwt, jwtAuthenticator(setup)],
  };
}

function signingAlgsComment(setup: OidcSetup): string | undefined {
  if (!setup.signingAlgs || (setup.signingAlgs.length === 1 && setup.signingAlgs[0] === 'RS256')) return undefined;
  return 'With a configuration file the API server accepts all nine RS/ES/PS algorithms; oidc-signing-algs does not apply.';
}

/** A Talos 1.14+ `KubeAuthenticationConfig` document. */
export function generateKubeAuthenticationConfig(setup: OidcSetup): string {
  const lines = [
    'Talos 1.14+: kube-apiserver structured authentication (Talos passes --authentication-config).',
    "A patch replaces `configuration` whole: the anonymous block below is Talos's default (health endpoints only).",
  ];
  const algs = signingAlgsComment(setup);
  if (algs) lines.push(algs);
  return toYaml(
    { apiVersion: 'v1alpha1', kind: 'KubeAuthenticationConfig', configuration: authenticationConfiguration(setup) },
    { quotedKeys: QUOTED_FLAG_KEYS, comment: lines.join('\n') },
  );
}

export type PatchLayout = 'legacy' | 'multi-document';

/** A strategic-merge patch for `talosctl patch machineconfig -p @patch.yaml` / `--config-patch`. */
export function generatePatch(setup: OidcSetup, layout: PatchLayout): string {
  const usage = [
    `Talos config patch: OIDC login for kube-apiserver (${getPreset(setup.provider).label}).`,
    'Create the ClusterRoleBinding first, then apply to every control-plane node:',
    '  talosctl patch machineconfig -n <node> -p @<this file> --dry-run',
    '  talosctl patch machineconfig -n <node> -p @<this file>',
  ];
  if (layout === 'legacy') {
    const apiServer: Record<string, unknown> = { extraArgs: extraArgsObject(setup) };
    const patch: Record<string, unknown> = { cluster: { apiServer } };
    const notes = [
      'Layout: cluster.apiServer.extraArgs, for configs made by Talos 1.13 or earlier (also after an upgrade to 1.14).',
      "Talos rejects it on a config that has a KubeAPIServerConfig document (made by Talos 1.14's gen config).",
    ];
    if (setup.caFile) {
      // The API server runs in a container: the CA file must be mounted, and written on the node.
      const directory = setup.caFile.slice(0, setup.caFile.lastIndexOf('/')) || '/';
      apiServer.extraVolumes = [{ hostPath: directory, mountPath: directory, readonly: true }];
      if (setup.caPem) {
        const permissions = new Scalar(0o644);
        permissions.format = 'OCT';
        patch.machine = {
          files: [
            {
              content: setup.caPem.endsWith('\n') ? setup.caPem : `${setup.caPem}\n`,
              permissions,
              path: setup.caFile,
              op: 'create',
            },
          ],
        };
      } else {
        notes.push(
          `Write ${setup.caFile} on each control-plane node (a machine.files entry with the issuer's CA PEM).`,
        );
      }
    }
    return toYaml(patch, { quotedKeys: QUOTED_FLAG_KEYS, comment: [...usage, ...notes].join('\n') });
  }
  const algs = signingAlgsComment(setup);
  return toYaml(
    { apiVersion: 'v1alpha1', kind: 'KubeAuthenticationConfig', configuration: authenticationConfiguration(setup) },
    {
      quotedKeys: QUOTED_FLAG_KEYS,
      comment: [
        ...usage,
        'Layout: Talos 1.14+ (KubeAuthenticationConfig). Talos reads it only on configs with a KubeAPIServerConfig',
        "document (made by Talos 1.14's gen config); on a config made by 1.13 or earlier it is added and ignored.",
        'The patch replaces `configuration` whole,',
        "so it repeats Talos's default anonymous block; add any other jwt issuers you already have.",
        ...(algs ? [algs] : []),
      ].join('\n'),
    },
  );
}

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

export interface ExecUserOptions {
  /** Only when the user chose a confidential client and confirmed storing the secret in plain text. */
  clientSecret?: string;
}

export interface KubeconfigExec {
  apiVersion: 'client.authentication.k8s.io/v1';
  command: string;
  args: string[];
  interactiveMode: 'Never' | 'IfAvailable' | 'Always';
}

/** kubelogin's `get-token`/`setup` arguments after the subcommand, defaults left out. */
export function kubeloginArgs(setup: OidcSetup, options: ExecUserOptions = {}): string[] {
  const args = [`--oidc-issuer-url=${setup.issuerUrl}`, `--oidc-client-id=${setup.clientId}`];
  if (options.clientSecret) args.push(`--oidc-client-secret=${options.clientSecret}`);
  for (const scope of setup.extraScopes) if (scope && scope !== 'openid') args.push(`--oidc-extra-scope=${scope}`);
  const listen = setup.listenAddresses ?? [];
  const isDefaultListen =
    listen.length === 0 ||
    (listen.length === KUBELOGIN_DEFAULT_LISTEN_ADDRESSES.length &&
      listen.every((address, i) => address === KUBELOGIN_DEFAULT_LISTEN_ADDRESSES[i]));
  if (!isDefaultListen) for (const address of listen) args.push(`--listen-address=${address}`);
  if (setup.clientCaFile) args.push(`--certificate-authority=${setup.clientCaFile}`);
  if (setup.pkceMethod && setup.pkceMethod !== 'auto') args.push(`--oidc-pkce-method=${setup.pkceMethod}`);
  return args;
}

/** The `user.exec` block for kubelogin (browser flow: interactiveMode Never, as kubelogin recommends). */
export function kubeconfigExec(setup: OidcSetup, options: ExecUserOptions = {}): KubeconfigExec {
  return {
    apiVersion: 'client.authentication.k8s.io/v1',
    command: 'kubectl',
    args: ['oidc-login', 'get-token', ...kubeloginArgs(setup, options)],
    interactiveMode: 'Never',
  };
}

/** A kubeconfig `users` entry to paste into a kubeconfig. */
export function generateKubeconfigUser(setup: OidcSetup, name: string, options: ExecUserOptions = {}): string {
  return toYaml(
    { users: [{ name, user: { exec: kubeconfigExec(setup, options) } }] },
    {
      comment: [
        'kubeconfig user for kubelogin (kubectl oidc-login). Point a context at it:',
        `  kubectl config set-context <context> --cluster=<cluster> --user=${name}`,
      ].join('\n'),
    },
  );
}

/** POSIX shell quoting for one argument (only when needed). */
export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The `kubectl oidc-login setup ...` command that runs a test login with the same settings. */
export function kubeloginSetupCommand(setup: OidcSetup, options: ExecUserOptions = {}): string {
  return ['kubectl', 'oidc-login', 'setup', ...kubeloginArgs(setup, options)].map(shellQuote).join(' ');
}

export { joinDocuments };
