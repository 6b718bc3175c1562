/**
 * Moves a legacy `cluster.apiServer.extraArgs` OIDC block into a Talos 1.14 `KubeAuthenticationConfig`
 * document in one fix. Talos passes `--authentication-config` only when the API server settings
 * come from a `KubeAPIServerConfig` document, so in a whole config `.cluster.apiServer` moves into
 * one (image, certSANs, the other extraArgs, env, resources; admission control and audit policy into
 * their own documents), or the fix refuses with the reason. A patch only loses its `oidc-*` flags.
 * The same authenticator is added to the `jwt` list, keeping an existing `anonymous` block (or
 * writing Talos's default, or `enabled: false` for `anonymous-auth: false`). Refused when the
 * config's Talos version has no such document.
 */
import { isMap, type Node, type Pair } from 'yaml';
import { isOidcFlag } from '../authn/flags';
import type { Fix, TextEdit } from '../checks/finding';
import { unquotedColon } from '../checks/yaml';
import type { ExtraArg, ParsedFile } from '../workspace/types';
import { findNode } from '../yaml/source';
import { generateKubeAuthenticationConfig, jwtAuthenticator } from './authenticationConfig';
import { insertOidcEdits } from './insert';
import type { OidcSetup } from './setup';
import { toYaml } from './yaml';
import { isProviderId, DEFAULT_PROVIDER_ID } from '../providers/presets';
import { describeTalosVersion, MULTI_DOCUMENT_TALOS_MINOR, parseTalosVersion } from '../talos/version';

export type MigrationResult = { fix: Fix } | { error: string };

/** The `oidc-*` flags under the v1alpha1 `cluster.apiServer.extraArgs` (what the migration moves). */
export function legacyOidcArgs(parsed: ParsedFile): ExtraArg[] {
  return (parsed.talos?.extraArgs ?? []).filter(
    (arg) => arg.origin === 'cluster.apiServer' && arg.name.startsWith('oidc-'),
  );
}

export const MIGRATION_TITLE = 'Migrate extraArgs OIDC block to a Talos 1.14 KubeAuthenticationConfig document';

