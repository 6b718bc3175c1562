/**
 * The Talos machine config and the API server settings it carries (flags, KubeAuthenticationConfig).
 * Codes: TOIDC101, TOIDC102, TOIDC103, TOIDC104, TOIDC105, TOIDC106, TOIDC107, TOIDC109, TOIDC110,
 * TOIDC111, TOIDC112, TOIDC113, TOIDC114, TOIDC115, TOIDC119, TOIDC120, TOIDC121, TOIDC122, TOIDC123.
 * (TOIDC108/117, `email` as the username claim, are reported from here through emailClaim.ts.)
 */
import { isMap, isSeq } from 'yaml';
import { ALL_SIGNING_ALGS, OIDC_FLAGS } from '../authn';
import { inferProvider } from '../providers/infer';
import type { SourceRange } from '../text/range';
import { apiServerAuthentication } from '../talos/authenticator';
import {
  describeTalosVersion,
  LIST_EXTRA_ARGS_TALOS_MINOR,
  MULTI_DOCUMENT_TALOS_MINOR,
  parseTalosVersion,
  type TalosVersion,
} from '../talos/version';
import type { ExtraArg, ParsedFile } from '../workspace/types';
import { findNode, nodeRange } from '../yaml/source';
import {
  blockIndent,
  editDistance,
  findPlaceholder,
  fix,
  insertLinesAfter,
  insertSiblingAfter,
  replaceEdit,
  report,
  yamlScalar,
  type CheckContext,
} from './context';
import { authBodies, bodyIssuerUrls } from './authBodies';
import { reportEmailClaim } from './emailClaim';
import { looksLikePem } from '../text/pem';

const KNOWN_AUTH_FLAGS = [...OIDC_FLAGS, 'authentication-config'];
/**
 * What Talos 1.14 refuses in `KubeAPIServerConfig.extraArgs`, with its reason
 * (deniedArgPrefixes in pkg/machinery/config/types/k8s/apiserver.go; the longest prefix wins).
 */
const TALOS_DENIED_ARG_PREFIXES: Record<string, string> = {
  'anonymous-auth': 'use KubeAuthenticationConfig',
  'oidc-': 'use KubeAuthenticationConfig',
  'authentication-config': 'use KubeAuthenticationConfig',
  'authorization-config': 'use KubeAuthorizerConfig',
  'authorization-mode': 'use KubeAuthorizerConfig',
  'authorization-webhook-': 'use KubeAuthorizerConfig',
  'oidc-signing-algs':
    'not supported with KubeAuthenticationConfig: kube-apiserver rejects --oidc-* flags when structured authentication configuration is used, and the configuration has no equivalent setting (all RFC 7518 asymmetric algorithms are accepted)',
};

function deniedArgReason(name: string): string | undefined {
  let matched = '';
  for (const prefix of Object.keys(TALOS_DENIED_ARG_PREFIXES))
    if (name.startsWith(prefix) && prefix.length > matched.length) matched = prefix;
  return matched ? TALOS_DENIED_ARG_PREFIXES[matched] : undefined;
}

/** The Talos release a file is for: its own (installer tag, `# talos:` hint), the setting, then the workspace. */
export function talosVersionFor(context: CheckContext): TalosVersion | undefined {
  const own = context.parsed.talos?.talosVersion;
  if (own) return own;
  const setting = context.options.talosVersion ? parseTalosVersion(context.options.talosVersion, 'setting') : undefined;
  if (setting) return setting;
  for (const file of context.files) {
    const version = file !== context.parsed ? file.talos?.talosVersion : undefined;
    if (version) return { ...version, source: 'workspace', range: undefined };
  }
  return undefined;
}

function lastArg(args: ExtraArg[], name: string): ExtraArg | undefined {
  return [...args].reverse().find((arg) => arg.name === name);
}

function lastValue(arg: ExtraArg | undefined): string | undefined {
  return arg && arg.values.length > 0 ? arg.values[arg.values.length - 1] : undefined;
}

