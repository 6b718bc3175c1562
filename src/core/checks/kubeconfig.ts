/**
 * kubeconfig users that run kubelogin, compared with the workspace's API server config.
 * Codes: TOIDC401, TOIDC402, TOIDC403, TOIDC404, TOIDC405, TOIDC406, TOIDC407, TOIDC408, TOIDC409,
 * TOIDC410, TOIDC411, TOIDC412, TOIDC414, TOIDC415. (TOIDC413 is commandInstalled.ts; template
 * values, TOIDC004, are reported through mistakes.ts.)
 */
import type { KubeconfigExecUser, KubeloginFlag } from '../workspace/types';
import {
  blockIndent,
  findPlaceholder,
  fix,
  insertLinesAfter,
  isUrl,
  replaceEdit,
  report,
  yamlScalar,
  type CheckContext,
} from './context';
import { workspaceIdentities, type OidcIdentity } from './identity';
import { reportPlaceholder } from './yaml';
import { reportKubeloginTemplates } from './mistakes';
import { inferProvider } from '../providers/infer';
import { templateReference } from '../workspace/templates';

const DEFAULT_PORTS = new Set(['8000', '18000']);
/** Standard OIDC scopes that carry a claim (OpenID Connect Core 5.4). */
const CLAIM_SCOPES: Record<string, string> = {
  email: 'email',
  email_verified: 'email',
  preferred_username: 'profile',
  name: 'profile',
  given_name: 'profile',
  family_name: 'profile',
  nickname: 'profile',
};

export function checkKubeconfig(context: CheckContext): void {
  // Template issuers (`https://auth.${SECRET_DOMAIN}`) cannot be compared with what kubelogin uses.
  const identities = workspaceIdentities(context.files).filter(
    (identity) => !findPlaceholder(identity.issuer) && !templateReference(identity.issuer),
  );
  for (const user of context.parsed.kubeconfigUsers) {
    checkExecBlock(context, user);
    checkInteractiveModeValue(context, user);
    if (user.kubelogin) {
      checkKubelogin(context, user, identities);
      checkKubeloginFlagValues(context, user);
    }
  }
}

function checkExecBlock(context: CheckContext, user: KubeconfigExecUser): void {
  const { parsed } = context;
  const anchor = user.apiVersionRange;
  const indent = anchor ? keyIndent(context, anchor.startOffset) : undefined;
  /** Inserts `key: value` as a sibling line after `apiVersion:`. */
  const insertAfterApiVersion = (line: string) =>
    anchor && indent !== undefined ? insertLinesAfter(parsed, anchor, [' '.repeat(indent) + line]) : undefined;
  const needsInteractiveMode = user.interactiveMode === undefined || user.interactiveMode === '';

  if (user.apiVersion === 'client.authentication.k8s.io/v1alpha1' && anchor) {
    const interactive = needsInteractiveMode ? insertAfterApiVersion('interactiveMode: Never') : undefined;
    report(
      context,
      'TOIDC406',
      '`client.authentication.k8s.io/v1alpha1` was removed from kubectl in 1.24: kubectl refuses to run this plugin. Use `client.authentication.k8s.io/v1` (with `interactiveMode: Never` for the browser login).',
      anchor,
      [
        fix(
          'Use client.authentication.k8s.io/v1',
          [replaceEdit(parsed.file, anchor, 'client.authentication.k8s.io/v1'), ...(interactive ? [interactive] : [])],
          true,
        ),
      ],
    );
  }
  if (user.apiVersion === 'client.authentication.k8s.io/v1' && needsInteractiveMode && anchor) {
    const edit = insertAfterApiVersion('interactiveMode: Never');
    report(
      context,
      'TOIDC411',
      `kubectl refuses this user: \`interactiveMode must be specified for ${user.name} to use exec authentication plugin\` (required with client.authentication.k8s.io/v1). Add \`interactiveMode: Never\` for kubelogin's browser login (\`IfAvailable\` for password or keyboard flows).`,
      anchor,
      edit ? [fix('Add interactiveMode: Never', [edit], true)] : undefined,
    );
  }
  if (user.command === undefined && user.kubelogin) {
    const edit = insertAfterApiVersion('command: kubectl');
    report(
      context,
      'TOIDC410',
      `kubectl refuses this user: \`command must be specified for ${user.name} to use exec authentication plugin\`. The args start with \`oidc-login\`, a kubectl plugin: add \`command: kubectl\`.`,
      user.argRanges[0] ?? user.range,
      edit ? [fix('Add command: kubectl', [edit], true)] : undefined,
    );
  }
}

