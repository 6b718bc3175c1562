/**
 * Moves a legacy `cluster.apiServer.extraArgs` OIDC block into a Talos 1.14 `KubeAuthenticationConfig`
 * document in one fix: the `oidc-*` flags leave `extraArgs` (and an `extraArgs`/`apiServer` left
 * empty goes too), and the same authenticator is added to the `jwt` list, keeping an existing
 * `anonymous` block (or writing Talos's default, or `enabled: false` for `anonymous-auth: false`).
 */
import { isMap, type Node, type Pair } from 'yaml';
import { isOidcFlag } from '../authn/flags';
import type { Fix, TextEdit } from '../checks/finding';
import type { ExtraArg, ParsedFile } from '../workspace/types';
import { findNode } from '../yaml/source';
import { generateKubeAuthenticationConfig, jwtAuthenticator } from './index';
import { insertOidcEdits } from './insert';
import type { OidcSetup } from './setup';
import { toYaml } from './yaml';
import { isProviderId, DEFAULT_PROVIDER_ID } from '../providers/presets';

export type MigrationResult = { fix: Fix } | { error: string };

/** The `oidc-*` flags under the v1alpha1 `cluster.apiServer.extraArgs` (what the migration moves). */
export function legacyOidcArgs(parsed: ParsedFile): ExtraArg[] {
  return (parsed.talos?.extraArgs ?? []).filter((arg) => arg.origin === 'cluster.apiServer' && arg.name.startsWith('oidc-'));
}

export const MIGRATION_TITLE = 'Migrate extraArgs OIDC block to a Talos 1.14 KubeAuthenticationConfig document';

export function migrateExtraArgsToKubeAuthenticationConfig(parsed: ParsedFile, options: { provider?: string } = {}): MigrationResult {
  const talos = parsed.talos;
  const oidcArgs = legacyOidcArgs(parsed);
  if (!talos || oidcArgs.length === 0) return { error: 'There is no OIDC block under cluster.apiServer.extraArgs to migrate.' };
  if (parsed.yamlProblems.length > 0) return { error: 'Fix the YAML errors first: the migration edits the file\'s structure.' };
  const unquoted = oidcArgs.find((arg) => arg.unquotedColon);
  if (unquoted) return { error: `Quote the value of ${unquoted.name} first (it ends with a colon).` };
  const unknown = oidcArgs.find((arg) => !isOidcFlag(arg.name));
  if (unknown) return { error: `${unknown.name} is not an API server flag; fix or remove it first.` };
  const extraArgsNode = findNode(parsed.source.documents[oidcArgs[0].documentIndex]?.contents, ['cluster', 'apiServer', 'extraArgs'])?.node;
  if (isMap(extraArgsNode) && extraArgsNode.flow) return { error: 'extraArgs is written as a flow map ({...}); write it as a block map first.' };
  const legacyArgs = talos.extraArgs.filter((arg) => arg.origin === 'cluster.apiServer');
  if (legacyArgs.some((arg) => arg.name === 'authentication-config')) {
    return { error: 'extraArgs already sets authentication-config together with oidc-* flags; decide which one to keep first.' };
  }
  const flag = (name: string) => oidcArgs.find((arg) => arg.name === name)?.values;
  const single = (name: string) => flag(name)?.[0];
  const issuerUrl = single('oidc-issuer-url');
  const clientId = single('oidc-client-id');
  if (!issuerUrl || !clientId) return { error: 'Both oidc-issuer-url and oidc-client-id must be set to migrate.' };
  if (/<[^>]*>/.test(issuerUrl) || /<[^>]*>/.test(clientId)) return { error: 'Fill the <placeholders> in oidc-issuer-url and oidc-client-id first.' };
  if (flag('oidc-ca-file')) {
    return { error: 'oidc-ca-file names a file on the node; KubeAuthenticationConfig needs the PEM text in issuer.certificateAuthority. Migrate by hand.' };
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
  const removed = anonymousAuth ? [...oidcArgs, anonymousAuth] : oidcArgs;
  const edits: TextEdit[] = removalEdits(parsed, removed, legacyArgs.length === removed.length);
  if (talos.kubeAuthenticationConfig || !anonymousAuth) {
    // An existing document keeps its anonymous block; a new one gets Talos's default.
    let plan;
    try {
      plan = insertOidcEdits({ file: parsed.file, text: parsed.text }, setup, { layout: 'multi-document' });
    } catch (error) {
      return { error: `Cannot add the KubeAuthenticationConfig document: ${error instanceof Error ? error.message : String(error)}` };
    }
    edits.push(...plan.edits);
  } else {
    // `anonymous-auth` decided anonymous access; the new document says the same.
    const enabled = anonymousAuth.values[0]?.toLowerCase() !== 'false';
    const generated = enabled
      ? generateKubeAuthenticationConfig(setup)
      : toYaml({
          apiVersion: 'v1alpha1',
          kind: 'KubeAuthenticationConfig',
          configuration: { apiVersion: 'apiserver.config.k8s.io/v1beta1', kind: 'AuthenticationConfiguration', anonymous: { enabled: false }, jwt: [jwtAuthenticator(setup)] },
        }, { quotedKeys: new Set(['prefix']) });
    edits.push(appendDocument(parsed, generated));
  }
  if (overlaps(edits)) return { error: 'The OIDC block and the KubeAuthenticationConfig document overlap; migrate by hand.' };
  return { fix: { title: MIGRATION_TITLE, edits, preferred: false } };
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
      const end = lines.positionAt(Math.max(parsed.source.toOriginal(valueEnd) - 1, parsed.source.toOriginal(keyStart))).line;
      return [lineSpan(start, end)];
    }
  }
  return args
    .map((arg) => lineSpan(arg.keyRange.start.line, lines.positionAt(Math.max(arg.valueRange.endOffset - 1, arg.keyRange.startOffset)).line))
    .sort((a, b) => a.startOffset - b.startOffset);
}

function appendDocument(parsed: ParsedFile, document: string): TextEdit {
  const end = parsed.text.length;
  const eol = parsed.text.includes('\r\n') ? '\r\n' : '\n';
  const needsNewline = end > 0 && !parsed.text.endsWith('\n');
  const text = `${needsNewline ? eol : ''}---${eol}${document.replace(/\r?\n/g, eol)}`;
  return { file: parsed.file, startOffset: end, endOffset: end, newText: text };
}

function overlaps(edits: TextEdit[]): boolean {
  const sorted = [...edits].sort((a, b) => a.startOffset - b.startOffset || a.endOffset - b.endOffset);
  return sorted.some((edit, i) => i > 0 && edit.startOffset < sorted[i - 1].endOffset);
}