/** Talos configs and patches, and standalone AuthenticationConfigurations (only the body checks apply to those). */
export function checkTalos(context: CheckContext): void {
  const talos = context.parsed.talos;
  if (!talos) {
    checkIssuerUrls(context, []);
    checkClaims(context, []);
    checkCertificateAuthorityPaths(context);
    return;
  }
  const legacy = talos.extraArgs.filter((arg) => arg.origin === 'cluster.apiServer');
  // On a worker nothing of this reaches an API server: one finding says so, the rest would be noise.
  checkTalosVersion(context);
  if (talos.machineType?.value === 'worker') {
    checkWorker(context, legacy);
    return;
  }
  checkUnknownFlags(context, talos.extraArgs);
  checkIgnoredAuthenticationConfig(context);
  checkPatchTargets(context);
  checkKubeApiServerConfig(context);
  checkLayoutMix(context, legacy);
  checkFlagPairs(context, legacy);
  checkIssuerUrls(context, legacy);
  checkSigningAlgs(context, legacy);
  checkClaims(context, legacy);
  checkMounts(context, legacy);
  checkAnonymousBlock(context);
  checkLegacyFileAnonymous(context, legacy);
  checkCertificateAuthorityPaths(context);
}

function checkUnknownFlags(context: CheckContext, args: ExtraArg[]): void {
  for (const arg of args) {
    if (KNOWN_AUTH_FLAGS.includes(arg.name)) continue;
    const normalized = arg.name.toLowerCase().replace(/_/g, '-');
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const known of KNOWN_AUTH_FLAGS) {
      const distance = editDistance(normalized, known);
      if (distance < bestDistance) {
        best = known;
        bestDistance = distance;
      }
    }
    const looksOidc = normalized.startsWith('oidc') || normalized.startsWith('odic');
    const close = best !== undefined && bestDistance <= Math.max(2, Math.floor(best.length / 5));
    if (!looksOidc && !close) continue;
    const suggestion = close ? best : undefined;
    const message =
      `kube-apiserver does not know the flag \`--${arg.name}\` and refuses to start (\`unknown flag: --${arg.name}\`).` +
      (suggestion ? ` Did you mean \`${suggestion}\`?` : ` Known OIDC flags: ${OIDC_FLAGS.join(', ')}.`);
    const fixes = suggestion
      ? [fix(`Rename to ${suggestion}`, [replaceEdit(context.parsed.file, arg.keyRange, suggestion)], true)]
      : undefined;
    report(context, 'TOIDC101', message, arg.keyRange, fixes);
  }
}

function checkKubeApiServerConfig(context: CheckContext): void {
  for (const arg of context.parsed.talos?.extraArgs ?? []) {
    if (arg.origin !== 'KubeAPIServerConfig') continue;
    const reason = deniedArgReason(arg.name);
    if (!reason) continue;
    const where = reason.startsWith('use ')
      ? ` Put the setting into a ${reason.slice(4)} document${reason.includes('Authentication') ? ' (a `jwt` entry of its `configuration`)' : ''}.`
      : '';
    report(
      context,
      'TOIDC105',
      `Talos rejects the config: \`kube-apiserver extra argument "${arg.name}" is not allowed: ${reason}\`.${where}`,
      arg.keyRange,
    );
  }
}

