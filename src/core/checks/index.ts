/**
 * The checks: every finding for one file, given the rest of the workspace (the lockout guard and
 * the kubeconfig comparisons look at other files).
 * Codes: TOIDC000 (a file too large to check, or a check that failed on it).
 */
import { samePath } from '../talhelper/config';
import { MERGED_CODES, mergedControlPlane, mergedFindingToHost } from '../talhelper/merged';
import { hostRange, withEmbedded } from '../workspace/embedded';
import { WorkspaceIndex } from '../workspace/workspaceIndex';
import { ClusterScope } from '../workspace/scope';
import type { EmbeddedFile, ParsedFile } from '../workspace/types';
import { report, type CheckContext, type CheckOptions } from './context';
import type { Finding } from './finding';
import { checkKubeconfig } from './kubeconfig';
import { checkAuthConfigHostPath, checkGenericGroups, checkGroupsPrefixDash, checkTemplates } from './mistakes';
import { checkAuthenticatorProblems, checkBindingPrefixes, checkLockout } from './rbac';
import { checkTalos } from './talos';
import { checkPlaceholders, checkSyntax } from './yaml';

export type { CheckOptions } from './context';
export { CHECKS, listChecks, type CheckInfo, type CheckArea } from './catalogue';
export type { Finding, Fix, TextEdit, Severity } from './finding';

export function checkFile(parsed: ParsedFile, workspace: WorkspaceIndex, options: CheckOptions = {}): Finding[] {
  // A config too large or too slow to parse must say that it was not checked, not look clean.
  const notChecked = notCheckedFindings(parsed, options);
  if (notChecked) return notChecked;
  // A file that is none of ours gets nothing, not even syntax errors (other extensions report those).
  if (parsed.kinds.size === 0) return [];
  const others = workspace.files().filter((file) => file.file !== parsed.file);
  return checkInScope(parsed, new ClusterScope(withEmbedded([...others, parsed])), options);
}

/** A file not checked (too large, too slow) that may be a config says so; undefined for any other file. */
function notCheckedFindings(parsed: ParsedFile, options: CheckOptions): Finding[] | undefined {
  if (!(parsed.notChecked && parsed.skipped && mayBeOurs(parsed.text))) return undefined;
  const context: CheckContext = { parsed, files: [], options, findings: [] };
  report(context, 'TOIDC000', parsed.skipped, parsed.lines.range(0, 0));
  return context.findings;
}

/** The findings of `parsed`, whose scope holds every file of the workspace with `parsed`'s own last. */
function checkInScope(parsed: ParsedFile, scope: ClusterScope, options: CheckOptions): Finding[] {
  const everything = scope.all();
  const asPatch = asTalhelperPatch(parsed, everything);
  const findings = withoutSplitFlagPairs(
    checkOne(asPatch, scope.filesFor(parsed), options),
    talconfigsApplying(parsed, everything),
    everything,
  );
  if (asPatch !== parsed)
    talhelperWorkerWording(findings, "a talconfig.yaml names this file only in workers' (or worker nodes') `patches`");
  for (const embedded of parsed.embedded ?? []) {
    const inner = checkOne(embedded.parsed, scope.filesFor(embedded.parsed), options);
    if (embedded.role === 'worker')
      talhelperWorkerWording(
        inner,
        `talhelper applies \`${embedded.label}\` to ${embedded.node ? `the worker node ${embedded.node}` : 'worker nodes'} only`,
      );
    const kept =
      embedded.role && embedded.role !== 'worker' ? withoutSplitFlagPairs(inner, [parsed], everything) : inner;
    findings.push(...kept.map((finding) => toHost(parsed, embedded, finding)));
  }
  // Flags spread over several inline control-plane patches: what needs them together runs on the merged view.
  const merged = mergedControlPlane(parsed);
  if (merged) {
    const inner = checkOne(merged.parsed, scope.filesFor(merged.parsed), options).filter((finding) =>
      MERGED_CODES.has(finding.code),
    );
    for (const finding of inner) {
      const mapped = mergedFindingToHost(parsed, merged, finding);
      if (mapped) findings.push(mapped);
    }
  }
  const cluster = scope.clusterName(parsed);
  if (cluster) for (const finding of findings) finding.message += ` [cluster ${cluster}]`;
  return sortFindings(findings);
}

/** A finding on an embedded file, placed (with its fixes) in the host file. */
function toHost(host: ParsedFile, embedded: EmbeddedFile, finding: Finding): Finding {
  const virtual = embedded.parsed.file;
  const mapped: Finding = { ...finding, file: host.file, range: hostRange(host, embedded, finding.range) };
  if (finding.fixes) {
    mapped.fixes = finding.fixes.map((entry) => ({
      ...entry,
      edits: entry.edits.map((edit) =>
        edit.file === virtual
          ? {
              file: host.file,
              startOffset: embedded.map.toHost(edit.startOffset),
              endOffset: embedded.map.toHost(edit.endOffset),
              newText: embedded.map.toHostText(edit.newText),
            }
          : edit,
      ),
    }));
  }
  return mapped;
}

/** The talconfigs that apply `parsed` as an `@file` patch to control-plane nodes. */
function talconfigsApplying(parsed: ParsedFile, files: ParsedFile[]): ParsedFile[] {
  if (!parsed.talos) return [];
  return files.filter((file) =>
    file.talhelper?.references.some(
      (reference) => reference.role !== 'worker' && samePath(reference.path, parsed.file),
    ),
  );
}