const INTERACTIVE_MODES = ['Never', 'IfAvailable', 'Always'];

/** client-go's validateAuthInfo (tools/clientcmd/validation.go) accepts only these three values. */
function checkInteractiveModeValue(context: CheckContext, user: KubeconfigExecUser): void {
  const value = user.interactiveMode;
  if (value === undefined || value === '' || INTERACTIVE_MODES.includes(value)) return;
  const range = context.parsed.rangeOf(user.documentIndex, [...user.path, 'user', 'exec', 'interactiveMode']);
  if (!range) return;
  const meant =
    INTERACTIVE_MODES.find((mode) => mode.toLowerCase() === value.trim().toLowerCase().replace(/[-_ ]/g, '')) ??
    'Never';
  report(
    context,
    'TOIDC414',
    `kubectl refuses this user: \`invalid interactiveMode for ${user.name}: "${value}"\`. It takes Never, IfAvailable or Always (\`Never\` for kubelogin's browser login).`,
    range,
    [fix(`Use ${meant}`, [replaceEdit(context.parsed.file, range, meant)], true)],
  );
}

/** kubelogin's enumerated flags (pkg/cmd in kubelogin v1.34) and the error it stops with. */
const KUBELOGIN_ENUM_FLAGS: Record<string, string[]> = {
  'grant-type': ['auto', 'authcode', 'authcode-keyboard', 'password', 'device-code', 'client-credentials'],
  'oidc-pkce-method': ['auto', 'no', 'S256'],
  'token-cache-storage': ['disk', 'keyring', 'none'],
};

function checkKubeloginFlagValues(context: CheckContext, user: KubeconfigExecUser): void {
  for (const flag of user.kubelogin?.flags ?? []) {
    const allowed = KUBELOGIN_ENUM_FLAGS[flag.name];
    if (
      !allowed ||
      flag.value === undefined ||
      !flag.valueRange ||
      allowed.includes(flag.value) ||
      findPlaceholder(flag.value)
    )
      continue;
    const meant = allowed.find((value) => value.toLowerCase() === flag.value!.trim().toLowerCase());
    report(
      context,
      'TOIDC415',
      `kubelogin stops with \`${flag.name} must be one of (${allowed.join('|')})\`: \`${flag.value}\` is not one of them.` +
        (meant ? ` Use \`${meant}\` (the values are case-sensitive).` : ''),
      flag.valueRange,
      meant ? [fix(`Use ${meant}`, [replaceArgValue(context, user, flag, meant)], true)] : undefined,
    );
  }
}

/** Indentation of the key on the line of `offset` (the `apiVersion:` key of an exec block). */
function keyIndent(context: CheckContext, offset: number): number | undefined {
  const { parsed } = context;
  const line = parsed.lines.positionAt(offset).line;
  const lineStart = parsed.lines.lineStart(line);
  const text = parsed.text.slice(lineStart, offset);
  const match = /^([ \t]*)apiVersion\s*:\s*$/.exec(text);
  return match
    ? blockIndent(parsed, parsed.lines.range(lineStart + match[1].length, lineStart + match[1].length))
    : undefined;
}

function lastFlag(user: KubeconfigExecUser, name: string): KubeloginFlag | undefined {
  return [...(user.kubelogin?.flags ?? [])].reverse().find((flag) => flag.name === name);
}