/** Document kinds and value forms the config's Talos release does not know. */
function checkTalosVersion(context: CheckContext): void {
  const version = talosVersionFor(context);
  const talos = context.parsed.talos!;
  if (!version) return;
  const described = describeTalosVersion(version);
  if (version.minor < MULTI_DOCUMENT_TALOS_MINOR) {
    const documents = [
      ...talos.kubeApiServerConfigs.map((entry) => ({
        kind: 'KubeAPIServerConfig',
        documentIndex: entry.documentIndex,
      })),
      ...(talos.kubeAuthenticationConfig
        ? [{ kind: 'KubeAuthenticationConfig', documentIndex: talos.kubeAuthenticationConfig.documentIndex }]
        : []),
    ];
    for (const { kind, documentIndex } of documents) {
      const range = context.parsed.rangeOf(documentIndex, ['kind']) ?? talos.kubeAuthenticationConfig?.range;
      if (!range) continue;
      report(
        context,
        'TOIDC122',
        `${described} does not know the document kind ${kind} and rejects the config: \`"${kind}" "v1alpha1": not registered\`. This layout needs Talos 1.${MULTI_DOCUMENT_TALOS_MINOR}; before that, OIDC goes into \`cluster.apiServer.extraArgs\`.`,
        range,
      );
    }
  }
  if (version.minor < LIST_EXTRA_ARGS_TALOS_MINOR) {
    for (const arg of talos.extraArgs) {
      if (!arg.list || arg.origin !== 'cluster.apiServer') continue;
      const talosSays =
        version.minor <= 12
          ? 'cannot unmarshal !!seq into string'
          : 'unexpected type for yaml sequence: v1alpha1.ArgValue';
      const joined = arg.values.join(',');
      const canJoin =
        arg.values.length > 0 &&
        !arg.values.some((value) => value.includes(',')) &&
        arg.name !== 'service-account-issuer';
      report(
        context,
        'TOIDC123',
        `${described} rejects a list as an extraArgs value: \`${talosSays}\`. Only Talos 1.${LIST_EXTRA_ARGS_TALOS_MINOR} reads lists here.` +
          (canJoin ? ` Write one comma-separated string: \`${arg.name}: ${joined}\` (the API server splits it).` : ''),
        arg.valueRange,
        canJoin ? [fix(`Use "${joined}"`, [joinedValueEdit(context, arg, joined)], true)] : undefined,
      );
    }
  }
}

/** Replaces a block list value (from the key's end) with one scalar on the key's line. */
function joinedValueEdit(context: CheckContext, arg: ExtraArg, joined: string) {
  const text = context.parsed.text;
  const trailing = text.slice(arg.keyRange.endOffset, arg.valueRange.endOffset).match(/\r?\n$/)?.[0] ?? '';
  return {
    file: context.parsed.file,
    startOffset: arg.keyRange.endOffset,
    endOffset: arg.valueRange.endOffset,
    newText: `: ${yamlScalar(joined)}${trailing}`,
  };
}

/** A KubeAuthenticationConfig that Talos writes to disk but never passes to the API server. */
function checkIgnoredAuthenticationConfig(context: CheckContext): void {
  const talos = context.parsed.talos!;
  const kac = talos.kubeAuthenticationConfig;
  if (!kac || talos.isPatch || !apiServerAuthentication(talos).kubeAuthenticationConfigIgnored) return;
  report(
    context,
    'TOIDC121',
    'Talos ignores this KubeAuthenticationConfig: it passes `--authentication-config` only when the API server settings come from a KubeAPIServerConfig document. With `.cluster.apiServer` it passes `--anonymous-auth=false` instead, so OIDC from this document is off. Move the `.cluster.apiServer` settings into a KubeAPIServerConfig document (the Migrate quick fix does) and delete `.cluster.apiServer`.',
    context.parsed.rangeOf(kac.documentIndex, ['kind']) ?? kac.range,
  );
}

/** A patch judged against the control-plane configs of the workspace it would be applied to. */
function checkPatchTargets(context: CheckContext): void {
  const talos = context.parsed.talos!;
  if (!talos.isPatch) return;
  const targets = context.files.filter(
    (file) =>
      file !== context.parsed && file.talos && !file.talos.isPatch && file.talos.machineType?.value !== 'worker',
  );
  if (targets.length === 0) return;
  const name = (file: ParsedFile) => file.file.split(/[\\/]/).pop();
  if (talos.legacyApiServer) {
    const multi = targets.filter((file) => (file.talos?.kubeApiServerConfigs.length ?? 0) > 0);
    if (multi.length > 0) {
      report(
        context,
        'TOIDC106',
        `Talos rejects this patch on ${multi.map(name).join(', ')}, which has a KubeAPIServerConfig document: \`kube-apiserver config is already set in v1alpha1 config (.cluster.apiServer)\`. For that config use the KubeAuthenticationConfig layout.`,
        talos.legacyApiServer.keyRange,
      );
    }
  }
  const kac = talos.kubeAuthenticationConfig;
  if (kac && talos.kubeApiServerConfigs.length === 0) {
    const legacy = targets.filter((file) => file.talos?.kubeApiServerConfigs.length === 0);
    if (legacy.length > 0) {
      report(
        context,
        'TOIDC121',
        `On ${legacy.map(name).join(', ')} this KubeAuthenticationConfig is added and then ignored: that config keeps its API server settings in \`.cluster.apiServer\` (made by Talos 1.13 or earlier), and Talos passes \`--authentication-config\` only with a KubeAPIServerConfig document. Migrate that config first, or use the extraArgs layout for it.`,
        context.parsed.rangeOf(kac.documentIndex, ['kind']) ?? kac.range,
      );
    }
  }
}