export function migrateExtraArgsToKubeAuthenticationConfig(
  parsed: ParsedFile,
  options: { provider?: string; talosVersion?: string } = {},
): MigrationResult {
  const talos = parsed.talos;
  const oidcArgs = legacyOidcArgs(parsed);
  if (!talos || oidcArgs.length === 0)
    return { error: 'There is no OIDC block under cluster.apiServer.extraArgs to migrate.' };
  if (parsed.yamlProblems.length > 0)
    return { error: "Fix the YAML errors first: the migration edits the file's structure." };
  const version =
    talos.talosVersion ?? (options.talosVersion ? parseTalosVersion(options.talosVersion, 'setting') : undefined);
  if (version && version.minor < MULTI_DOCUMENT_TALOS_MINOR) {
    return {
      error: `${describeTalosVersion(version)} has no KubeAuthenticationConfig: its config code rejects the kind ("KubeAuthenticationConfig" "v1alpha1": not registered). Keep the extraArgs layout, or upgrade to Talos 1.${MULTI_DOCUMENT_TALOS_MINOR} first.`,
    };
  }
  const unquoted = oidcArgs.find((arg) => unquotedColon(parsed, arg));
  if (unquoted) return { error: `Quote the value of ${unquoted.name} first (it ends with a colon).` };
  const unknown = oidcArgs.find((arg) => !isOidcFlag(arg.name));
  if (unknown) return { error: `${unknown.name} is not an API server flag; fix or remove it first.` };
  const extraArgsNode = findNode(parsed.source.documents[oidcArgs[0].documentIndex]?.contents, [
    'cluster',
    'apiServer',
    'extraArgs',
  ])?.node;
  if (isMap(extraArgsNode) && extraArgsNode.flow)
    return { error: 'extraArgs is written as a flow map ({...}); write it as a block map first.' };
  const legacyArgs = talos.extraArgs.filter((arg) => arg.origin === 'cluster.apiServer');
  if (legacyArgs.some((arg) => arg.name === 'authentication-config')) {
    return {
      error: 'extraArgs already sets authentication-config together with oidc-* flags; decide which one to keep first.',
    };
  }
  const flag = (name: string) => oidcArgs.find((arg) => arg.name === name)?.values;
  const single = (name: string) => flag(name)?.[0];
  const issuerUrl = single('oidc-issuer-url');
  const clientId = single('oidc-client-id');
  if (!issuerUrl || !clientId) return { error: 'Both oidc-issuer-url and oidc-client-id must be set to migrate.' };
  if (/<[^>]*>/.test(issuerUrl) || /<[^>]*>/.test(clientId))
    return { error: 'Fill the <placeholders> in oidc-issuer-url and oidc-client-id first.' };
  if (flag('oidc-ca-file')) {
    return {
      error:
        'oidc-ca-file names a file on the node; KubeAuthenticationConfig needs the PEM text in issuer.certificateAuthority. Migrate by hand.',
    };
  }
  const requiredClaims: Record<string, string> = {};
  for (const entry of (flag('oidc-required-claim') ?? []).flatMap((value) => value.split(','))) {
    const at = entry.indexOf('=');
    if (at <= 0) return { error: `oidc-required-claim "${entry}" is not claim=value.` };
    requiredClaims[entry.slice(0, at)] = entry.slice(at + 1);
  }
  const rawUsernamePrefix = single('oidc-username-prefix');
  const groupsClaim = single('oidc-groups-claim');
  const setup: OidcSetup = {
    issuerUrl,
    clientId,
    usernameClaim: single('oidc-username-claim') ?? 'sub',
    // Flags: unset means the `<issuer>#` rule, `-` means none; jwtAuthenticator spells it out.
    usernamePrefix: rawUsernamePrefix === undefined ? undefined : rawUsernamePrefix === '-' ? '' : rawUsernamePrefix,
    groupsClaim: groupsClaim || undefined,
    groupsPrefix: groupsClaim ? (single('oidc-groups-prefix') ?? '') : undefined,
    adminGroup: 'kubernetes',
    requiredClaims: Object.keys(requiredClaims).length > 0 ? requiredClaims : undefined,
    extraScopes: [],
    provider: options.provider && isProviderId(options.provider) ? options.provider : DEFAULT_PROVIDER_ID,
  };

  const anonymousAuth = legacyArgs.find((arg) => arg.name === 'anonymous-auth');
  // A whole config moves `.cluster.apiServer` into a KubeAPIServerConfig: without one Talos never
  // passes --authentication-config and the KubeAuthenticationConfig would be read by nothing.
  const apiServerMove = talos.isPatch ? undefined : apiServerDocuments(parsed, oidcArgs[0].documentIndex);
  if (apiServerMove && 'error' in apiServerMove) return apiServerMove;
  const edits: TextEdit[] = apiServerMove
    ? [apiServerMove.removal]
    : removalEdits(
        parsed,
        anonymousAuth ? [...oidcArgs, anonymousAuth] : oidcArgs,
        legacyArgs.length === (anonymousAuth ? oidcArgs.length + 1 : oidcArgs.length),
      );
  const appended: string[] = apiServerMove ? [...apiServerMove.documents] : [];
  if (talos.kubeAuthenticationConfig || !anonymousAuth) {
    // An existing document keeps its anonymous block; a new one gets Talos's default.
    if (talos.kubeAuthenticationConfig) {
      let plan;
      try {
        plan = insertOidcEdits({ file: parsed.file, text: parsed.text }, setup, { layout: 'multi-document' });
      } catch (error) {
        return {
          error: `Cannot update the KubeAuthenticationConfig document: ${error instanceof Error ? error.message : String(error)}`,
        };
      }
      edits.push(...plan.edits);
    } else {
      appended.push(generateKubeAuthenticationConfig(setup));
    }
  } else {
    // `anonymous-auth` decided anonymous access; the new document says the same.
    const enabled = anonymousAuth.values[0]?.toLowerCase() !== 'false';
    appended.push(
      enabled
        ? generateKubeAuthenticationConfig(setup)
        : toYaml(
            {
              apiVersion: 'v1alpha1',
              kind: 'KubeAuthenticationConfig',
              configuration: {
                apiVersion: 'apiserver.config.k8s.io/v1beta1',
                kind: 'AuthenticationConfiguration',
                anonymous: { enabled: false },
                jwt: [jwtAuthenticator(setup)],
              },
            },
            { quotedKeys: new Set(['prefix']) },
          ),
    );
  }
  if (appended.length > 0) edits.push(appendDocuments(parsed, appended));
  if (overlaps(edits))
    return { error: 'The OIDC block and the KubeAuthenticationConfig document overlap; migrate by hand.' };
  return { fix: { title: MIGRATION_TITLE, edits, preferred: false } };
}

