/**
 * The program a kubelogin exec user runs is not installed. It depends on the machine,
 * not the file, so `checkFile` never runs it: the editor adds it with a lookup of its PATH.
 * Codes: TOIDC413.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import type { SourceRange } from '../text/range';
import type { ParsedFile, KubeconfigExecUser } from '../workspace/types';
import { CHECKS } from './catalogue';
import type { Finding } from './finding';

/** true: installed; false: not found; undefined: not known yet (no finding until it is). */
export type ProgramLookup = (program: string) => boolean | undefined;

/** The kubectl plugin that `kubectl oidc-login` runs. */
export const OIDC_LOGIN_PLUGIN = 'kubectl-oidc_login';

export interface RequiredProgram {
  /** What to look up: a bare name (searched on PATH) or an absolute path. */
  program: string;
  /** How the user wrote it, for the message. */
  shown: string;
  role: 'command' | 'plugin';
  range: SourceRange;
}

export interface CommandCheckOptions {
  /** One install command for this platform, appended to the message of a missing kubelogin. */
  installHint?: string;
}

function baseName(command: string): string {
  return command
    .replace(/\\/g, '/')
    .split('/')
    .pop()!
    .replace(/\.exe$/i, '');
}

/**
 * The programs an exec user that runs kubelogin needs: its `command` and, for
 * `kubectl oidc-login`, the plugin. A relative command with a folder in it is resolved against the
 * kubeconfig's folder, as kubectl does.
 */
export function requiredPrograms(parsed: ParsedFile, user: KubeconfigExecUser): RequiredProgram[] {
  if (!user.kubelogin || !user.command) return [];
  const command = user.command.trim();
  if (!command) return [];
  const range = commandValueRange(parsed, user) ?? user.apiVersionRange ?? user.range;
  const program = /[\\/]/.test(command) && !isAbsolute(command) ? resolve(dirname(parsed.file), command) : command;
  const programs: RequiredProgram[] = [{ program, shown: command, role: 'command', range }];
  if (baseName(command) === 'kubectl' && user.args[0] === 'oidc-login') {
    programs.push({
      program: OIDC_LOGIN_PLUGIN,
      shown: 'kubectl oidc-login',
      role: 'plugin',
      range: user.argRanges[0] ?? range,
    });
  }
  return programs;
}

export function checkExecCommandsInstalled(
  parsed: ParsedFile,
  isInstalled: ProgramLookup,
  options: CommandCheckOptions = {},
): Finding[] {
  const findings: Finding[] = [];
  const hint = options.installHint ? ` Install kubelogin with \`${options.installHint}\`.` : '';
  for (const user of parsed.kubeconfigUsers) {
    for (const required of requiredPrograms(parsed, user)) {
      if (isInstalled(required.program) !== false) continue;
      const base = baseName(required.shown);
      let message: string;
      if (required.role === 'plugin') {
        message = `\`kubectl oidc-login\` needs the kubelogin plugin \`${OIDC_LOGIN_PLUGIN}\`, which is not on PATH: kubectl fails with \`unknown command "oidc-login"\` for user "${user.name}".${hint}`;
      } else if (base === 'kubectl') {
        message = `\`${required.shown}\` is not installed (not on PATH): the exec user "${user.name}" cannot run. Install kubectl.`;
      } else {
        message = `\`${required.shown}\` is not installed (not on PATH): kubectl fails with \`executable ${required.shown} not found\` for user "${user.name}".${base === 'kubelogin' || base === OIDC_LOGIN_PLUGIN ? hint : ''}`;
      }
      findings.push({
        code: 'TOIDC413',
        severity: CHECKS.TOIDC413.severity,
        message,
        file: parsed.file,
        range: required.range,
      });
    }
  }
  return findings;
}

/** The range of the `command:` value inside the user's entry (the model keeps no range for it). */
function commandValueRange(parsed: ParsedFile, user: KubeconfigExecUser): SourceRange | undefined {
  const text = parsed.text.slice(user.range.startOffset, user.range.endOffset);
  const match = /((?:^|\n)[ \t]*command[ \t]*:[ \t]*)(["']?)([^\r\n"'#]*?)\2[ \t]*(?:#[^\r\n]*)?(?=\r?\n|$)/.exec(text);
  if (!match || !match[3]) return undefined;
  const start = user.range.startOffset + match.index + match[1].length + match[2].length;
  return parsed.lines.range(start, start + match[3].length);
}
