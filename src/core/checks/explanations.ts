/**
 * What goes wrong and the fix, in words, for every check in catalogue.ts (by the same code): the
 * README's table of checks and the editor's explanation pages. Apart from the catalogue so that the
 * checks, which need only a check's severity, do not load this prose; the editor loads it on the
 * first explanation it shows.
 */
import { CHECKS, listChecks, type CheckInfo } from './catalogue';

export interface CheckExplanation {
  /** One line: what goes wrong for the user. */
  explanation: string;
  /** The fix, in words. */
  fix: string;
}

export type CheckDocumentation = CheckInfo & CheckExplanation;

export const CHECK_EXPLANATIONS: Readonly<Record<string, CheckExplanation>> = {
  TOIDC000: {
    explanation:
      'The file was too large or took too long to parse (a limit that keeps the editor responsive), or a check failed on an unexpected shape of it, so some or all findings may be missing.',
    fix: 'Split a very large file (or check it with `talos-oidc lint`); for a check that failed, report the file shape to the talos-oidc maintainers; the other checks still ran.',
  },
  TOIDC001: {
    explanation: 'The file is not valid YAML, so talosctl, kubectl or the API server rejects it as a whole.',
    fix: 'Correct the YAML at the marked place (indentation, a missing colon, an unclosed quote).',
  },
  TOIDC002: {
    explanation:
      'A value such as `oidc:` written without quotes is read by YAML as the start of a nested map, not as the text `oidc:`; the config is rejected.',
    fix: 'Quote the value: `oidc-groups-prefix: "oidc:"`.',
  },
  TOIDC003: {
    explanation:
      'A value like `<url of pocket-id>` was copied from a guide and never filled in; the API server or kubelogin uses it literally and fails.',
    fix: "Replace the placeholder with the real value (the issuer URL or client ID from your provider's OIDC client page).",
  },
  TOIDC004: {
    explanation:
      'The value is a talhelper/envsubst `${VAR}`, a Jinja `{{ }}` expression or a 1Password `op://` reference, filled in before Talos or kubectl reads it; its literal text is not what the API server sees, so it is not checked (and never reported as wrong).',
    fix: 'Nothing to fix; check the rendered config (`talhelper genconfig`, the rendered template) if in doubt.',
  },
  TOIDC101: {
    explanation: 'kube-apiserver does not know this flag and refuses to start (`unknown flag`).',
    fix: 'Rename it to the flag it was meant to be (the suggestion), or remove it.',
  },
  TOIDC102: {
    explanation:
      'With any oidc-* flag set, kube-apiserver needs both `oidc-issuer-url` and `oidc-client-id`, or it refuses to start.',
    fix: 'Add the missing `oidc-issuer-url` or `oidc-client-id`.',
  },
  TOIDC103: {
    explanation:
      'The API server accepts only `https://` issuer URLs without user info, query or fragment; it refuses to start otherwise.',
    fix: 'Use the https URL of the provider (serve the provider over TLS).',
  },
  TOIDC104: {
    explanation:
      'kube-apiserver refuses to start when `--authentication-config` and any `--oidc-*` flag are both set in `extraArgs`.',
    fix: 'Keep one: move the OIDC settings into the AuthenticationConfiguration (a `jwt` entry) and remove the oidc-* flags.',
  },
  TOIDC105: {
    explanation:
      'Talos 1.14 rejects `oidc-*`, `authentication-config` and `anonymous-auth` (use KubeAuthenticationConfig) and `authorization-*` (use KubeAuthorizerConfig) in `KubeAPIServerConfig.extraArgs`.',
    fix: 'Move OIDC settings into a `KubeAuthenticationConfig` document (a `jwt` entry of its `configuration`), authorization settings into a `KubeAuthorizerConfig` document.',
  },
  TOIDC106: {
    explanation:
      'Talos rejects a config (or a patch applied to one) that has both the deprecated `.cluster.apiServer` and a `KubeAPIServerConfig` document (`kube-apiserver config is already set in v1alpha1 config`).',
    fix: 'Move the `.cluster.apiServer` settings into the `KubeAPIServerConfig` document (OIDC into `KubeAuthenticationConfig`) and delete `.cluster.apiServer`.',
  },
  TOIDC107: {
    explanation:
      'kube-apiserver only accepts RS256/384/512, ES256/384/512 and PS256/384/512 (`oidc: unsupported signing alg`); EdDSA and HS256 stop it from starting.',
    fix: 'Use RS256 (the default, what Pocket-ID signs with unless its key was rotated to another algorithm) or another supported algorithm.',
  },
  TOIDC108: {
    explanation:
      'With the `email` claim the API server rejects every token whose `email_verified` is false (`oidc: email not verified`).',
    fix: 'Make the provider send `email_verified: true` for every user (the message says what the provider inferred from the issuer does: Pocket-ID per user, authentik false by default, Auth0 after the verification email), or use `sub` / `preferred_username` as the username claim. Not reported for Google, whose accounts are verified.',
  },
  TOIDC109: {
    explanation:
      'Without `oidc-username-prefix` (and a claim other than `email`), usernames become `<issuer URL>#<claim value>`, e.g. `https://id.example.com#643c…`; bindings must use that form.',
    fix: 'Set `oidc-username-prefix` (for example `"oidc:"`, or `"-"` for no prefix) so usernames are predictable.',
  },
  TOIDC110: {
    explanation:
      'Without `oidc-groups-claim` no groups are read from tokens, so the prefix has no effect and group bindings such as `oidc:kubernetes` never match.',
    fix: 'Add `oidc-groups-claim: groups` (and request the `groups` scope in kubelogin).',
  },
  TOIDC111: {
    explanation:
      'Provider groups are used as they are: a group named `system:masters` at the provider would make its members cluster admins, and names can clash with other sources.',
    fix: 'Set `oidc-groups-prefix: "oidc:"` and name the prefixed group in bindings (`oidc:kubernetes`).',
  },
  TOIDC112: {
    explanation:
      'The API server runs in a container: a file given by `oidc-ca-file` or `authentication-config` must be mounted with `extraVolumes` (and written with `machine.files`), or the API server cannot read it and does not start.',
    fix: "Add an `extraVolumes` entry for the file's directory (and a `machine.files` entry that writes the file).",
  },
  TOIDC113: {
    explanation:
      'Workers run no API server, so API server settings in a worker config have no effect; a KubeAuthenticationConfig or KubeAPIServerConfig document makes Talos reject the worker config (an error then).',
    fix: 'Put the settings into the control-plane config (or a patch applied to control-plane nodes).',
  },
  TOIDC114: {
    explanation:
      "A patch replaces `KubeAuthenticationConfig.configuration` whole, so Talos's default `anonymous` block (health checks on /livez, /readyz, /healthz) is lost unless the patch repeats it; Talos passes no `--anonymous-auth` on this layout, so the API server's default then allows anonymous requests on every path.",
    fix: 'Repeat the `anonymous` block in the patch (enabled, with the /livez, /readyz and /healthz conditions).',
  },
  TOIDC115: {
    explanation:
      "The token's `iss` must equal the issuer URL character for character; Pocket-ID, Keycloak, Dex and most providers never put a trailing slash in `iss`, which gives `invalid bearer token`. Not reported where the provider's issuer has one (authentik `/application/o/<slug>/`, Auth0).",
    fix: "Write the issuer exactly as the provider's discovery document (`/.well-known/openid-configuration`) spells `issuer`.",
  },
  TOIDC116: {
    explanation:
      '`-` means "no prefix" for `oidc-username-prefix` only; the groups prefix is prepended literally, so the group `admin` becomes `-admin` and bindings to `admin` never match.',
    fix: 'Remove `oidc-groups-prefix` for bare group names, or use `oidc:` and bind `oidc:<group>`.',
  },
  TOIDC117: {
    explanation:
      "The repository's own provider mapping (an authentik scope mapping, for example) sets `email_verified` to false, and the username claim is `email`: the API server refuses every token (`oidc: email not verified`).",
    fix: 'Use `preferred_username` or `sub` as the username claim, or make the mapping send the real verification state.',
  },
  TOIDC118: {
    explanation:
      'The API server reads the AuthenticationConfiguration at a container path; through the `extraVolumes` mount that is a host path, and `machine.files` writes the file somewhere else, so the API server finds no file and does not start.',
    fix: "Make `machine.files[].path` equal the mount's `hostPath` plus the rest of the flag's path (or change the flag).",
  },
  TOIDC119: {
    explanation:
      'With `.cluster.apiServer` Talos passes `--anonymous-auth=false`; kube-apiserver refuses the flag together with an `anonymous` block in the `--authentication-config` file (`--anonymous-auth flag cannot be set when anonymous field is configured`).',
    fix: 'Remove the `anonymous` block from the file, or move to the KubeAPIServerConfig + KubeAuthenticationConfig layout (Talos passes no `--anonymous-auth` there).',
  },
  TOIDC120: {
    explanation:
      '`issuer.certificateAuthority` takes the CA certificate itself; a file path (as `oidc-ca-file` takes) makes kube-apiserver refuse the configuration (`data does not contain any valid RSA or ECDSA certificates`).',
    fix: 'Paste the PEM text of the CA certificate as a `|` block.',
  },
  TOIDC121: {
    explanation:
      'Talos passes `--authentication-config` only when the API server settings come from a KubeAPIServerConfig document; with `.cluster.apiServer` (configs made by Talos 1.13 or earlier) the KubeAuthenticationConfig is written to disk and read by nothing, so its OIDC is silently off.',
    fix: 'Move the `.cluster.apiServer` settings into a KubeAPIServerConfig document (the Migrate quick fix does), or keep OIDC in `cluster.apiServer.extraArgs`.',
  },
  TOIDC122: {
    explanation:
      'KubeAPIServerConfig and KubeAuthenticationConfig exist from Talos 1.14; older Talos rejects the whole config (`"KubeAuthenticationConfig" "v1alpha1": not registered`). The version comes from `machine.install.image`, a `# talos: v1.x` comment, the `talosOidc.talosVersion` setting or another config of the workspace.',
    fix: 'On Talos 1.13 and older put OIDC into `cluster.apiServer.extraArgs`; or upgrade Talos first.',
  },
  TOIDC123: {
    explanation:
      'Talos 1.12 and 1.13 reject a YAML list as an `extraArgs` value (`cannot unmarshal !!seq into string`, `unexpected type for yaml sequence`); only Talos 1.14 reads one.',
    fix: 'Write one comma-separated string (`oidc-required-claim: hd=example.com,tier=gold`); the API server splits it.',
  },
  TOIDC201: {
    explanation:
      "The API server validates its authenticator configuration at startup (and on every reload); this setting fails that validation, in the API server's own words.",
    fix: 'Change the setting as the message says.',
  },
  TOIDC301: {
    explanation:
      'OIDC is configured, but no ClusterRoleBinding or RoleBinding among the files names a user or group that the API server will produce; OIDC users can log in but are allowed nothing.',
    fix: 'Create (and apply, before switching kubectl to OIDC) a ClusterRoleBinding for the prefixed group, e.g. `oidc:kubernetes`.',
  },
  TOIDC302: {
    explanation:
      'The API server adds the configured prefix to every OIDC group and username, so a binding to `kubernetes` never matches the group it yields (`oidc:kubernetes`).',
    fix: 'Add the prefix to the subject name.',
  },
  TOIDC303: {
    explanation:
      'The API server takes group names from the token as they are (a groups claim without a groups prefix), and the binding names a generic group such as `admin`: anyone the provider puts in a group of that name, for any application, gets the role.',
    fix: 'Set `oidc-groups-prefix: "oidc:"` and bind `oidc:<group>`, or bind a group name only this cluster uses.',
  },
  TOIDC304: {
    explanation:
      'The bindings that name what OIDC users become are under `archive/` (or `old/`, `deprecated/`), which GitOps tools and `kubectl apply` of the live folders do not apply; OIDC users can log in but are allowed nothing.',
    fix: 'Move the binding out of the archive folder (or create a new one) and apply it before switching kubectl to OIDC.',
  },
  TOIDC401: {
    explanation:
      'The client ID is the ID of the OIDC client at the provider (a UUID in Pocket-ID), not a URL; the provider refuses the login.',
    fix: "Use the client ID from the provider's OIDC client page (the same as the API server's `oidc-client-id`).",
  },
  TOIDC402: {
    explanation:
      'The client secret was set to a URL (a copy-paste mistake in a popular guide); the provider answers `invalid_client`.',
    fix: 'Use the client secret shown when the client was created, or use a public client with PKCE and drop the secret.',
  },
  TOIDC403: {
    explanation:
      'kubelogin gets tokens from a different issuer than the one the API server trusts (a trailing slash counts), so every request is `Unauthorized`.',
    fix: "Use exactly the API server's issuer URL.",
  },
  TOIDC404: {
    explanation:
      'Tokens are issued for this client ID, but the API server only accepts its own audience, so every request is `Unauthorized`.',
    fix: "Use the API server's client ID (`oidc-client-id` / `audiences`).",
  },
  TOIDC405: {
    explanation:
      'The API server reads groups from the token, but Pocket-ID and most providers add the `groups` claim only when the `groups` scope is requested, so group bindings never match.',
    fix: 'Add `--oidc-extra-scope=groups`.',
  },
  TOIDC406: {
    explanation:
      '`client.authentication.k8s.io/v1alpha1` was removed from kubectl (1.24); kubectl refuses to run the plugin.',
    fix: 'Use `client.authentication.k8s.io/v1`.',
  },
  TOIDC407: {
    explanation: 'The client secret sits in the kubeconfig in plain text, readable by anything that can read the file.',
    fix: 'Prefer a public client with PKCE (no secret); otherwise keep the file private (mode 600).',
  },
  TOIDC408: {
    explanation:
      'kubelogin sends `http://localhost:<port>` as the callback URL; a provider that has only `http://localhost:8000` registered refuses other ports ("Invalid callback URL").',
    fix: 'Register `http://localhost:<port>` as a callback URL at the provider (in Pocket-ID, `http://localhost` without a port covers every port), or use the default listen address.',
  },
  TOIDC409: {
    explanation: 'kubelogin needs both `--oidc-issuer-url` and `--oidc-client-id`; without them `get-token` fails.',
    fix: 'Add the missing flag with the same value as the API server configuration.',
  },
  TOIDC410: {
    explanation:
      'The exec block has no `command`, so kubectl refuses it (`command must be specified for <user> to use exec authentication plugin`).',
    fix: 'Add `command: kubectl` (with `oidc-login` as the first argument) or `command: kubelogin`.',
  },
  TOIDC411: {
    explanation:
      'With `client.authentication.k8s.io/v1`, kubectl requires `interactiveMode` and refuses the user without it (`interactiveMode must be specified for <user> to use exec authentication plugin`).',
    fix: "Add `interactiveMode: Never` for kubelogin's browser login (`IfAvailable` for password or keyboard flows).",
  },
  TOIDC412: {
    explanation:
      'The API server takes the username from `email` (or `preferred_username`), but kubelogin does not request the `email` (or `profile`) scope; Pocket-ID then leaves the claim out and every login fails (`claim not present`).',
    fix: 'Add `--oidc-extra-scope=email` (or `--oidc-extra-scope=profile` for `preferred_username`).',
  },
  TOIDC413: {
    explanation:
      'The program the exec user runs (`kubectl`, `kubelogin`, or the `kubectl-oidc_login` plugin behind `kubectl oidc-login`) is not on this machine\'s PATH, so kubectl fails before any login (`executable kubelogin not found`, `unknown command "oidc-login"`). Checked in the editor only: it depends on the machine.',
    fix: 'Install kubelogin (e.g. `kubectl krew install oidc-login` or `brew install kubelogin`) and kubectl, or point `command` at the installed program; then refresh the side panel.',
  },
  TOIDC414: {
    explanation:
      'client-go accepts only `Never`, `IfAvailable` and `Always` for `exec.interactiveMode` (`invalid interactiveMode for <user>`); kubectl refuses the whole user.',
    fix: "Use `Never` for kubelogin's browser login (`IfAvailable` for password or keyboard flows).",
  },
  TOIDC415: {
    explanation:
      'kubelogin stops before logging in when `--grant-type`, `--oidc-pkce-method` or `--token-cache-storage` has a value it does not know (`must be one of (...)`); the values are case-sensitive.',
    fix: 'Use one of the listed values (the default is usually right: leave the flag out).',
  },
};

/** A check's catalogue entry with its explanation; undefined for an unknown code. */
export function checkDocumentation(code: string): CheckDocumentation | undefined {
  const info = CHECKS[code];
  const text = CHECK_EXPLANATIONS[code];
  return info && text ? { ...info, ...text } : undefined;
}

/** Every check with its explanation, in code order (for documentation). */
export function listCheckDocumentation(): CheckDocumentation[] {
  return listChecks().map((info) => ({ ...info, ...CHECK_EXPLANATIONS[info.code] }));
}