function checkLayoutMix(context: CheckContext, legacy: ExtraArg[]): void {
  const talos = context.parsed.talos!;
  if (talos.legacyApiServer && talos.kubeApiServerConfigs.length > 0) {
    report(
      context,
      'TOIDC106',
      'Talos rejects the config: `kube-apiserver config is already set in v1alpha1 config (.cluster.apiServer)`. Move these settings into the KubeAPIServerConfig document (OIDC into a KubeAuthenticationConfig document) and delete `.cluster.apiServer`.',
      talos.legacyApiServer.keyRange,
    );
  }
  const oidcArgs = legacy.filter((arg) => arg.name.startsWith('oidc-'));
  if (oidcArgs.length === 0) return;
  const authConfigArg = lastArg(legacy, 'authentication-config');
  const flagList = oidcArgs.map((arg) => `\`${arg.name}\``).join(', ');
  if (authConfigArg && (lastValue(authConfigArg) ?? '') !== '') {
    report(
      context,
      'TOIDC104',
      `kube-apiserver refuses to start: \`authentication-config file and oidc-* flags are mutually exclusive\`. Remove ${flagList}, or remove \`authentication-config\` and keep the flags; the AuthenticationConfiguration file can hold the same settings in a \`jwt\` entry.`,
      authConfigArg.keyRange,
    );
  }
}

function checkFlagPairs(context: CheckContext, legacy: ExtraArg[]): void {
  const oidcArgs = legacy.filter((arg) => arg.name.startsWith('oidc-'));
  if (oidcArgs.length === 0 || lastArg(legacy, 'authentication-config')) return;
  const issuer = lastValue(lastArg(legacy, 'oidc-issuer-url')) ?? '';
  const clientId = lastValue(lastArg(legacy, 'oidc-client-id')) ?? '';
  if (issuer !== '' && clientId !== '') return;
  const missing = issuer === '' ? 'oidc-issuer-url' : 'oidc-client-id';
  const present = lastArg(legacy, missing);
  const anchor = present ?? oidcArgs[0];
  const value = missing === 'oidc-issuer-url' ? context.options.issuerUrl : context.options.clientId;
  const fixes = [];
  if (!present && value) {
    const edit = insertSiblingAfter(
      context.parsed,
      oidcArgs[0].keyRange,
      oidcArgs[0].valueRange,
      `${missing}: ${yamlScalar(value)}`,
    );
    if (edit) fixes.push(fix(`Add ${missing}: ${value}`, [edit], true));
  }
  report(
    context,
    'TOIDC102',
    `kube-apiserver refuses to start: \`oidc-issuer-url and oidc-client-id must be specified together when any oidc-* flags are set\`. \`${missing}\` is ${present ? 'empty' : 'missing'}; set it to your provider's ${missing === 'oidc-issuer-url' ? 'issuer URL' : 'client ID'}.`,
    present ? present.valueRange : anchor.keyRange,
    fixes,
  );
}