/** `.cluster.apiServer` keys and where Talos 1.14 takes each from instead. */
const MOVABLE_API_SERVER_KEYS = new Set([
  'image',
  'extraArgs',
  'certSANs',
  'env',
  'resources',
  'admissionControl',
  'auditPolicy',
  'disablePodSecurityPolicy',
  'extraVolumes',
]);

/**
 * The documents that replace `.cluster.apiServer` (KubeAPIServerConfig, and KubeAdmissionControlConfig
 * / KubeAuditPolicyConfig for what it held), and the edit that deletes it; or why that cannot be done.
 */
function apiServerDocuments(
  parsed: ParsedFile,
  documentIndex: number,
): { removal: TextEdit; documents: string[] } | { error: string } {
  const document = parsed.source.documents[documentIndex];
  const apiServer = findNode(document?.contents, ['cluster', 'apiServer']);
  const plain = (apiServer?.node as { toJSON?: () => unknown } | undefined)?.toJSON?.();
  if (!apiServer?.pair || !plain || typeof plain !== 'object' || Array.isArray(plain))
    return { error: 'cluster.apiServer is not a map; migrate by hand.' };
  const settings = plain as Record<string, unknown>;
  const unknown = Object.keys(settings).filter((key) => !MOVABLE_API_SERVER_KEYS.has(key));
  if (unknown.length > 0) {
    return {
      error: `cluster.apiServer also sets ${unknown.join(', ')}, which a KubeAPIServerConfig document cannot hold (authorizationConfig goes into KubeAuthorizerConfig documents); move ${unknown.length > 1 ? 'them' : 'it'} by hand first.`,
    };
  }
  if (Array.isArray(settings.extraVolumes) && settings.extraVolumes.length > 0) {
    return {
      error:
        'cluster.apiServer has extraVolumes, and a KubeAPIServerConfig document has no extraVolumes (Talos 1.14 mounts only the host CA roots): files such as oidc-ca-file cannot reach the API server after the migration. Put the CA into issuer.certificateAuthority and remove the volumes first.',
    };
  }
  if (typeof settings.image !== 'string' || settings.image === '') {
    return {
      error:
        'cluster.apiServer has no image, and a KubeAPIServerConfig document needs one (Talos rejects `kube-apiserver image cannot be empty`); add the image first.',
    };
  }
  if (findNode(document?.contents, ['cluster', 'controlPlane', 'localAPIServerPort'])) {
    return {
      error:
        'cluster.controlPlane.localAPIServerPort must move into KubeAPIServerConfig.apiPort as well (Talos rejects both together); move it by hand first.',
    };
  }
  const extraArgs: Record<string, unknown> = {};
  for (const [name, value] of Object.entries((settings.extraArgs as Record<string, unknown> | undefined) ?? {})) {
    if (name.startsWith('oidc-') || name === 'anonymous-auth') continue;
    if (name === 'authentication-config' || name.startsWith('authorization-')) {
      return {
        error: `extraArgs sets ${name}, which Talos refuses in a KubeAPIServerConfig document (use ${name.startsWith('authorization-') ? 'KubeAuthorizerConfig' : 'KubeAuthenticationConfig'}); move it by hand first.`,
      };
    }
    extraArgs[name] = value;
  }
  const apiServerConfig: Record<string, unknown> = {
    apiVersion: 'v1alpha1',
    kind: 'KubeAPIServerConfig',
    image: settings.image,
  };
  if (Object.keys(extraArgs).length > 0) apiServerConfig.extraArgs = extraArgs;
  if (Array.isArray(settings.certSANs) && settings.certSANs.length > 0)
    apiServerConfig.certExtraSANs = settings.certSANs;
  if (settings.env && typeof settings.env === 'object' && Object.keys(settings.env).length > 0)
    apiServerConfig.env = settings.env;
  if (settings.resources && typeof settings.resources === 'object' && Object.keys(settings.resources).length > 0)
    apiServerConfig.resources = settings.resources;
  const documents = [toYaml(apiServerConfig)];
  for (const plugin of Array.isArray(settings.admissionControl) ? settings.admissionControl : []) {
    const { name, configuration } = (plugin ?? {}) as { name?: unknown; configuration?: unknown };
    documents.push(toYaml({ apiVersion: 'v1alpha1', kind: 'KubeAdmissionControlConfig', name, configuration }));
  }
  if (
    settings.auditPolicy &&
    typeof settings.auditPolicy === 'object' &&
    Object.keys(settings.auditPolicy).length > 0
  ) {
    documents.push(
      toYaml({ apiVersion: 'v1alpha1', kind: 'KubeAuditPolicyConfig', configuration: settings.auditPolicy }),
    );
  }
  const pair = apiServer.pair as Pair<Node, Node | null>;
  const keyStart = pair.key?.range?.[0];
  const valueEnd = pair.value?.range?.[1] ?? pair.key?.range?.[1];
  if (keyStart === undefined || valueEnd === undefined)
    return { error: 'cluster.apiServer has no source position; migrate by hand.' };
  const lines = parsed.lines;
  const startLine = lines.positionAt(parsed.source.toOriginal(keyStart)).line;
  const endLine = lines.positionAt(
    Math.max(parsed.source.toOriginal(valueEnd) - 1, parsed.source.toOriginal(keyStart)),
  ).line;
  const removal: TextEdit = {
    file: parsed.file,
    startOffset: lines.lineStart(startLine),
    endOffset: endLine + 1 < lines.lineCount ? lines.lineStart(endLine + 1) : parsed.text.length,
    newText: '',
  };
  return { removal, documents };
}

