/**
 * The authenticator as the API server validates it, and the lockout guard (bindings that match
 * the OIDC identities).
 * Codes: TOIDC201, TOIDC301, TOIDC302, TOIDC304.
 */
import { basename, dirname, join } from 'node:path';
import { talosAuthenticator } from '../talos/authenticator';
import { hostFile } from '../workspace/scope';
import { templateReference } from '../workspace/templates';
import type { RbacBinding, RbacSubject } from '../workspace/types';
import type { Fix, TextEdit } from './finding';
import { contentStart, fix, rangesOverlap, report, type CheckContext } from './context';
import { identitiesOf, subjectMatches, workspaceIdentities, type OidcIdentity } from './identity';
import { generateClusterRoleBinding } from '../generate/index';
import { setupWithDefaults } from '../generate/setup';

/** The authenticator model's own problems, in the API server's words, unless a specific check already said it there. */
export function checkAuthenticatorProblems(context: CheckContext): void {
  const { parsed } = context;
  if (!parsed.talos && !parsed.authenticationConfig) return;
  if (parsed.talos?.machineType?.value === 'worker') return;
  const specific = context.findings.filter((finding) => finding.severity === 'error');
  for (const problem of talosAuthenticator(parsed).problems) {
    // Said already: by a specific check at the same place, or quoting the same API server text.
    const text = problem.message.replace(/^invalid authentication configuration: /, '');
    // A template value (`${SECRET_DOMAIN}`) is filled in before the API server sees it: TOIDC004 says the check was not possible.
    if (
      templateReference(problem.message) ||
      templateReference(parsed.text.slice(problem.range.startOffset, problem.range.endOffset))
    )
      continue;
    if (specific.some((finding) => rangesOverlap(finding.range, problem.range) || finding.message.includes(text)))
      continue;
    const consequence = problem.fatal
      ? 'The API server refuses this configuration (it does not start, or rejects the reload)'
      : 'The API server may refuse this configuration';
    report(
      context,
      'TOIDC201',
      `${consequence}: ${problem.message}`,
      problem.range,
      undefined,
      problem.fatal ? 'error' : 'warning',
    );
  }
}

/** Folders whose files nothing applies any more. */
const ARCHIVE_FOLDER = /(^|[\\/])(archive|archived|_archive|old|deprecated|attic)[\\/]/i;

const archived = new Map<string, boolean>();

export function isArchived(file: string): boolean {
  // Asked for every file once per other file of the workspace.
  let found = archived.get(file);
  if (found === undefined) {
    if (archived.size >= 20_000) archived.clear();
    archived.set(file, (found = ARCHIVE_FOLDER.test(file)));
  }
  return found;
}

function allBindings(context: CheckContext): RbacBinding[] {
  return context.files.filter((file) => !isArchived(hostFile(file))).flatMap((file) => file.bindings);
}

/** On a config: no binding anywhere names what this config's users become. */
export function checkLockout(context: CheckContext): void {
  const { parsed, options } = context;
  const bindings = allBindings(context);
  const subjects = bindings.flatMap((binding) => binding.subjects.map((subject) => ({ binding, subject })));
  const archived = context.files.filter((file) => isArchived(hostFile(file))).flatMap((file) => file.bindings);
  for (const identity of identitiesOf(parsed)) {
    if (subjects.some(({ subject }) => subjectMatches(identity, subject))) continue;
    const inArchive = archived.find((binding) => binding.subjects.some((subject) => subjectMatches(identity, subject)));
    if (inArchive) {
      report(
        context,
        'TOIDC304',
        `Lockout risk: the only binding that names what this configuration's OIDC users become is \`${inArchive.name}\` in ${inArchive.file}, under an archive folder that nothing applies. OIDC users will log in and be allowed nothing. Move the binding out of the archive (or create a new one) and apply it before switching kubectl to OIDC.`,
        identity.anchor,
      );
      continue;
    }
    const examples = describeIdentity(identity);
    const unprefixed = subjects.filter(
      ({ binding, subject }) => !binding.approximateRanges && missingPrefix(identity, subject) !== undefined,
    );
    const fixes: Fix[] = [];
    if (unprefixed.length > 0) {
      const edits = unprefixed.map(({ binding, subject }) =>
        prefixEdit(binding.file, subject, missingPrefix(identity, subject)!, context),
      );
      fixes.push(
        fix(
          `Add the prefix to ${unprefixed.map(({ subject }) => `\`${subject.name}\``).join(', ')} in the bindings`,
          edits,
          true,
        ),
      );
    }
    if (options.adminGroup && identity.groups && identity.groups.expression === undefined) {
      const group = identity.groups.prefix + options.adminGroup;
      const file = join(dirname(parsed.file), 'oidc-cluster-admins.yaml');
      const setup = setupWithDefaults({
        issuerUrl: identity.issuer,
        clientId: identity.audiences[0] ?? '',
        adminGroup: options.adminGroup,
        groupsClaim: identity.groups.claim,
        groupsPrefix: identity.groups.prefix,
      });
      fixes.push({
        title: `Create a ClusterRoleBinding (cluster-admin) for group ${group}`,
        edits: [],
        createFiles: [{ file, content: generateClusterRoleBinding(setup) }],
      });
    }
    const hint =
      unprefixed.length > 0
        ? ` ${unprefixed.map(({ binding, subject }) => `\`${subject.name}\` (in ${basename(binding.file)})`).join(', ')} lacks the prefix the API server adds.`
        : '';
    report(
      context,
      'TOIDC301',
      `Lockout risk: OIDC is configured for ${identity.issuer}, but no ClusterRoleBinding or RoleBinding among the workspace's files names ${examples}. OIDC users will log in and be allowed nothing.${hint} Create and apply a binding (for example a ClusterRoleBinding for group \`${identity.groups ? identity.groups.prefix : ''}kubernetes\`) before switching kubectl to OIDC.`,
      identity.anchor,
      fixes,
    );
  }
}