/** Issuer URLs of the flags and of every jwt entry: http, trailing slash. */
function checkIssuerUrls(context: CheckContext, legacy: ExtraArg[]): void {
  const urls: { value: string; range: SourceRange }[] = [];
  const issuerArg = lastArg(legacy, 'oidc-issuer-url');
  const issuerValue = lastValue(issuerArg);
  if (issuerArg && issuerValue !== undefined)
    urls.push({
      value: issuerValue,
      range: issuerArg.itemRanges[issuerArg.itemRanges.length - 1] ?? issuerArg.valueRange,
    });
  urls.push(...bodyIssuerUrls(context.parsed));
  for (const { value, range } of urls) {
    if (findPlaceholder(value)) continue;
    const trimmed = value.trim();
    if (/^http:\/\//i.test(trimmed)) {
      const https = 'https://' + trimmed.slice('http://'.length);
      report(
        context,
        'TOIDC103',
        `The issuer URL uses http: the API server refuses to start (\`URL scheme must be https\`). Serve the provider over TLS and use \`${https}\`.`,
        range,
        [fix(`Use ${https}`, [replaceEdit(context.parsed.file, range, yamlScalar(https))], true)],
      );
    } else if (/^https:\/\/[^/]+\/.*\/$|^https:\/\/[^/]+\/$/i.test(trimmed)) {
      // Only where the provider's issuer has no slash: authentik's and Auth0's end with one.
      const provider = inferProvider(trimmed);
      if (provider && provider.trailingSlash !== false) continue;
      const withoutSlash = trimmed.replace(/\/+$/, '');
      const who = provider
        ? `${provider.label}'s issuer never ends with a slash`
        : "Pocket-ID's, Keycloak's, Dex's and most providers' issuers never end with a slash";
      report(
        context,
        'TOIDC115',
        `The issuer URL ends with a slash. The token's \`iss\` must match it character for character; ${who}, so its tokens would get \`invalid bearer token\`. Keep the slash only if your provider's discovery document spells \`issuer\` with one (authentik and Auth0 do).`,
        range,
        [fix(`Use ${withoutSlash}`, [replaceEdit(context.parsed.file, range, yamlScalar(withoutSlash))])],
      );
    }
  }
}

function checkSigningAlgs(context: CheckContext, legacy: ExtraArg[]): void {
  const arg = lastArg(legacy, 'oidc-signing-algs');
  if (!arg) return;
  const valid = new Set<string>(ALL_SIGNING_ALGS);
  arg.values.forEach((value, index) => {
    const range = arg.itemRanges[index];
    if (!range) return;
    const algs = value
      .split(',')
      .map((alg) => alg.trim())
      .filter(Boolean);
    const bad = algs.filter((alg) => !valid.has(alg));
    if (bad.length === 0) return;
    const kept = algs.filter((alg) => valid.has(alg));
    const replacement = kept.length > 0 ? kept.join(',') : 'RS256';
    const eddsa = bad.some((alg) => alg.toLowerCase() === 'eddsa');
    report(
      context,
      'TOIDC107',
      `kube-apiserver refuses to start: \`oidc: unsupported signing alg: ${JSON.stringify(bad[0])}\`. It accepts only ${ALL_SIGNING_ALGS.join(', ')}.` +
        (eddsa ? ' If Pocket-ID signs with EdDSA, rotate its key to RS256 (`pocket-id key-rotate --alg RS256`).' : '') +
        ` Use ${replacement}.`,
      range,
      [fix(`Use ${replacement}`, [replaceEdit(context.parsed.file, range, yamlScalar(replacement))], true)],
    );
  });
}

