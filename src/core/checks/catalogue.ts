/**
 * Every check, by stable code. Codes are grouped by area and never renumbered; a retired check
 * keeps its number. What goes wrong and the fix, in words, are in explanations.ts (the README's
 * table and the editor's explanation pages are made from both).
 */
import type { Severity } from './finding';

export type CheckArea = 'yaml' | 'talos' | 'authentication-config' | 'rbac' | 'kubeconfig';

export interface CheckInfo {
  code: string;
  /** The file under src/core/checks that reports this code (the only one; a test keeps it so). */
  source: string;
  area: CheckArea;
  severity: Severity;
  title: string;
}

const entries: CheckInfo[] = [
  // --- YAML and the file as a whole (TOIDC0xx)
  {
    code: 'TOIDC000',
    source: 'index.ts',
    area: 'yaml',
    severity: 'info',
    title: 'File could not be fully checked',
  },
  {
    code: 'TOIDC001',
    source: 'yaml.ts',
    area: 'yaml',
    severity: 'error',
    title: 'YAML syntax error',
  },
  {
    code: 'TOIDC002',
    source: 'yaml.ts',
    area: 'yaml',
    severity: 'error',
    title: 'Unquoted value ending with a colon',
  },
  {
    code: 'TOIDC003',
    source: 'yaml.ts',
    area: 'yaml',
    severity: 'error',
    title: 'Placeholder left in a value',
  },
  {
    code: 'TOIDC004',
    source: 'mistakes.ts',
    area: 'yaml',
    severity: 'info',
    title: 'Template value: check not possible',
  },
  // --- Talos machine config and API server flags (TOIDC1xx)
  {
    code: 'TOIDC101',
    source: 'talos.ts',
    area: 'talos',
    severity: 'error',
    title: 'Unknown or misspelled oidc-* flag',
  },
  {
    code: 'TOIDC102',
    source: 'talos.ts',
    area: 'talos',
    severity: 'error',
    title: 'Issuer URL and client ID must be set together',
  },
  {
    code: 'TOIDC103',
    source: 'talos.ts',
    area: 'talos',
    severity: 'error',
    title: 'Issuer URL is not https',
  },
  {
    code: 'TOIDC104',
    source: 'talos.ts',
    area: 'talos',
    severity: 'error',
    title: '`authentication-config` together with oidc-* flags',
  },
  {
    code: 'TOIDC105',
    source: 'talos.ts',
    area: 'talos',
    severity: 'error',
    title: 'oidc-* flags in a KubeAPIServerConfig document',
  },
  {
    code: 'TOIDC106',
    source: 'talos.ts',
    area: 'talos',
    severity: 'error',
    title: '`.cluster.apiServer` beside a KubeAPIServerConfig document',
  },
  {
    code: 'TOIDC107',
    source: 'talos.ts',
    area: 'talos',
    severity: 'error',
    title: 'Unsupported signing algorithm',
  },
  {
    code: 'TOIDC108',
    source: 'emailClaim.ts',
    area: 'talos',
    severity: 'warning',
    title: '`email` as the username claim needs verified emails',
  },
  {
    code: 'TOIDC109',
    source: 'talos.ts',
    area: 'talos',
    severity: 'info',
    title: 'Username claim without a username prefix',
  },
  {
    code: 'TOIDC110',
    source: 'talos.ts',
    area: 'talos',
    severity: 'warning',
    title: 'Groups prefix without a groups claim',
  },
  {
    code: 'TOIDC111',
    source: 'talos.ts',
    area: 'talos',
    severity: 'warning',
    title: 'Groups claim without a groups prefix',
  },
  {
    code: 'TOIDC112',
    source: 'talos.ts',
    area: 'talos',
    severity: 'warning',
    title: 'File is not mounted into the API server',
  },
  {
    code: 'TOIDC113',
    source: 'talos.ts',
    area: 'talos',
    severity: 'warning',
    title: 'OIDC settings in a worker config',
  },
  {
    code: 'TOIDC114',
    source: 'talos.ts',
    area: 'talos',
    severity: 'warning',
    title: 'Patch drops the `anonymous` block',
  },
  {
    code: 'TOIDC115',
    source: 'talos.ts',
    area: 'talos',
    severity: 'info',
    title: 'Issuer URL ends with a slash',
  },
  {
    code: 'TOIDC116',
    source: 'mistakes.ts',
    area: 'talos',
    severity: 'warning',
    title: 'Groups prefix `-`',
  },
  {
    code: 'TOIDC117',
    source: 'emailClaim.ts',
    area: 'talos',
    severity: 'error',
    title: '`email` username claim, but the provider mapping sends `email_verified: false`',
  },
  {
    code: 'TOIDC118',
    source: 'mistakes.ts',
    area: 'talos',
    severity: 'error',
    title: '`authentication-config` path is not where machine.files writes the file',
  },
  {
    code: 'TOIDC119',
    source: 'talos.ts',
    area: 'talos',
    severity: 'error',
    title: '`anonymous` block in a legacy authentication-config file',
  },
  {
    code: 'TOIDC120',
    source: 'talos.ts',
    area: 'talos',
    severity: 'error',
    title: '`certificateAuthority` is not PEM text',
  },
  {
    code: 'TOIDC121',
    source: 'talos.ts',
    area: 'talos',
    severity: 'warning',
    title: 'KubeAuthenticationConfig that Talos ignores',
  },
  {
    code: 'TOIDC122',
    source: 'talos.ts',
    area: 'talos',
    severity: 'error',
    title: "Document kind unknown to the config's Talos version",
  },
  {
    code: 'TOIDC123',
    source: 'talos.ts',
    area: 'talos',
    severity: 'error',
    title: 'List value in extraArgs before Talos 1.14',
  },
  // --- AuthenticationConfiguration (TOIDC2xx)
  {
    code: 'TOIDC201',
    source: 'rbac.ts',
    area: 'authentication-config',
    severity: 'error',
    title: 'The API server rejects the authentication configuration',
  },
  // --- RBAC and the lockout guard (TOIDC3xx)
  {
    code: 'TOIDC301',
    source: 'rbac.ts',
    area: 'rbac',
    severity: 'warning',
    title: 'No binding for the OIDC identity (lockout risk)',
  },
  {
    code: 'TOIDC302',
    source: 'rbac.ts',
    area: 'rbac',
    severity: 'warning',
    title: 'Binding names a group or user without the OIDC prefix',
  },
  {
    code: 'TOIDC303',
    source: 'mistakes.ts',
    area: 'rbac',
    severity: 'warning',
    title: 'Generic group name bound without a groups prefix',
  },
  {
    code: 'TOIDC304',
    source: 'rbac.ts',
    area: 'rbac',
    severity: 'warning',
    title: 'The only binding for the OIDC identity is in an archive folder',
  },
  // --- kubeconfig and kubelogin (TOIDC4xx)
  {
    code: 'TOIDC401',
    source: 'kubeconfig.ts',
    area: 'kubeconfig',
    severity: 'error',
    title: '`--oidc-client-id` is a URL',
  },
  {
    code: 'TOIDC402',
    source: 'kubeconfig.ts',
    area: 'kubeconfig',
    severity: 'error',
    title: '`--oidc-client-secret` is a URL',
  },
  {
    code: 'TOIDC403',
    source: 'kubeconfig.ts',
    area: 'kubeconfig',
    severity: 'error',
    title: 'Issuer differs from the API server configuration',
  },
  {
    code: 'TOIDC404',
    source: 'kubeconfig.ts',
    area: 'kubeconfig',
    severity: 'error',
    title: 'Client ID differs from the API server configuration',
  },
  {
    code: 'TOIDC405',
    source: 'kubeconfig.ts',
    area: 'kubeconfig',
    severity: 'warning',
    title: '`groups` scope not requested',
  },
  {
    code: 'TOIDC406',
    source: 'kubeconfig.ts',
    area: 'kubeconfig',
    severity: 'error',
    title: 'Removed exec API version',
  },
  {
    code: 'TOIDC407',
    source: 'kubeconfig.ts',
    area: 'kubeconfig',
    severity: 'info',
    title: 'Client secret stored in plain text',
  },
  {
    code: 'TOIDC408',
    source: 'kubeconfig.ts',
    area: 'kubeconfig',
    severity: 'info',
    title: 'Listen port the provider may refuse',
  },
  {
    code: 'TOIDC409',
    source: 'kubeconfig.ts',
    area: 'kubeconfig',
    severity: 'error',
    title: 'kubelogin issuer URL or client ID missing',
  },
  {
    code: 'TOIDC410',
    source: 'kubeconfig.ts',
    area: 'kubeconfig',
    severity: 'error',
    title: 'exec without a command',
  },
  {
    code: 'TOIDC411',
    source: 'kubeconfig.ts',
    area: 'kubeconfig',
    severity: 'error',
    title: 'exec v1 without interactiveMode',
  },
  {
    code: 'TOIDC412',
    source: 'kubeconfig.ts',
    area: 'kubeconfig',
    severity: 'warning',
    title: 'Scope for the username claim not requested',
  },
  {
    code: 'TOIDC413',
    source: 'commandInstalled.ts',
    area: 'kubeconfig',
    severity: 'warning',
    title: 'exec command not installed',
  },
  {
    code: 'TOIDC414',
    source: 'kubeconfig.ts',
    area: 'kubeconfig',
    severity: 'error',
    title: 'interactiveMode value kubectl refuses',
  },
  {
    code: 'TOIDC415',
    source: 'kubeconfig.ts',
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
