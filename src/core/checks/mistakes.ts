/**
 * Mistakes found in real repositories: a template value the check cannot see through (in a Talos
 * config or a kubeconfig), `-` as the groups prefix, an authentication config path not mounted,
 * generic group names without a groups prefix.
 * Codes: TOIDC004, TOIDC116, TOIDC118, TOIDC303. (`email` as the username claim: emailClaim.ts.)
 */
import { basename } from 'node:path';
import type { SourceRange } from '../text/range';
import { templateReference, templateVariable } from '../workspace/templates';
import type { KubeloginFlag, ParsedFile } from '../workspace/types';
import { hostFile } from '../workspace/scope';
import { fix, report, type CheckContext } from './context';
import { workspaceIdentities } from './identity';
import { authBodies } from './authBodies';

/** Where talhelper gets a `${VAR}` from, as far as the workspace shows. */
function variableSource(files: ParsedFile[], variable: string | undefined): string {
  if (!variable) return '';
  const definition = new RegExp(`^\\s*${variable}\\s*:`, 'm');
  for (const file of files) {
    const name = basename(hostFile(file));
    if (!/^talenv.*\.ya?ml$|\.sops\.ya?ml$|^\.env/.test(name) || !definition.test(file.text)) continue;
    const encrypted = /^sops:/m.test(file.text) || file.text.includes('ENC[');
    return encrypted ? ` (encrypted in ${name}, so its value is unknown here)` : ` (set in ${name})`;
  }
  return ' (from the environment talhelper runs in)';
}

function describeTemplate(files: ParsedFile[], reference: string): string {
  if (reference.startsWith('op://'))
    return `\`${reference}\` is a 1Password reference that \`op inject\`/\`op run\` fills in`;
  if (reference.startsWith('{{') || reference.startsWith('{%'))
    return `\`${reference}\` is a template expression, rendered before Talos reads the config`;
  return `\`${reference}\` is filled in by talhelper or envsubst${variableSource(files, templateVariable(reference))} before Talos reads the config`;
}

/** TOIDC004: issuer and client ID values that are templates: their checks were not possible. */
export function checkTemplates(context: CheckContext): void {
  const { parsed } = context;
  const seen = new Set<number>();
  const note = (value: string, range: SourceRange, what: string) => {
    const original = parsed.text.slice(range.startOffset, range.endOffset);
    const reference = templateReference(original) ?? templateReference(value);
    if (!reference || seen.has(range.startOffset)) return;
    seen.add(range.startOffset);
    report(
      context,
      'TOIDC004',
      `${describeTemplate(context.files, reference)}: the ${what} could not be checked here. Check the rendered config (e.g. \`talhelper genconfig\`) if in doubt.`,
      range,
    );
  };
  for (const arg of parsed.talos?.extraArgs ?? []) {
    if (!arg.name.startsWith('oidc-') && arg.name !== 'authentication-config') continue;
    arg.values.forEach((value, index) => note(value, arg.itemRanges[index] ?? arg.valueRange, `\`${arg.name}\` value`));
  }
  for (const { documentIndex, prefix, body } of authBodies(parsed)) {
    const jwt = (body as { jwt?: unknown } | null | undefined)?.jwt;
    if (!Array.isArray(jwt)) continue;
    jwt.forEach((entry, index) => {
      const issuer = (entry as { issuer?: { url?: unknown; audiences?: unknown } } | null)?.issuer;
      const urlRange = parsed.rangeOf(documentIndex, [...prefix, 'jwt', index, 'issuer', 'url']);
      if (typeof issuer?.url === 'string' && urlRange) note(issuer.url, urlRange, 'issuer URL');
      if (Array.isArray(issuer?.audiences)) {
        issuer.audiences.forEach((audience, position) => {
          const range = parsed.rangeOf(documentIndex, [...prefix, 'jwt', index, 'issuer', 'audiences', position]);
          if (typeof audience === 'string' && range) note(audience, range, 'audience');
        });
      }
    });
  }
}

/** TOIDC004 in a kubeconfig: kubelogin flags whose value is filled in when the kubeconfig is rendered. */
export function reportKubeloginTemplates(context: CheckContext, flags: (KubeloginFlag | undefined)[]): void {
  for (const flag of flags) {
    const reference = templateReference(flag?.value);
    if (flag?.valueRange && reference) {
      report(
        context,
        'TOIDC004',
        `\`${reference}\` is filled in when the kubeconfig is rendered (\`op inject\`, envsubst, a template), so \`--${flag.name}\` could not be checked here.`,
        flag.valueRange,
      );
    }
  }
}