/** On a binding file: subjects that lack the prefix the API server adds. */
export function checkBindingPrefixes(context: CheckContext): void {
  const { parsed } = context;
  if (parsed.bindings.length === 0) return;
  const identities = workspaceIdentities(context.files);
  if (identities.length === 0) return;
  for (const binding of parsed.bindings) {
    for (const subject of binding.subjects) {
      if (identities.some((identity) => subjectMatches(identity, subject))) continue;
      const candidates = identities
        .map((identity) => ({ identity, prefix: missingPrefix(identity, subject) }))
        .filter((entry) => entry.prefix !== undefined);
      if (candidates.length === 0) continue;
      const { prefix } = candidates[0];
      const what = subject.kind === 'Group' ? 'group' : 'user';
      const fixes = binding.approximateRanges
        ? undefined
        : [fix(`Use ${prefix}${subject.name}`, [prefixEdit(parsed.file, subject, prefix!, context)], true)];
      report(
        context,
        'TOIDC302',
        `The API server adds the prefix \`${prefix}\` to every OIDC ${what}, so this binding to \`${subject.name}\` never matches; use \`${prefix}${subject.name}\`. (Ignore this if the ${what} comes from another source, such as client certificates.)`,
        subject.nameRange,
        fixes,
      );
    }
  }
}

/** The prefix a subject lacks for this identity, when it looks like an OIDC subject that lacks it. */
function missingPrefix(identity: OidcIdentity, subject: RbacSubject): string | undefined {
  if (subject.name.startsWith('system:')) return undefined;
  if (subject.kind === 'Group' && identity.groups && identity.groups.expression === undefined) {
    const prefix = identity.groups.prefix;
    return prefix !== '' && !subject.name.startsWith(prefix) ? prefix : undefined;
  }
  if (subject.kind === 'User' && identity.usernamePrefix) {
    const prefix = identity.usernamePrefix;
    // Only names that look like what a provider puts in `sub`/`email`: a UUID or an email address.
    const looksOidc =
      /^[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12}$/i.test(subject.name) ||
      /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(subject.name);
    return looksOidc && !subject.name.startsWith(prefix) ? prefix : undefined;
  }
  return undefined;
}

function prefixEdit(file: string, subject: RbacSubject, prefix: string, context: CheckContext): TextEdit {
  const owner = context.files.find((candidate) => candidate.file === file) ?? context.parsed;
  const at = contentStart(owner, subject.nameRange);
  const quoted = owner.text[subject.nameRange.startOffset] === '"' || owner.text[subject.nameRange.startOffset] === "'";
  // A plain scalar starting with `oidc:` stays valid YAML (`oidc:kubernetes`), but a prefix ending in ': ' would not.
  if (!quoted && /[:#]\s|^[\s&*!|>'"%@`]/.test(prefix)) {
    return {
      file,
      startOffset: subject.nameRange.startOffset,
      endOffset: subject.nameRange.endOffset,
      newText: JSON.stringify(prefix + subject.name),
    };
  }
  return { file, startOffset: at, endOffset: at, newText: prefix };
}

function describeIdentity(identity: OidcIdentity): string {
  const parts: string[] = [];
  if (identity.usernamePrefix === undefined) parts.push('a user from its username expression');
  else parts.push(`a user \`${identity.usernamePrefix}<${identity.usernameClaim ?? 'claim'}>\``);
  if (identity.groups)
    parts.push(
      identity.groups.expression !== undefined
        ? 'a group from its groups expression'
        : `a group \`${identity.groups.prefix}<group>\` (e.g. \`${identity.groups.prefix}kubernetes\`)`,
    );
  return parts.join(' or ');
}