function checkClaims(context: CheckContext, legacy: ExtraArg[]): void {
  const { parsed } = context;
  const issuerArg = lastArg(legacy, 'oidc-issuer-url');
  const clientArg = lastArg(legacy, 'oidc-client-id');
  const claimArg = lastArg(legacy, 'oidc-username-claim');
  const claim = lastValue(claimArg) ?? 'sub';
  const issuerValue = lastValue(issuerArg);
  if (claimArg && claim === 'email') reportEmailClaim(context, issuerValue, claimArg.valueRange);
  for (const { documentIndex, prefix, body } of authBodies(parsed)) {
    const jwt = (body as { jwt?: unknown } | null | undefined)?.jwt;
    if (!Array.isArray(jwt)) continue;
    jwt.forEach((entry, index) => {
      const typed = entry as { issuer?: { url?: unknown }; claimMappings?: { username?: { claim?: unknown } } } | null;
      if (typed?.claimMappings?.username?.claim !== 'email') return;
      const range = parsed.rangeOf(documentIndex, [...prefix, 'jwt', index, 'claimMappings', 'username', 'claim']);
      const url = typed.issuer?.url;
      if (range) reportEmailClaim(context, typeof url === 'string' ? url : undefined, range);
    });
  }

  // The rest concerns flags that switch OIDC on (ignored when an authentication config is used).
  if (!issuerArg || !clientArg || lastArg(legacy, 'authentication-config') || parsed.talos?.kubeAuthenticationConfig)
    return;
  const issuer = lastValue(issuerArg) ?? '';
  const prefixArg = lastArg(legacy, 'oidc-username-prefix');
  if (!prefixArg && claim !== 'email') {
    const shownIssuer = findPlaceholder(issuer) || issuer === '' ? '<issuer URL>' : issuer;
    const anchor = claimArg ?? issuerArg;
    const edit = insertSiblingAfter(parsed, anchor.keyRange, anchor.valueRange, 'oidc-username-prefix: "oidc:"');
    report(
      context,
      'TOIDC109',
      `No \`oidc-username-prefix\`: the API server names users \`${shownIssuer}#<${claim}>\` (for example \`${shownIssuer}#643c3fba-…\`), and bindings of users must use that form. Set \`oidc-username-prefix: "oidc:"\` for \`oidc:<${claim}>\`, or \`"-"\` for the bare claim value.`,
      claimArg ? claimArg.valueRange : issuerArg.keyRange,
      edit ? [fix('Add oidc-username-prefix: "oidc:"', [edit])] : undefined,
    );
  }
  const groupsClaimArg = lastArg(legacy, 'oidc-groups-claim');
  const groupsPrefixArg = lastArg(legacy, 'oidc-groups-prefix');
  const groupsClaim = lastValue(groupsClaimArg) ?? '';
  const groupsPrefix = lastValue(groupsPrefixArg) ?? '';
  if (groupsPrefixArg && groupsPrefix !== '' && groupsClaim === '') {
    const edit = insertSiblingAfter(
      parsed,
      groupsPrefixArg.keyRange,
      groupsPrefixArg.valueRange,
      'oidc-groups-claim: groups',
    );
    report(
      context,
      'TOIDC110',
      `\`oidc-groups-prefix\` is set but \`oidc-groups-claim\` is not: the API server reads no groups from tokens, so the prefix has no effect and bindings to groups such as \`${groupsPrefix}kubernetes\` never match. Add \`oidc-groups-claim: groups\`.`,
      groupsPrefixArg.keyRange,
      edit ? [fix('Add oidc-groups-claim: groups', [edit], true)] : undefined,
    );
  }
  if (groupsClaimArg && groupsClaim !== '' && groupsPrefix === '') {
    const edit = insertSiblingAfter(
      parsed,
      groupsClaimArg.keyRange,
      groupsClaimArg.valueRange,
      'oidc-groups-prefix: "oidc:"',
    );
    report(
      context,
      'TOIDC111',
      `\`oidc-groups-claim\` is set without \`oidc-groups-prefix\`: the provider's group names are used as they are, so a group named \`system:masters\` at the provider would make its members cluster admins. Set \`oidc-groups-prefix: "oidc:"\` and bind \`oidc:<group>\`.`,
      groupsClaimArg.keyRange,
      edit ? [fix('Add oidc-groups-prefix: "oidc:"', [edit], true)] : undefined,
    );
  }
}

/** `oidc-ca-file` and a legacy `authentication-config` must be mounted into the API server's container. */
function checkMounts(context: CheckContext, legacy: ExtraArg[]): void {
  const { parsed, files } = context;
  const volumes = files.flatMap((file) => file.talos?.extraVolumes ?? []);
  const written = files.flatMap((file) => file.talos?.machineFiles ?? []);
  for (const name of ['oidc-ca-file', 'authentication-config']) {
    const arg = lastArg(legacy, name);
    const path = lastValue(arg);
    if (!arg || !path || !path.startsWith('/') || path.startsWith('/system/') || findPlaceholder(path)) continue;
    const mounted = volumes.some((volume) => {
      const mount = (volume.mountPath ?? '').replace(/\/+$/, '');
      return mount !== '' && (path === mount || path.startsWith(mount + '/'));
    });
    if (mounted) continue;
    const directory = path.slice(0, path.lastIndexOf('/')) || '/';
    const isWritten = written.some((file) => file.path === path);
    const edit = extraVolumesEdit(parsed, directory);
    report(
      context,
      'TOIDC112',
      `\`${path}\` is not mounted into the API server: it runs in a container and cannot read \`${name}\` from the host, so it does not start. Add an \`extraVolumes\` entry with \`hostPath\` and \`mountPath\` \`${directory}\`` +
        (isWritten ? '.' : ', and write the file with a `machine.files` entry (Talos only allows files under /var).'),
      arg.valueRange,
      edit ? [fix(`Mount ${directory} into the API server`, [edit], true)] : undefined,
    );
  }
}