/** TOIDC116: `-` means "no prefix" for usernames only; for groups the API server prepends it. */
export function checkGroupsPrefixDash(context: CheckContext): void {
  const { parsed } = context;
  if (parsed.talos?.machineType?.value === 'worker') return;
  const message =
    'For groups `-` is not "no prefix": unlike `oidc-username-prefix`, the API server prepends the groups prefix literally, so the provider group `admin` becomes `-admin` and bindings to `admin` never match. Remove the groups prefix to use the bare group names (or use `oidc:` and bind `oidc:<group>`).';
  for (const arg of parsed.talos?.extraArgs ?? []) {
    if (
      arg.origin !== 'cluster.apiServer' ||
      arg.name !== 'oidc-groups-prefix' ||
      arg.values[arg.values.length - 1] !== '-'
    )
      continue;
    const line = arg.keyRange.start.line;
    const lineStart = parsed.lines.lineStart(line);
    const onItsOwnLine =
      /^[ \t]*$/.test(parsed.text.slice(lineStart, arg.keyRange.startOffset)) && arg.valueRange.end.line === line;
    // The line and its line break; on the last line of a text (a `|-` block) the break before it.
    const hasNext = line + 1 < parsed.lines.lineCount;
    const removal = hasNext
      ? { startOffset: lineStart, endOffset: parsed.lines.lineStart(line + 1) }
      : line > 0
        ? { startOffset: parsed.lines.lineEnd(line - 1), endOffset: parsed.lines.lineEnd(line) }
        : undefined;
    const fixes =
      onItsOwnLine && removal
        ? [fix('Remove oidc-groups-prefix', [{ file: parsed.file, ...removal, newText: '' }], true)]
        : undefined;
    report(context, 'TOIDC116', message, arg.itemRanges[arg.itemRanges.length - 1] ?? arg.valueRange, fixes);
  }
  for (const { documentIndex, prefix, body } of authBodies(parsed)) {
    const jwt = (body as { jwt?: unknown } | null | undefined)?.jwt;
    if (!Array.isArray(jwt)) continue;
    jwt.forEach((entry, index) => {
      const groups = (entry as { claimMappings?: { groups?: { prefix?: unknown } } } | null)?.claimMappings?.groups;
      const range = parsed.rangeOf(documentIndex, [...prefix, 'jwt', index, 'claimMappings', 'groups', 'prefix']);
      if (groups?.prefix === '-' && range)
        report(context, 'TOIDC116', message.replace('`oidc-username-prefix`', 'the username prefix'), range);
    });
  }
}

/** Group names that some provider group, in some application, is likely to carry by accident. */
const GENERIC_GROUP =
  /^(?:(?:k8s|kube|kubernetes|cluster)[-_])?(?:admin|admins|administrator|administrators|root|superuser|users?|viewers?|readers?|readonly|read-only|editors?|developers?|devs?|operators?|ops|devops|staff|everyone|default)$/i;

/** TOIDC303: a binding to a generic group name while the API server takes groups without a prefix. */
export function checkGenericGroups(context: CheckContext): void {
  const { parsed } = context;
  const unprefixed = workspaceIdentities(context.files).filter(
    (identity) => identity.groups && identity.groups.expression === undefined && identity.groups.prefix === '',
  );
  if (unprefixed.length === 0) return;
  for (const binding of parsed.bindings) {
    for (const subject of binding.subjects) {
      if (subject.kind !== 'Group' || !GENERIC_GROUP.test(subject.name)) continue;
      report(
        context,
        'TOIDC303',
        `This binding gives \`${binding.roleRef.name}\` to the group \`${subject.name}\`, and the API server takes group names from the token without a prefix (\`oidc-groups-claim\` without \`oidc-groups-prefix\`, issuer ${unprefixed[0].issuer}): anyone the provider puts in a group called \`${subject.name}\` — for any application — gets it. Set \`oidc-groups-prefix: "oidc:"\` and bind \`oidc:${subject.name}\`, or bind a group name only this cluster uses.`,
        subject.nameRange,
      );
    }
  }
}

/** The host path the API server's container path `path` reads, through the `extraVolumes` mount with the longest matching mountPath. */
export function hostPathFor(path: string, volumes: { hostPath?: string; mountPath?: string }[]): string {
  let best: { hostPath: string; mountPath: string } | undefined;
  for (const volume of volumes) {
    const mount = (volume.mountPath ?? '').replace(/\/+$/, '');
    if (!volume.hostPath || mount === '' || !(path === mount || path.startsWith(mount + '/'))) continue;
    if (!best || mount.length > best.mountPath.length)
      best = { hostPath: volume.hostPath.replace(/\/+$/, ''), mountPath: mount };
  }
  return best ? best.hostPath + path.slice(best.mountPath.length) : path;
}

/**
 * TOIDC118: `authentication-config` names a container path whose host path (through the mount)
 * is not where `machine.files` writes the AuthenticationConfiguration: the API server finds no file.
 */
export function checkAuthConfigHostPath(context: CheckContext): void {
  const { parsed, files } = context;
  const talos = parsed.talos;
  if (!talos || talos.machineType?.value === 'worker') return;
  const arg = [...talos.extraArgs]
    .reverse()
    .find((candidate) => candidate.origin === 'cluster.apiServer' && candidate.name === 'authentication-config');
  const path = arg?.values[arg.values.length - 1];
  if (!arg || !path || !path.startsWith('/') || path.startsWith('/system/') || templateReference(path)) return;
  const scoped = files.filter((file) => file.talos);
  const written = scoped
    .flatMap((file) => file.talos!.machineFiles)
    .filter((file) => file.path && /^kind:\s*AuthenticationConfiguration\s*$/m.test(file.content ?? ''));
  if (written.length === 0) return;
  const hostPath = hostPathFor(
    path,
    scoped.flatMap((file) => file.talos!.extraVolumes),
  );
  if (written.some((file) => file.path === hostPath)) return;
  const through = hostPath === path ? '' : ` (the host path \`${hostPath}\` through the \`extraVolumes\` mount)`;
  report(
    context,
    'TOIDC118',
    `The API server reads \`${path}\`${through}, but \`machine.files\` writes the AuthenticationConfiguration to ${written.map((file) => `\`${file.path}\``).join(', ')}: it finds no file there and does not start. Make the written path and the mounted path agree.`,
    arg.itemRanges[arg.itemRanges.length - 1] ?? arg.valueRange,
  );
}
