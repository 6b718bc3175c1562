/**
 * Every check, by stable code. Codes are grouped by area and never renumbered; a retired check
 * keeps its number. The README's table and the editor's `codeDescription` links come from here.
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
  /** One line: what goes wrong for the user. */
  explanation: string;
  /** The fix, in words. */
  fix: string;
}

const entries: CheckInfo[] = [
  // --- YAML and the file as a whole (TOIDC0xx)
  {
    code: 'TOIDC000',
    source: 'index.ts',
    area: 'yaml',
    severity: 'info',
    title: 'File could not be fully checked',
    explanation:
      'The file was too large or took too long to parse (a limit that keeps the editor responsive), or a check failed on an unexpected shape of it, so some or all findings may be missing.',
    fix: 'Split a very large file (or check it with `talos-oidc lint`); for a check that failed, report the file shape to the talos-oidc maintainers; the other checks still ran.',
  },
  {
    code: 'TOIDC001',
    source: 'yaml.ts',
    area: 'yaml',
    severity: 'error',
    title: 'YAML syntax error',
    explanation: 'The file is not valid YAML, so talosctl, kubectl or the API server rejects it as a whole.',
    fix: 'Correct the YAML at the marked place (indentation, a missing colon, an unclosed quote).',
  },
  {
    code: 'TOIDC002',
    source: 'yaml.ts',
    area: 'yaml',
    severity: 'error',
    title: 'Unquoted value ending with a colon',
    explanation:
      'A value such as `oidc:` written without quotes is read by YAML as the start of a nested map, not as the text `oidc:`; the config is rejected.',
    fix: 'Quote the value: `oidc-groups-prefix: "oidc:"`.',
  },
  {
    code: 'TOIDC003',
    source: 'yaml.ts',
    area: 'yaml',
    severity: 'error',
    title: 'Placeholder left in a value',
    explanation:
      'A value like `<url of pocket-id>` was copied from a guide and never filled in; the API server or kubelogin uses it literally and fails.',
    fix: "Replace the placeholder with the real value (the issuer URL or client ID from your provider's OIDC client page).",
  },
  {
    code: 'TOIDC004',
    source: 'mistakes.ts',
    area: 'yaml',
    severity: 'info',
    title: 'Template value: check not possible',
    explanation:
      'The value is a talhelper/envsubst `${VAR}`, a Jinja `{{ }}` expression or a 1Password `op://` reference, filled in before Talos or kubectl reads it; its literal text is not what the API server sees, so it is not checked (and never reported as wrong).',
    fix: 'Nothing to fix; check the rendered config (`talhelper genconfig`, the rendered template) if in doubt.',
  },
  // --- Talos machine config and API server flags (TOIDC1xx)
  {
    code: 'TOIDC101',
    source: 'talos.ts',
    area: 'talos',
    severity: 'error',
    title: 'Unknown or misspelled oidc-* flag',
    explanation: 'kube-apiserver does not know this flag and refuses to start (`unknown flag`).',
    fix: 'Rename it to the flag it was meant to be (the suggestion), or remove it.',
  },
  {
    code: 'TOIDC102',
    source: 'talos.ts',
    area: 'talos',
    severity: 'error',
    title: 'Issuer URL and client ID must be set together',
    explanation:
      'With any oidc-* flag set, kube-apiserver needs both `oidc-issuer-url` and `oidc-client-id`, or it refuses to start.',
    fix: 'Add the missing `oidc-issuer-url` or `oidc-client-id`.',
  },
  {
    code: 'TOIDC103',
    source: 'talos.ts',
    area: 'talos',
    severity: 'error',
    title: 'Issuer URL is not https',
    explanation:
      'The API server accepts only `https://` issuer URLs without user info, query or fragment; it refuses to start otherwise.',
    fix: 'Use the https URL of the provider (serve the provider over TLS).',
  },
  {
    code: 'TOIDC104',
    source: 'talos.ts',
    area: 'talos',
    severity: 'error',
    title: '`authentication-config` together with oidc-* flags',
    explanation:
      'kube-apiserver refuses to start when `--authentication-config` and any `--oidc-*` flag are both set in `extraArgs`.',
    fix: 'Keep one: move the OIDC settings into the AuthenticationConfiguration (a `jwt` entry) and remove the oidc-* flags.',
  },
  {
    code: 'TOIDC105',
    source: 'talos.ts',
    area: 'talos',
    severity: 'error',
    title: 'oidc-* flags in a KubeAPIServerConfig document',
    explanation:
      'Talos 1.14 rejects `oidc-*`, `authentication-config` and `anonymous-auth` (use KubeAuthenticationConfig) and `authorization-*` (use KubeAuthorizerConfig) in `KubeAPIServerConfig.extraArgs`.',
    fix: 'Move OIDC settings into a `KubeAuthenticationConfig` document (a `jwt` entry of its `configuration`), authorization settings into a `KubeAuthorizerConfig` document.',
  },
  {
    code: 'TOIDC106',
    source: 'talos.ts',
    area: 'talos',
    severity: 'error',
    title: '`.cluster.apiServer` beside a KubeAPIServerConfig document',
    explanation:
      'Talos rejects a config (or a patch applied to one) that has both the deprecated `.cluster.apiServer` and a `KubeAPIServerConfig` document (`kube-apiserver config is already set in v1alpha1 config`).',
    fix: 'Move the `.cluster.apiServer` settings into the `KubeAPIServerConfig` document (OIDC into `KubeAuthenticationConfig`) and delete `.cluster.apiServer`.',
  },
  {
    code: 'TOIDC107',
    source: 'talos.ts',
    area: 'talos',
    severity: 'error',
    title: 'Unsupported signing algorithm',
    explanation:
      'kube-apiserver only accepts RS256/384/512, ES256/384/512 and PS256/384/512 (`oidc: unsupported signing alg`); EdDSA and HS256 stop it from starting.',
    fix: 'Use RS256 (the default, what Pocket-ID signs with unless its key was rotated to another algorithm) or another supported algorithm.',
  },
  {
    code: 'TOIDC108',
    source: 'emailClaim.ts',
    area: 'talos',
    severity: 'warning',
    title: '`email` as the username claim needs verified emails',
    explanation:
      'With the `email` claim the API server rejects every token whose `email_verified` is false (`oidc: email not verified`).',
    fix: 'Make the provider send `email_verified: true` for every user (the message says what the provider inferred from the issuer does: Pocket-ID per user, authentik false by default, Auth0 after the verification email), or use `sub` / `preferred_username` as the username claim. Not reported for Google, whose accounts are verified.',
  },
  {
    code: 'TOIDC109',
    source: 'talos.ts',
    area: 'talos',
    severity: 'info',
    title: 'Username claim without a username prefix',
    explanation:
      'Without `oidc-username-prefix` (and a claim other than `email`), usernames become `<issuer URL>#<claim value>`, e.g. `https://id.example.com#643c…`; bindings must use that form.',
    fix: 'Set `oidc-username-prefix` (for example `"oidc:"`, or `"-"` for no prefix) so usernames are predictable.',
  },
  {
    code: 'TOIDC110',
    source: 'talos.ts',
    area: 'talos',
    severity: 'warning',
    title: 'Groups prefix without a groups claim',
    explanation:
      'Without `oidc-groups-claim` no groups are read from tokens, so the prefix has no effect and group bindings such as `oidc:kubernetes` never match.',
    fix: 'Add `oidc-groups-claim: groups` (and request the `groups` scope in kubelogin).',
  },
  {
    code: 'TOIDC111',
    source: 'talos.ts',
    area: 'talos',
    severity: 'warning',
    title: 'Groups claim without a groups prefix',
    explanation:
      'Provider groups are used as they are: a group named `system:masters` at the provider would make its members cluster admins, and names can clash with other sources.',
    fix: 'Set `oidc-groups-prefix: "oidc:"` and name the prefixed group in bindings (`oidc:kubernetes`).',
  },
  {
    code: 'TOIDC112',
    source: 'talos.ts',
    area: 'talos',
    severity: 'warning',
    title: 'File is not mounted into the API server',
    explanation:
      'The API server runs in a container: a file given by `oidc-ca-file` or `authentication-config` must be mounted with `extraVolumes` (and written with `machine.files`), or the API server cannot read it and does not start.',
    fix: "Add an `extraVolumes` entry for the file's directory (and a `machine.files` entry that writes the file).",
  },
  {
    code: 'TOIDC113',
    source: 'talos.ts',
    area: 'talos',
    severity: 'warning',
    title: 'OIDC settings in a worker config',
    explanation:
      'Workers run no API server, so API server settings in a worker config have no effect; a KubeAuthenticationConfig or KubeAPIServerConfig document makes Talos reject the worker config (an error then).',
    fix: 'Put the settings into the control-plane config (or a patch applied to control-plane nodes).',
  },
  {
    code: 'TOIDC114',
    source: 'talos.ts',
    area: 'talos',
    severity: 'warning',
    title: 'Patch drops the `anonymous` block',
    explanation:
      "A patch replaces `KubeAuthenticationConfig.configuration` whole, so Talos's default `anonymous` block (health checks on /livez, /readyz, /healthz) is lost unless the patch repeats it; Talos passes no `--anonymous-auth` on this layout, so the API server's default then allows anonymous requests on every path.",
    fix: 'Repeat the `anonymous` block in the patch (enabled, with the /livez, /readyz and /healthz conditions).',
  },
  {
    code: 'TOIDC115',
    source: 'talos.ts',
    area: 'talos',
    severity: 'info',
    title: 'Issuer URL ends with a slash',
    explanation:
      "The token's `iss` must equal the issuer URL character for character; Pocket-ID, Keycloak, Dex and most providers never put a trailing slash in `iss`, which gives `invalid bearer token`. Not reported where the provider's issuer has one (authentik `/application/o/<slug>/`, Auth0).",
    fix: "Write the issuer exactly as the provider's discovery document (`/.well-known/openid-configuration`) spells `issuer`.",
  },
  {
    code: 'TOIDC116',
    source: 'mistakes.ts',
    area: 'talos',
    severity: 'warning',
    title: 'Groups prefix `-`',
    explanation:
      '`-` means "no prefix" for `oidc-username-prefix` only; the groups prefix is prepended literally, so the group `admin` becomes `-admin` and bindings to `admin` never match.',
    fix: 'Remove `oidc-groups-prefix` for bare group names, or use `oidc:` and bind `oidc:<group>`.',
  },
  {
    code: 'TOIDC117',
    source: 'emailClaim.ts',
    area: 'talos',
    severity: 'error',
    title: '`email` username claim, but the provider mapping sends `email_verified: false`',
    explanation:
      "The repository's own provider mapping (an authentik scope mapping, for example) sets `email_verified` to false, and the username claim is `email`: the API server refuses every token (`oidc: email not verified`).",
    fix: 'Use `preferred_username` or `sub` as the username claim, or make the mapping send the real verification state.',
  },
  {
    code: 'TOIDC118',
    source: 'mistakes.ts',
    area: 'talos',
    severity: 'error',
    title: '`authentication-config` path is not where machine.files writes the file',
    explanation:
      'The API server reads the AuthenticationConfiguration at a container path; through the `extraVolumes` mount that is a host path, and `machine.files` writes the file somewhere else, so the API server finds no file and does not start.',
    fix: "Make `machine.files[].path` equal the mount's `hostPath` plus the rest of the flag's path (or change the flag).",
  },
  {
    code: 'TOIDC119',
    source: 'talos.ts',
    area: 'talos',
    severity: 'error',
    title: '`anonymous` block in a legacy authentication-config file',
    explanation:
      'With `.cluster.apiServer` Talos passes `--anonymous-auth=false`; kube-apiserver refuses the flag together with an `anonymous` block in the `--authentication-config` file (`--anonymous-auth flag cannot be set when anonymous field is configured`).',
    fix: 'Remove the `anonymous` block from the file, or move to the KubeAPIServerConfig + KubeAuthenticationConfig layout (Talos passes no `--anonymous-auth` there).',
  },
  {
    code: 'TOIDC120',
    source: 'talos.ts',
    area: 'talos',
    severity: 'error',
    title: '`certificateAuthority` is not PEM text',
    explanation:
      '`issuer.certificateAuthority` takes the CA certificate itself; a file path (as `oidc-ca-file` takes) makes kube-apiserver refuse the configuration (`data does not contain any valid RSA or ECDSA certificates`).',
    fix: 'Paste the PEM text of the CA certificate as a `|` block.',
  },
  {
    code: 'TOIDC121',
    source: 'talos.ts',
    area: 'talos',
    severity: 'warning',
    title: 'KubeAuthenticationConfig that Talos ignores',
    explanation:
      'Talos passes `--authentication-config` only when the API server settings come from a KubeAPIServerConfig document; with `.cluster.apiServer` (configs made by Talos 1.13 or earlier) the KubeAuthenticationConfig is written to disk and read by nothing, so its OIDC is silently off.',
    fix: 'Move the `.cluster.apiServer` settings into a KubeAPIServerConfig document (the Migrate quick fix does), or keep OIDC in `cluster.apiServer.extraArgs`.',
  },
  {
    code: 'TOIDC122',
    source: 'talos.ts',
    area: 'talos',
    severity: 'error',
    title: "Document kind unknown to the config's Talos version",
    explanation:
      'KubeAPIServerConfig and KubeAuthenticationConfig exist from Talos 1.14; older Talos rejects the whole config (`"KubeAuthenticationConfig" "v1alpha1": not registered`). The version comes from `machine.install.image`, a `# talos: v1.x` comment, the `talosOidc.talosVersion` setting or another config of the workspace.',
    fix: 'On Talos 1.13 and older put OIDC into `cluster.apiServer.extraArgs`; or upgrade Talos first.',
  },
  {
    code: 'TOIDC123',
    source: 'talos.ts',
    area: 'talos',
    severity: 'error',
    title: 'List value in extraArgs before Talos 1.14',
    explanation:
      'Talos 1.12 and 1.13 reject a YAML list as an `extraArgs` value (`cannot unmarshal !!seq into string`, `unexpected type for yaml sequence`); only Talos 1.14 reads one.',
    fix: 'Write one comma-separated string (`oidc-required-claim: hd=example.com,tier=gold`); the API server splits it.',
  },
  // --- AuthenticationConfiguration (TOIDC2xx)
  {
    code: 'TOIDC201',
    source: 'rbac.ts',
    area: 'authentication-config',
    severity: 'error',
    title: 'The API server rejects the authentication configuration',
    explanation:
      "The API server validates its authenticator configuration at startup (and on every reload); this setting fails that validation, in the API server's own words.",
    fix: 'Change the setting as the message says.',
  },
  // --- RBAC and the lockout guard (TOIDC3xx)
  {
    code: 'TOIDC301',
    source: 'rbac.ts',
    area: 'rbac',
    severity: 'warning',
    title: 'No binding for the OIDC identity (lockout risk)',
    explanation:
      'OIDC is configured, but no ClusterRoleBinding or RoleBinding among the files names a user or group that the API server will produce; OIDC users can log in but are allowed nothing.',
    fix: 'Create (and apply, before switching kubectl to OIDC) a ClusterRoleBinding for the prefixed group, e.g. `oidc:kubernetes`.',
  },
  {
    code: 'TOIDC302',
    source: 'rbac.ts',
    area: 'rbac',
    severity: 'warning',
    title: 'Binding names a group or user without the OIDC prefix',
    explanation:
      'The API server adds the configured prefix to every OIDC group and username, so a binding to `kubernetes` never matches the group it yields (`oidc:kubernetes`).',
    fix: 'Add the prefix to the subject name.',
  },
  {
    code: 'TOIDC303',
    source: 'mistakes.ts',
    area: 'rbac',
    severity: 'warning',
    title: 'Generic group name bound without a groups prefix',
    explanation:
      'The API server takes group names from the token as they are (a groups claim without a groups prefix), and the binding names a generic group such as `admin`: anyone the provider puts in a group of that name, for any application, gets the role.',
    fix: 'Set `oidc-groups-prefix: "oidc:"` and bind `oidc:<group>`, or bind a group name only this cluster uses.',
  },
  {
    code: 'TOIDC304',
    source: 'rbac.ts',
    area: 'rbac',
    severity: 'warning',
    title: 'The only binding for the OIDC identity is in an archive folder',
    explanation:
      'The bindings that name what OIDC users become are under `archive/` (or `old/`, `deprecated/`), which GitOps tools and `kubectl apply` of the live folders do not apply; OIDC users can log in but are allowed nothing.',
    fix: 'Move the binding out of the archive folder (or create a new one) and apply it before switching kubectl to OIDC.',
  },
  // --- kubeconfig and kubelogin (TOIDC4xx)
  {
    code: 'TOIDC401',
    source: 'kubeconfig.ts',
    area: 'kubeconfig',
    severity: 'error',
    title: '`--oidc-client-id` is a URL',
    explanation:
      'The client ID is the ID of the OIDC client at the provider (a UUID in Pocket-ID), not a URL; the provider refuses the login.',
    fix: "Use the client ID from the provider's OIDC client page (the same as the API server's `oidc-client-id`).",
  },
  {
    code: 'TOIDC402',
    source: 'kubeconfig.ts',
    area: 'kubeconfig',
    severity: 'error',
    title: '`--oidc-client-secret` is a URL',
    explanation:
      'The client secret was set to a URL (a copy-paste mistake in a popular guide); the provider answers `invalid_client`.',
    fix: 'Use the client secret shown when the client was created, or use a public client with PKCE and drop the secret.',
  },
  {
    code: 'TOIDC403',
    source: 'kubeconfig.ts',
    area: 'kubeconfig',
    severity: 'error',
    title: 'Issuer differs from the API server configuration',
    explanation:
      'kubelogin gets tokens from a different issuer than the one the API server trusts (a trailing slash counts), so every request is `Unauthorized`.',
    fix: "Use exactly the API server's issuer URL.",
  },
  {
    code: 'TOIDC404',
    source: 'kubeconfig.ts',
    area: 'kubeconfig',
    severity: 'error',
    title: 'Client ID differs from the API server configuration',
    explanation:
      'Tokens are issued for this client ID, but the API server only accepts its own audience, so every request is `Unauthorized`.',
    fix: "Use the API server's client ID (`oidc-client-id` / `audiences`).",
  },
  {
    code: 'TOIDC405',
    source: 'kubeconfig.ts',
    area: 'kubeconfig',
    severity: 'warning',
    title: '`groups` scope not requested',
    explanation:
      'The API server reads groups from the token, but Pocket-ID and most providers add the `groups` claim only when the `groups` scope is requested, so group bindings never match.',
    fix: 'Add `--oidc-extra-scope=groups`.',
  },
  {
    code: 'TOIDC406',
    source: 'kubeconfig.ts',
    area: 'kubeconfig',
    severity: 'error',
    title: 'Removed exec API version',
    explanation:
      '`client.authentication.k8s.io/v1alpha1` was removed from kubectl (1.24); kubectl refuses to run the plugin.',
    fix: 'Use `client.authentication.k8s.io/v1`.',
  },
  {
    code: 'TOIDC407',
    source: 'kubeconfig.ts',
    area: 'kubeconfig',
    severity: 'info',
    title: 'Client secret stored in plain text',
    explanation: 'The client secret sits in the kubeconfig in plain text, readable by anything that can read the file.',
    fix: 'Prefer a public client with PKCE (no secret); otherwise keep the file private (mode 600).',
  },
  {
    code: 'TOIDC408',
    source: 'kubeconfig.ts',
    area: 'kubeconfig',
    severity: 'info',
    title: 'Listen port the provider may refuse',
    explanation:
      'kubelogin sends `http://localhost:<port>` as the callback URL; a provider that has only `http://localhost:8000` registered refuses other ports ("Invalid callback URL").',
    fix: 'Register `http://localhost:<port>` as a callback URL at the provider (in Pocket-ID, `http://localhost` without a port covers every port), or use the default listen address.',
  },
  {
    code: 'TOIDC409',
    source: 'kubeconfig.ts',
    area: 'kubeconfig',
    severity: 'error',
    title: 'kubelogin issuer URL or client ID missing',
    explanation: 'kubelogin needs both `--oidc-issuer-url` and `--oidc-client-id`; without them `get-token` fails.',
    fix: 'Add the missing flag with the same value as the API server configuration.',
  },
  {
    code: 'TOIDC410',
    source: 'kubeconfig.ts',
    area: 'kubeconfig',
    severity: 'error',
    title: 'exec without a command',
    explanation:
      'The exec block has no `command`, so kubectl refuses it (`command must be specified for <user> to use exec authentication plugin`).',
    fix: 'Add `command: kubectl` (with `oidc-login` as the first argument) or `command: kubelogin`.',
  },
  {
    code: 'TOIDC411',
    source: 'kubeconfig.ts',
    area: 'kubeconfig',
    severity: 'error',
    title: 'exec v1 without interactiveMode',
    explanation:
      'With `client.authentication.k8s.io/v1`, kubectl requires `interactiveMode` and refuses the user without it (`interactiveMode must be specified for <user> to use exec authentication plugin`).',
    fix: "Add `interactiveMode: Never` for kubelogin's browser login (`IfAvailable` for password or keyboard flows).",
  },
  {
    code: 'TOIDC412',
    source: 'kubeconfig.ts',
    area: 'kubeconfig',
    severity: 'warning',
    title: 'Scope for the username claim not requested',
    explanation:
      'The API server takes the username from `email` (or `preferred_username`), but kubelogin does not request the `email` (or `profile`) scope; Pocket-ID then leaves the claim out and every login fails (`claim not present`).',
    fix: 'Add `--oidc-extra-scope=email` (or `--oidc-extra-scope=profile` for `preferred_username`).',
  },
  {
    code: 'TOIDC413',
    source: 'commandInstalled.ts',
    area: 'kubeconfig',
    severity: 'warning',
    title: 'exec command not installed',
    explanation:
      'The program the exec user runs (`kubectl`, `kubelogin`, or the `kubectl-oidc_login` plugin behind `kubectl oidc-login`) is not on this machine\'s PATH, so kubectl fails before any login (`executable kubelogin not found`, `unknown command "oidc-login"`). Checked in the editor only: it depends on the machine.',
    fix: 'Install kubelogin (e.g. `kubectl krew install oidc-login` or `brew install kubelogin`) and kubectl, or point `command` at the installed program; then refresh the side panel.',
  },
  {
    code: 'TOIDC414',
    source: 'kubeconfig.ts',
    area: 'kubeconfig',
    severity: 'error',
    title: 'interactiveMode value kubectl refuses',
    explanation:
      'client-go accepts only `Never`, `IfAvailable` and `Always` for `exec.interactiveMode` (`invalid interactiveMode for <user>`); kubectl refuses the whole user.',
    fix: "Use `Never` for kubelogin's browser login (`IfAvailable` for password or keyboard flows).",
  },
  {
    code: 'TOIDC415',
    source: 'kubeconfig.ts',
    area: 'kubeconfig',
    severity: 'error',
    title: 'kubelogin flag value kubelogin refuses',
    explanation:
      'kubelogin stops before logging in when `--grant-type`, `--oidc-pkce-method` or `--token-cache-storage` has a value it does not know (`must be one of (...)`); the values are case-sensitive.',
    fix: 'Use one of the listed values (the default is usually right: leave the flag out).',
  },
];

export const CHECKS: Readonly<Record<string, CheckInfo>> = Object.freeze(
  Object.fromEntries(entries.map((entry) => [entry.code, entry])),
);

/** The catalogue in code order (for documentation). */
export function listChecks(): CheckInfo[] {
  return [...entries].sort((a, b) => a.code.localeCompare(b.code));
}