/** Adds `extraVolumes` (or an item of it) under `cluster.apiServer` for `directory`. */
function extraVolumesEdit(parsed: ParsedFile, directory: string) {
  const talos = parsed.talos;
  const apiServer = talos?.legacyApiServer;
  if (!talos || !apiServer) return undefined;
  const document = parsed.source.documents[apiServer.documentIndex];
  const apiServerNode = findNode(document?.contents, ['cluster', 'apiServer'])?.node;
  if (!isMap(apiServerNode) || apiServerNode.items.length === 0) return undefined;
  const firstKeyRange = nodeRange(parsed.source, apiServerNode.items[0].key);
  const indent = firstKeyRange && blockIndent(parsed, firstKeyRange);
  if (indent === undefined || indent === 0 || !firstKeyRange) return undefined;
  const pad = ' '.repeat(indent);
  const entry = (itemIndent: string) => [
    `${itemIndent}- hostPath: ${yamlScalar(directory)}`,
    `${itemIndent}  mountPath: ${yamlScalar(directory)}`,
    `${itemIndent}  readonly: true`,
  ];
  const existing = findNode(apiServerNode, ['extraVolumes']);
  if (existing) {
    if (!isSeq(existing.node) || existing.node.items.length === 0) return undefined;
    const lastItem = existing.node.items[existing.node.items.length - 1];
    const lastRange = nodeRange(parsed.source, lastItem);
    const itemIndent = lastRange && blockIndent(parsed, lastRange);
    if (!lastRange || itemIndent === undefined || itemIndent < 2) return undefined;
    return insertLinesAfter(parsed, lastRange, entry(' '.repeat(itemIndent - 2)));
  }
  const keyRange = apiServer.keyRange;
  return insertLinesAfter(parsed, keyRange, [`${pad}extraVolumes:`, ...entry(pad + '  ')]);
}

function checkWorker(context: CheckContext, legacy: ExtraArg[]): void {
  const talos = context.parsed.talos!;
  if (talos.machineType?.value !== 'worker') return;
  // Talos refuses control-plane-only kinds on a worker (validateContainer in config/container/validate.go).
  const controlPlaneOnly = [
    ...(talos.kubeAuthenticationConfig
      ? [{ kind: 'KubeAuthenticationConfig', documentIndex: talos.kubeAuthenticationConfig.documentIndex }]
      : []),
    ...talos.kubeApiServerConfigs.map((entry) => ({ kind: 'KubeAPIServerConfig', documentIndex: entry.documentIndex })),
  ];
  if (controlPlaneOnly.length > 0) {
    const kinds = [...new Set(controlPlaneOnly.map((entry) => entry.kind))].sort();
    const first = controlPlaneOnly[0];
    report(
      context,
      'TOIDC113',
      `Talos rejects this worker config (\`machine.type: worker\`): \`the following document kinds are only allowed on control plane machines: [${kinds.join(' ')}]\`. Put the document into the control-plane config or a patch applied to the control-plane nodes only.`,
      context.parsed.rangeOf(first.documentIndex, ['kind']) ??
        talos.kubeAuthenticationConfig?.range ??
        talos.kubeApiServerConfigs[0].kindRange,
      undefined,
      'error',
    );
    return;
  }
  const authArgs = legacy.filter((arg) => arg.name.startsWith('oidc-') || arg.name === 'authentication-config');
  if (authArgs.length === 0) return;
  report(
    context,
    'TOIDC113',
    'This is a worker config (`machine.type: worker`): workers run no API server, so these OIDC settings have no effect. Put them into the control-plane config or a patch applied to the control-plane nodes.',
    authArgs[0].keyRange,
  );
}

const ANONYMOUS_BLOCK = [
  'anonymous:',
  '  enabled: true',
  '  conditions:',
  '    - path: /livez',
  '    - path: /readyz',
  '    - path: /healthz',
];