/** The API server flags a talconfig's control-plane nodes get from all their patches together (talhelper merges them). */
function mergedControlPlaneFlags(talconfig: ParsedFile, files: ParsedFile[]): Set<string> {
  const names = new Set<string>();
  for (const entry of talconfig.embedded ?? []) {
    if (entry.role === 'worker') continue;
    for (const arg of entry.parsed.talos?.extraArgs ?? [])
      if (arg.values.some((value) => value !== '')) names.add(arg.name);
  }
  for (const reference of talconfig.talhelper?.references ?? []) {
    if (reference.role === 'worker') continue;
    const file = files.find((candidate) => samePath(candidate.file, reference.path));
    for (const arg of file?.talos?.extraArgs ?? []) if (arg.values.some((value) => value !== '')) names.add(arg.name);
  }
  return names;
}

/**
 * talhelper merges every control-plane patch into one config: an issuer in one patch and the
 * client ID in another is fine, so "must be specified together" is left out when the merged
 * patches have both.
 */
function withoutSplitFlagPairs(findings: Finding[], talconfigs: ParsedFile[], files: ParsedFile[]): Finding[] {
  if (talconfigs.length === 0) return findings;
  const complete = talconfigs.some((talconfig) => {
    const names = mergedControlPlaneFlags(talconfig, files);
    return names.has('oidc-issuer-url') && names.has('oidc-client-id');
  });
  if (!complete) return findings;
  return findings.filter(
    (finding) =>
      !(
        finding.code === 'TOIDC102' ||
        (finding.code === 'TOIDC201' && finding.message.includes('must be specified together'))
      ),
  );
}

/** TOIDC113 on a talhelper worker patch says why it is one (there is no `machine.type` in it). */
function talhelperWorkerWording(findings: Finding[], why: string): void {
  for (const finding of findings) {
    if (finding.code !== 'TOIDC113') continue;
    finding.message = `These OIDC settings reach workers only (${why}): workers run no API server, so they have no effect. Put them under \`controlPlane.patches\` (or a control-plane node's patches).`;
  }
}

/** A patch file that a talconfig applies to workers only is checked as a worker config. */
function asTalhelperPatch(parsed: ParsedFile, files: ParsedFile[]): ParsedFile {
  if (!parsed.talos || parsed.talos.machineType) return parsed;
  const roles = files.flatMap((file) =>
    (file.talhelper?.references ?? [])
      .filter((reference) => samePath(reference.path, parsed.file))
      .map((reference) => reference.role),
  );
  if (roles.length === 0 || roles.some((role) => role !== 'worker')) return parsed;
  return {
    ...parsed,
    talos: { ...parsed.talos, machineType: { value: 'worker', valueRange: parsed.lines.range(0, 0) } },
  };
}

function checkOne(parsed: ParsedFile, files: ParsedFile[], options: CheckOptions): Finding[] {
  if (parsed.kinds.size === 0) return [];
  const context: CheckContext = { parsed, files, options, findings: [] };
  const steps: [string, (context: CheckContext) => void][] = [
    ['syntax', checkSyntax],
    ['placeholders', checkPlaceholders],
  ];
  if (parsed.talos || parsed.authenticationConfig) {
    steps.push(
      ['templates', checkTemplates],
      ['talos', checkTalos],
      ['groups prefix', checkGroupsPrefixDash],
      ['authentication-config path', checkAuthConfigHostPath],
      ['authenticator', checkAuthenticatorProblems],
      ['lockout', checkLockout],
    );
  }
  if (parsed.bindings.length > 0)
    steps.push(['bindings', checkBindingPrefixes], ['generic groups', checkGenericGroups]);
  if (parsed.kubeconfigUsers.length > 0) steps.push(['kubeconfig', checkKubeconfig]);
  for (const [name, step] of steps) {
    try {
      step(context);
    } catch (error) {
      // A bug in one check must not take the editor or the command line down, nor hide the other checks.
      report(
        context,
        'TOIDC000',
        `talos-oidc could not finish the ${name} checks on this file (${error instanceof Error ? error.message : String(error)}); some findings may be missing.`,
        parsed.lines.range(0, 0),
      );
    }
  }
  return context.findings;
}

/** Lints a set of files together (the command line): workspace-level checks consider all of them. */
export function checkFiles(files: ParsedFile[], options: CheckOptions = {}): Finding[] {
  const workspace = new WorkspaceIndex();
  for (const file of files) workspace.update(file);
  // One scope for all of them (building it per file made a thousand files cost seconds); each
  // file sees the others in the order checkFile gives them.
  const scope = new ClusterScope(withEmbedded(workspace.files()));
  return files.flatMap((file) => {
    // A file named twice: the workspace holds the last one, so the earlier is checked on its own.
    if (workspace.get(file.file) !== file) return checkFile(file, workspace, options);
    const notChecked = notCheckedFindings(file, options);
    if (notChecked) return notChecked;
    if (file.kinds.size === 0) return [];
    return checkInScope(file, scope.forHost(file.file), options);
  });
}

/** A cheap look (one pass, no parse) for the words every file kind this extension checks contains. */
function mayBeOurs(text: string): boolean {
  return /\b(?:oidc|machine|AuthenticationConfiguration|RoleBinding|ClusterRoleBinding|users|KubeAuthenticationConfig)\b/.test(
    text,
  );
}

function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => a.range.startOffset - b.range.startOffset || a.code.localeCompare(b.code));
}