function checkKubelogin(context: CheckContext, user: KubeconfigExecUser, identities: OidcIdentity[]): void {
  const { parsed, options } = context;
  const kubelogin = user.kubelogin!;
  const subcommandRange = user.argRanges[kubelogin.subcommandIndex] ?? user.range;
  const issuerFlag = lastFlag(user, 'oidc-issuer-url');
  const clientFlag = lastFlag(user, 'oidc-client-id');
  const secretFlag = lastFlag(user, 'oidc-client-secret');

  const knownIssuers = unique(identities.map((identity) => identity.issuer));
  const sameIssuer = identities.filter((identity) => identity.issuer === kubelogin.issuerUrl);
  const relevant = sameIssuer.length > 0 ? sameIssuer : identities;
  const knownClientIds = unique(
    relevant
      .flatMap((identity) => identity.audiences)
      .filter((audience) => audience !== '' && !findPlaceholder(audience) && !templateReference(audience)),
  );
  const clientIdFill = knownClientIds.length === 1 ? knownClientIds[0] : options.clientId;
  const issuerFill = knownIssuers.length === 1 ? knownIssuers[0] : options.issuerUrl;

  const missing = [
    !issuerFlag?.value ? '--oidc-issuer-url' : undefined,
    !clientFlag?.value ? '--oidc-client-id' : undefined,
  ].filter(Boolean);
  if (missing.length > 0) {
    report(
      context,
      'TOIDC409',
      `kubelogin needs ${missing.join(' and ')}; without ${missing.length > 1 ? 'them' : 'it'} \`get-token\` fails. Use the same values as the API server.`,
      subcommandRange,
    );
  }

  // Issuer
  // A reference (`op://…`, `${VAR}`, `{{ … }}`) is filled in when the kubeconfig is rendered: TOIDC004 says so instead.
  reportKubeloginTemplates(context, [issuerFlag, clientFlag, secretFlag]);
  if (issuerFlag?.value !== undefined && issuerFlag.valueRange && !templateReference(issuerFlag.value)) {
    const placeholder = findPlaceholder(issuerFlag.value);
    if (placeholder) {
      reportPlaceholder(
        context,
        placeholder,
        'kubelogin cannot discover the provider with it',
        issuerFlag.valueRange,
        issuerFill,
      );
    } else if (knownIssuers.length > 0 && sameIssuer.length === 0) {
      const slashOnly = knownIssuers.some(
        (issuer) => issuer.replace(/\/+$/, '') === issuerFlag.value!.replace(/\/+$/, ''),
      );
      report(
        context,
        'TOIDC403',
        `kubelogin gets tokens from \`${issuerFlag.value}\`, but the API server trusts ${knownIssuers.map((issuer) => `\`${issuer}\``).join(' or ')}` +
          (slashOnly ? ' (only a trailing slash differs, and it counts)' : '') +
          ". Tokens from another issuer are skipped, so every request is `Unauthorized`. Use exactly the API server's issuer URL.",
        issuerFlag.valueRange,
        knownIssuers.map((issuer, index) =>
          fix(`Use ${issuer}`, [replaceArgValue(context, user, issuerFlag, issuer)], index === 0),
        ),
      );
    }
  }

  // Client ID
  if (clientFlag?.value !== undefined && clientFlag.valueRange && !templateReference(clientFlag.value)) {
    const placeholder = findPlaceholder(clientFlag.value);
    const fixes = clientIdFill
      ? [fix(`Use ${clientIdFill}`, [replaceArgValue(context, user, clientFlag, clientIdFill)], true)]
      : undefined;
    if (isUrl(clientFlag.value) || (placeholder && /url/i.test(placeholder))) {
      report(
        context,
        'TOIDC401',
        `\`--oidc-client-id\` is ${placeholder ? `a placeholder asking for a URL (\`${placeholder}\`)` : `the URL \`${clientFlag.value}\``}, but the client ID is the ID of the OIDC client at the provider (a UUID in Pocket-ID), the same value as the API server's \`oidc-client-id\`. With a URL the provider refuses the login.`,
        clientFlag.valueRange,
        fixes,
      );
    } else if (placeholder) {
      reportPlaceholder(
        context,
        placeholder,
        'The provider refuses an unknown client ID',
        clientFlag.valueRange,
        clientIdFill,
      );
    } else if (knownClientIds.length > 0 && !knownClientIds.includes(clientFlag.value)) {
      report(
        context,
        'TOIDC404',
        `Tokens are issued for the client ID \`${clientFlag.value}\`, but the API server only accepts ${knownClientIds.map((id) => `\`${id}\``).join(' or ')} as the audience, so every request is \`Unauthorized\` (\`oidc: expected audience\`). Use the API server's client ID.`,
        clientFlag.valueRange,
        knownClientIds.map((id, index) =>
          fix(`Use ${id}`, [replaceArgValue(context, user, clientFlag, id)], index === 0),
        ),
      );
    }
  }

  // Client secret
  if (secretFlag?.value !== undefined && secretFlag.valueRange && !templateReference(secretFlag.value)) {
    const placeholder = findPlaceholder(secretFlag.value);
    if (isUrl(secretFlag.value) || (placeholder && /url/i.test(placeholder))) {
      report(
        context,
        'TOIDC402',
        `\`--oidc-client-secret\` is ${placeholder ? `a placeholder asking for a URL (\`${placeholder}\`)` : `the URL \`${secretFlag.value}\``}: the secret is the one shown once when the OIDC client was created, not a URL; the provider answers \`invalid_client\`. Use the real secret, or a public client with PKCE and no secret.`,
        secretFlag.valueRange,
      );
    } else if (placeholder) {
      reportPlaceholder(
        context,
        placeholder,
        'The provider answers `invalid_client`',
        secretFlag.valueRange,
        undefined,
      );
    } else {
      report(
        context,
        'TOIDC407',
        'The client secret is stored in this kubeconfig in plain text. Prefer a public client with PKCE (no secret); otherwise keep the file readable only by you (mode 600).',
        secretFlag.valueRange,
      );
    }
  }

  // Scopes that carry the claims the API server reads
  const addScope = (scope: string) => {
    const lastArgRange = user.argRanges[user.argRanges.length - 1];
    const indent = lastArgRange ? blockIndent(parsed, lastArgRange) : undefined;
    const edit =
      lastArgRange && indent !== undefined && indent >= 2
        ? insertLinesAfter(parsed, lastArgRange, [' '.repeat(indent - 2) + `- --oidc-extra-scope=${scope}`])
        : undefined;
    return edit ? [fix(`Add --oidc-extra-scope=${scope}`, [edit], true)] : undefined;
  };
  const scopeAnchor = lastFlag(user, 'oidc-extra-scope')?.range ?? subcommandRange;
  const issuerForAdvice = kubelogin.issuerUrl ?? relevant[0]?.issuer;
  const provider = inferProvider(issuerForAdvice);
  const who = provider?.label ?? 'Pocket-ID (and most providers)';
  // The scope that carries `groups`: authentik puts it in `profile`.
  const groupsScope = provider?.groupsScope ?? 'groups';
  const wantsGroups = relevant.some((identity) => identity.groups?.claim === 'groups');
  if (wantsGroups && !kubelogin.extraScopes.includes(groupsScope)) {
    report(
      context,
      'TOIDC405',
      `The API server reads groups from the \`groups\` claim, but kubelogin does not request the \`${groupsScope}\` scope: ${who} then ${provider ? 'leaves' : 'leave'} \`groups\` out of the token, and group bindings never match. Add \`--oidc-extra-scope=${groupsScope}\` (then run \`kubectl oidc-login clean\` to drop cached tokens).`,
      scopeAnchor,
      addScope(groupsScope),
    );
  }
  const usernameClaims = unique(
    relevant.map((identity) => identity.usernameClaim).filter((claim): claim is string => claim !== undefined),
  );
  for (const claim of usernameClaims) {
    const scope = CLAIM_SCOPES[claim];
    if (!scope || kubelogin.extraScopes.includes(scope)) continue;
    report(
      context,
      'TOIDC412',
      `The API server takes the username from the \`${claim}\` claim, but kubelogin does not request the \`${scope}\` scope: ${who} then ${provider ? 'leaves' : 'leave'} \`${claim}\` out of the token, and every login fails (\`oidc: parse username claims "${claim}": claim not present\`). Add \`--oidc-extra-scope=${scope}\`.`,
      scopeAnchor,
      addScope(scope),
    );
  }

  // Listen address
  for (const flag of kubelogin.flags) {
    if (flag.name !== 'listen-address' || flag.value === undefined || !flag.valueRange) continue;
    const ports = flag.value
      .split(',')
      .map((address) => address.trim().split(':').pop() ?? '')
      .filter((port) => port !== '' && !DEFAULT_PORTS.has(port));
    if (ports.length === 0) continue;
    report(
      context,
      'TOIDC408',
      `kubelogin will send \`http://localhost:${ports[0]}\` as the callback URL. A provider with only \`http://localhost:8000\` registered (as in the Pocket-ID guide) refuses it ("Invalid callback URL"). Register \`http://localhost:${ports[0]}\`; in Pocket-ID, \`http://localhost\` without a port covers every port.`,
      flag.valueRange,
    );
  }
}

/** Replaces the value of `--flag=value` (or of `--flag value`) keeping the rest of the argument. */
function replaceArgValue(context: CheckContext, user: KubeconfigExecUser, flag: KubeloginFlag, value: string) {
  const range = flag.valueRange!;
  const whole = user.argRanges[flag.argIndex];
  // When only the whole (quoted or escaped) argument is known, rewrite it entirely.
  if (
    whole &&
    range.startOffset === whole.startOffset &&
    range.endOffset === whole.endOffset &&
    user.args[flag.argIndex].startsWith('--')
  ) {
    return replaceEdit(context.parsed.file, whole, yamlScalar(`--${flag.name}=${value}`));
  }
  return replaceEdit(context.parsed.file, range, value);
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
