/**
 * The checks: every finding for one file, given the rest of the workspace (the lockout guard and
 * the kubeconfig comparisons look at other files).
 */
import { WorkspaceIndex } from '../workspace/index';
import type { ParsedFile } from '../workspace/types';
import { report, type CheckContext, type CheckOptions } from './context';
import type { Finding } from './finding';
import { checkKubeconfig } from './kubeconfig';
import { checkAuthenticatorProblems, checkBindingPrefixes, checkLockout } from './rbac';
import { checkTalos } from './talos';
import { checkPlaceholders, checkSyntax } from './yaml';

export type { CheckOptions } from './context';
export { CHECKS, listChecks, type CheckInfo, type CheckArea } from './catalogue';
export type { Finding, Fix, TextEdit, Severity } from './finding';

export function checkFile(parsed: ParsedFile, workspace: WorkspaceIndex, options: CheckOptions = {}): Finding[] {
  // A config too large or too slow to parse must say that it was not checked, not look clean.
  if (parsed.notChecked && parsed.skipped && mayBeOurs(parsed.text)) {
    const context: CheckContext = { parsed, files: [], options, findings: [] };
    report(context, 'TOIDC000', parsed.skipped, parsed.lines.range(0, 0));
    return context.findings;
  }
  // A file that is none of ours gets nothing, not even syntax errors (other extensions report those).
  if (parsed.kinds.size === 0) return [];
  const files = workspace.files().filter((file) => file.file !== parsed.file);
  files.push(parsed);
  const context: CheckContext = { parsed, files, options, findings: [] };
  const steps: [string, (context: CheckContext) => void][] = [
    ['syntax', checkSyntax],
    ['placeholders', checkPlaceholders],
  ];
  if (parsed.talos || parsed.authenticationConfig) steps.push(['talos', checkTalos], ['authenticator', checkAuthenticatorProblems], ['lockout', checkLockout]);
  if (parsed.bindings.length > 0) steps.push(['bindings', checkBindingPrefixes]);
  if (parsed.kubeconfigUsers.length > 0) steps.push(['kubeconfig', checkKubeconfig]);
  for (const [name, step] of steps) {
    try {
      step(context);
    } catch (error) {
      // A bug in one check must not take the editor or the command line down, nor hide the other checks.
      report(context, 'TOIDC000', `talos-oidc could not finish the ${name} checks on this file (${error instanceof Error ? error.message : String(error)}); some findings may be missing.`, parsed.lines.range(0, 0));
    }
  }
  return sortFindings(context.findings);
}

/** Lints a set of files together (the command line): workspace-level checks consider all of them. */
export function checkFiles(files: ParsedFile[], options: CheckOptions = {}): Finding[] {
  const workspace = new WorkspaceIndex();
  for (const file of files) workspace.update(file);
  return files.flatMap((file) => checkFile(file, workspace, options));
}

/** A cheap look (one pass, no parse) for the words every file kind this extension checks contains. */
function mayBeOurs(text: string): boolean {
  return /\b(?:oidc|machine|AuthenticationConfiguration|RoleBinding|ClusterRoleBinding|users|KubeAuthenticationConfig)\b/.test(text);
}

function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => a.range.startOffset - b.range.startOffset || a.code.localeCompare(b.code));
}