/** Whole-line removals of the given args; the `extraArgs` key too when nothing else is left in it. */
function removalEdits(parsed: ParsedFile, args: ExtraArg[], extraArgsBecomesEmpty: boolean): TextEdit[] {
  const lines = parsed.lines;
  const documentIndex = args[0].documentIndex;
  const lineSpan = (startLine: number, endLine: number): TextEdit => ({
    file: parsed.file,
    startOffset: lines.lineStart(startLine),
    endOffset: endLine + 1 < lines.lineCount ? lines.lineStart(endLine + 1) : parsed.text.length,
    newText: '',
  });
  if (extraArgsBecomesEmpty) {
    const document = parsed.source.documents[documentIndex];
    const apiServer = findNode(document?.contents, ['cluster', 'apiServer']);
    const extraArgs = findNode(document?.contents, ['cluster', 'apiServer', 'extraArgs']);
    // The whole `apiServer:` goes when extraArgs was all it held, else just `extraArgs:`.
    const holder = apiServer && isMap(apiServer.node) && apiServer.node.items.length === 1 ? apiServer : extraArgs;
    const pair = holder?.pair as Pair<Node, Node | null> | undefined;
    const keyStart = pair?.key?.range?.[0];
    const valueEnd = pair?.value?.range?.[1] ?? pair?.key?.range?.[1];
    if (keyStart !== undefined && valueEnd !== undefined) {
      const start = lines.positionAt(parsed.source.toOriginal(keyStart)).line;
      const end = lines.positionAt(
        Math.max(parsed.source.toOriginal(valueEnd) - 1, parsed.source.toOriginal(keyStart)),
      ).line;
      return [lineSpan(start, end)];
    }
  }
  return args
    .map((arg) =>
      lineSpan(
        arg.keyRange.start.line,
        lines.positionAt(Math.max(arg.valueRange.endOffset - 1, arg.keyRange.startOffset)).line,
      ),
    )
    .sort((a, b) => a.startOffset - b.startOffset);
}

function appendDocuments(parsed: ParsedFile, documents: string[]): TextEdit {
  const end = parsed.text.length;
  const eol = parsed.text.includes('\r\n') ? '\r\n' : '\n';
  const needsNewline = end > 0 && !parsed.text.endsWith('\n');
  const text =
    (needsNewline ? eol : '') + documents.map((document) => `---${eol}${document.replace(/\r?\n/g, eol)}`).join('');
  return { file: parsed.file, startOffset: end, endOffset: end, newText: text };
}

function overlaps(edits: TextEdit[]): boolean {
  const sorted = [...edits].sort((a, b) => a.startOffset - b.startOffset || a.endOffset - b.endOffset);
  return sorted.some((edit, i) => i > 0 && edit.startOffset < sorted[i - 1].endOffset);
}
