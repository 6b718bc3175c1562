/**
 * Every check, by stable code. Codes are grouped by area and never renumbered; a retired check
 * keeps its number. What goes wrong and the fix, in words, are in explanations.ts (the README's
 * table and the editor's explanation pages are made from both).
 */
import type { Severity } from './finding';

export type CheckArea = 'yaml' | 'talos' | 'authentication-config' | 'rbac' | 'kubeconfig';

export interface CheckInfo {
  code: string;
  area: CheckArea;
  severity: Severity;
  title: string;
}

const entries: CheckInfo[] = [
  // --- YAML and the file as a whole (TOIDC0xx)
  {
    code: 'TOIDC000',
    area: 'yaml',
    severity: 'info',
    title: 'File could not be fully checked',
  },
  {
    code: 'TOIDC001',
    area: 'yaml',
    severity: 'error',
    title: 'YAML syntax error',
  },
  {
    code: 'TOIDC002',
    area: 'yaml',
    severity: 'error',
    title: 'Unquoted value ending with a colon',
  },
  {
    code: 'TOIDC003',
    area: 'yaml',
    severity: 'error',
    title: 'Placeholder left in a value',
  },
  {
    code: 'TOIDC004',
    area: 'yaml',
    severity: 'info',
    title: 'Template value: check not possible',
  },
  // --- Talos machine config and API server flags (TOIDC1xx)
  {
    code: 'TOIDC101',
    area: 'talos',
    severity: 'error',
    title: 'Unknown or misspelled oidc-* flag',
  },
  {
    code: 'TOIDC102',
    area: 'talos',
    severity: 'error',
    title: 'Issuer URL and client ID must be set together',
  },
  {
    code: 'TOIDC103',
    area: 'talos',
    severity: 'error',
    title: 'Issuer URL is not https',
  },
  {
    code: 'TOIDC104',
    area: 'talos',
    severity: 'error',
    title: '`authentication-config` together with oidc-* flags',
  },
  {
    code: 'TOIDC105',
    area: 'talos',
    severity: 'error',
    title: 'oidc-* flags in a KubeAPIServerConfig document',
  },
  {
    code: 'TOIDC106',
    area: 'talos',
    severity: 'error',
    title: '`.cluster.apiServer` beside a KubeAPIServerConfig document',
  },
  {
    code: 'TOIDC107',
    area: 'talos',
    severity: 'error',
    title: 'Unsupported signing algorithm',
  },
  {
    code: 'TOIDC108',
    area: 'talos',
    severity: 'warning',
    title: '`email` as the username claim needs verified emails',
  },
  {
    code: 'TOIDC109',
    area: 'talos',
    severity: 'info',
    title: 'Username claim without a username prefix',
  },
  {
    code: 'TOIDC110',
    area: 'talos',
    severity: 'warning',
    title: 'Groups prefix without a groups claim',
  },
  {
    code: 'TOIDC111',
    area: 'talos',
    severity: 'warning',
    title: 'Groups claim without a groups prefix',
  },
  {
    code: 'TOIDC112',
    area: 'talos',
    severity: 'warning',
    title: 'File is not mounted into the API server',
  },
  {
    code: 'TOIDC113',
    area: 'talos',
    severity: 'warning',
    title: 'OIDC settings in a worker config',
  },
  {
    code: 'TOIDC114',
    area: 'talos',
    severity: 'warning',
    title: 'Patch drops the `anonymous` block',
  },
  {
    code: 'TOIDC115',
    area: 'talos',
    severity: 'info',
    title: 'Issuer URL ends with a slash',
  },
  {
    code: 'TOIDC116',
    area: 'talos',
    severity: 'warning',
    title: 'Groups prefix `-`',
  },
  {
    code: 'TOIDC117',
    area: 'talos',
    severity: 'error',
    title: '`email` username claim, but the provider mapping sends `email_verified: false`',
  },
  {
    code: 'TOIDC118',
    area: 'talos',
    severity: 'error',
    title: '`authentication-config` path is not where machine.files writes the file',
  },
  {
    code: 'TOIDC119',
    area: 'talos',
    severity: 'error',
    title: '`anonymous` block in a legacy authentication-config file',
  },
  {
    code: 'TOIDC120',
    area: 'talos',
    severity: 'error',
    title: '`certificateAuthority` is not PEM text',
  },
  {
    code: 'TOIDC121',
    area: 'talos',
    severity: 'warning',
    title: 'KubeAuthenticationConfig that Talos ignores',
  },
  {
    code: 'TOIDC122',
    area: 'talos',
    severity: 'error',
    title: "Document kind unknown to the config's Talos version",
  },
  {
    code: 'TOIDC123',
    area: 'talos',
    severity: 'error',
    title: 'List value in extraArgs before Talos 1.14',
  },
  // --- AuthenticationConfiguration (TOIDC2xx)
  {
    code: 'TOIDC201',
    area: 'authentication-config',
    severity: 'error',
    title: 'The API server rejects the authentication configuration',
  },
  // --- RBAC and the lockout guard (TOIDC3xx)
  {
    code: 'TOIDC301',
    area: 'rbac',
    severity: 'warning',
    title: 'No binding for the OIDC identity (lockout risk)',
  },
  {
    code: 'TOIDC302',
    area: 'rbac',
    severity: 'warning',
    title: 'Binding names a group or user without the OIDC prefix',
  },
  {
    code: 'TOIDC303',
    area: 'rbac',
    severity: 'warning',
    title: 'Generic group name bound without a groups prefix',
  },
  {
    code: 'TOIDC304',
    area: 'rbac',
    severity: 'warning',
    title: 'The only binding for the OIDC identity is in an archive folder',
  },
  // --- kubeconfig and kubelogin (TOIDC4xx)
  {
    code: 'TOIDC401',
    area: 'kubeconfig',
    severity: 'error',
    title: '`--oidc-client-id` is a URL',
  },
  {
    code: 'TOIDC402',
    area: 'kubeconfig',
    severity: 'error',
    title: '`--oidc-client-secret` is a URL',
  },
  {
    code: 'TOIDC403',
    area: 'kubeconfig',
    severity: 'error',
    title: 'Issuer differs from the API server configuration',
  },
  {
    code: 'TOIDC404',
    area: 'kubeconfig',
    severity: 'error',
    title: 'Client ID differs from the API server configuration',
  },
  {
    code: 'TOIDC405',
    area: 'kubeconfig',
    severity: 'warning',
    title: '`groups` scope not requested',
  },
  {
    code: 'TOIDC406',
    area: 'kubeconfig',
    severity: 'error',
    title: 'Removed exec API version',
  },
  {
    code: 'TOIDC407',
    area: 'kubeconfig',
    severity: 'info',
    title: 'Client secret stored in plain text',
  },
  {
    code: 'TOIDC408',
    area: 'kubeconfig',
    severity: 'info',
    title: 'Listen port the provider may refuse',
  },
  {
    code: 'TOIDC409',
    area: 'kubeconfig',
    severity: 'error',
    title: 'kubelogin issuer URL or client ID missing',
  },
  {
    code: 'TOIDC410',
    area: 'kubeconfig',
    severity: 'error',
    title: 'exec without a command',
  },
  {
    code: 'TOIDC411',
    area: 'kubeconfig',
    severity: 'error',
    title: 'exec v1 without interactiveMode',
  },
  {
    code: 'TOIDC412',
    area: 'kubeconfig',
    severity: 'warning',
    title: 'Scope for the username claim not requested',
  },
  {
    code: 'TOIDC413',
    area: 'kubeconfig',
    severity: 'warning',
    title: 'exec command not installed',
  },
  {
    code: 'TOIDC414',
    area: 'kubeconfig',
    severity: 'error',
    title: 'interactiveMode value kubectl refuses',
  },
  {
    code: 'TOIDC415',
    area: 'kubeconfig',
    severity: 'error',
    title: 'kubelogin flag value kubelogin refuses',
  },
];

export const CHECKS: Readonly<Record<string, CheckInfo>> = Object.freeze(
  Object.fromEntries(entries.map((entry) => [entry.code, entry])),
);

/** The catalogue in code order (for documentation). */
export function listChecks(): CheckInfo[] {
  return [...entries].sort((a, b) => a.code.localeCompare(b.code));
}