function checkAnonymousBlock(context: CheckContext): void {
  const { parsed } = context;
  const talos = parsed.talos!;
  const kac = talos.kubeAuthenticationConfig;
  if (!talos.isPatch || !kac) return;
  const configuration = kac.configuration;
  if (configuration !== null && typeof configuration === 'object' && 'anonymous' in configuration) return;
  const keyRange = parsed.rangeOf(kac.documentIndex, ['configuration'], 'key') ?? kac.range;
  const document = parsed.source.documents[kac.documentIndex];
  const body = findNode(document?.contents, ['configuration'])?.node;
  let edit;
  if (isMap(body) && body.items.length > 0) {
    const firstKey = nodeRange(parsed.source, body.items[0].key);
    const indent = firstKey && blockIndent(parsed, firstKey);
    if (firstKey && indent !== undefined)
      edit = insertLinesAfter(
        parsed,
        keyRange,
        ANONYMOUS_BLOCK.map((line) => ' '.repeat(indent) + line),
      );
  }
  report(
    context,
    'TOIDC114',
    "This patch replaces `configuration` whole, and it has no `anonymous` block: Talos's default (anonymous access to /livez, /readyz and /healthz only) is lost. With the KubeAuthenticationConfig Talos passes no `--anonymous-auth`, so the API server's own default applies: anonymous requests are allowed on every path, not only the health checks. Repeat the `anonymous` block in the patch.",
    keyRange,
    edit ? [fix('Add the default anonymous block', [edit], true)] : undefined,
  );
}

/**
 * On the `.cluster.apiServer` path Talos passes `--anonymous-auth=false`; an `authentication-config`
 * file (written by machine.files) that has its own `anonymous` block then stops the API server.
 */
function checkLegacyFileAnonymous(context: CheckContext, legacy: ExtraArg[]): void {
  const { parsed } = context;
  const talos = parsed.talos!;
  const arg = lastArg(legacy, 'authentication-config');
  const path = lastValue(arg);
  if (!arg || !path || talos.kubeApiServerConfigs.length > 0) return;
  const file = context.files
    .flatMap((candidate) => candidate.talos?.machineFiles ?? [])
    .find((entry) => entry.path === path && entry.content !== undefined);
  if (!file?.content || !/^anonymous\s*:/m.test(file.content)) return;
  const ownFile = talos.machineFiles.includes(file);
  report(
    context,
    'TOIDC119',
    `kube-apiserver refuses to start: \`anonymous: Forbidden: --anonymous-auth flag cannot be set when anonymous field is configured in authentication configuration file\`. With \`.cluster.apiServer\` Talos passes \`--anonymous-auth=false\`, and the file ${path} has an \`anonymous\` block. Remove the block from the file (anonymous access then stays off), or move to the KubeAPIServerConfig layout, where Talos passes no \`--anonymous-auth\`.`,
    ownFile ? (file.contentRange ?? file.range) : arg.valueRange,
  );
}

/** `issuer.certificateAuthority` holds the PEM text itself; a path there stops the API server. */
function checkCertificateAuthorityPaths(context: CheckContext): void {
  const { parsed } = context;
  for (const { documentIndex, prefix, body } of authBodies(parsed)) {
    const jwt = (body as { jwt?: unknown } | null | undefined)?.jwt;
    if (!Array.isArray(jwt)) continue;
    jwt.forEach((entry, index) => {
      const value = (entry as { issuer?: { certificateAuthority?: unknown } } | null)?.issuer?.certificateAuthority;
      if (typeof value !== 'string' || value.trim() === '' || looksLikePem(value) || findPlaceholder(value)) return;
      const range = parsed.rangeOf(documentIndex, [...prefix, 'jwt', index, 'issuer', 'certificateAuthority']);
      if (!range) return;
      const looksLikePath = /^[/~.]|\.(pem|crt|cer)$/i.test(value.trim());
      report(
        context,
        'TOIDC120',
        `kube-apiserver refuses to start: \`jwt[${index}].issuer.certificateAuthority: Invalid value: "<omitted>": data does not contain any valid RSA or ECDSA certificates\`. ` +
          (looksLikePath
            ? `\`${value.trim()}\` is a file path, but this field takes the PEM text itself (unlike \`oidc-ca-file\`). `
            : '') +
          'Paste the CA certificate (-----BEGIN CERTIFICATE----- ...) with a `|` block.',
        range,
      );
    });
  }
}
