/**
 * Command lines for applying OIDC settings to Talos nodes with `talosctl`: a dry run first, then
 * the real thing. Built as argument vectors, which the extension runs as a process (never as
 * text typed into a shell); the quoted line is only for showing and copying, quoted for the shell
 * it names, and refused outright when an argument holds a control character (a newline or Ctrl-U
 * typed into an interactive shell runs or rewrites the line, whatever the quoting).
 *
 *   talosctl patch machineconfig --nodes N1,N2 --patch @FILE [--mode M] [--talosconfig F] --dry-run
 *   talosctl apply-config --nodes N --file FILE [--mode M] [--talosconfig F] --dry-run
 */

export type ApplyMode = 'auto' | 'no-reboot' | 'reboot' | 'staged' | 'try';

export interface TalosTarget {
  /** Node addresses (`--nodes`): the control-plane nodes, since only they run the API server. */
  nodes: string[];
  /** `--endpoints`, when the talosconfig does not name them. */
  endpoints?: string[];
  talosconfig?: string;
  mode?: ApplyMode;
}

export interface CommandPair {
  dryRun: string[];
  apply: string[];
}

export class TalosctlInputError extends Error {}

const NODE_PATTERN = /^[A-Za-z0-9._:[\]-]+$/;

/** Node and endpoint addresses are hosts or IPs; anything else is a mistake, not something to quote. */
export function validateAddress(address: string): string | undefined {
  if (address.trim() === '') return 'an address is empty';
  if (!NODE_PATTERN.test(address)) return `"${address}" is not a host name or IP address`;
  return undefined;
}

function targetArgs(target: TalosTarget): string[] {
  if (target.nodes.length === 0) throw new TalosctlInputError('at least one node address is needed (--nodes)');
  for (const address of [...target.nodes, ...(target.endpoints ?? [])]) {
    const problem = validateAddress(address);
    if (problem) throw new TalosctlInputError(problem);
  }
  const args = ['--nodes', target.nodes.join(',')];
  if (target.endpoints && target.endpoints.length > 0) args.push('--endpoints', target.endpoints.join(','));
  if (target.talosconfig) args.push('--talosconfig', target.talosconfig);
  return args;
}

/** `talosctl patch machineconfig`: merges a (strategic-merge or JSON) patch into the running config. */
export function patchMachineConfigCommands(patchFile: string, target: TalosTarget): CommandPair {
  if (!patchFile) throw new TalosctlInputError('a patch file is needed');
  const base = ['talosctl', 'patch', 'machineconfig', ...targetArgs(target), '--patch', `@${patchFile}`];
  if (target.mode) base.push('--mode', target.mode);
  return { dryRun: [...base, '--dry-run'], apply: base };
}

/** `talosctl apply-config`: replaces the node's whole config with the file. One node at a time is usual. */
export function applyConfigCommands(configFile: string, target: TalosTarget): CommandPair {
  if (!configFile) throw new TalosctlInputError('a config file is needed');
  const base = ['talosctl', 'apply-config', ...targetArgs(target), '--file', configFile];
  if (target.mode) base.push('--mode', target.mode);
  return { dryRun: [...base, '--dry-run'], apply: base };
}

export type ShellKind = 'posix' | 'fish' | 'powershell' | 'cmd';

/** The shell VS Code's terminal runs, from its executable name. */
export function shellKindOf(shellPath: string | undefined, platform: string): ShellKind {
  const name = (shellPath ?? '').toLowerCase().split(/[\\/]/).pop() ?? '';
  if (name.startsWith('pwsh') || name.startsWith('powershell')) return 'powershell';
  if (name === 'cmd.exe' || name === 'cmd') return 'cmd';
  if (name === 'fish' || name === 'fish.exe') return 'fish';
  if (name === '' && platform === 'win32') return 'powershell';
  return 'posix';
}

const POSIX_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** C0 and C1 controls, DEL, and the Unicode line and paragraph separators. */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** PowerShell reads all four of these as a single quote (and a doubled one as a literal quote). */
const POWERSHELL_SINGLE_QUOTES = /['\u2018\u2019\u201a\u201b]/g;

/** One argument quoted so the shell passes it through literally. */
export function quoteArgument(argument: string, shell: ShellKind): string {
  if (CONTROL_CHARACTER.test(argument)) {
    throw new TalosctlInputError(
      `${JSON.stringify(argument)} contains a control character (a line break, a tab, an escape); a terminal would act on it. Rename the file.`,
    );
  }
  switch (shell) {
    case 'posix':
      if (POSIX_SAFE.test(argument)) return argument;
      return `'${argument.replace(/'/g, `'\\''`)}'`;
    case 'fish':
      // fish reads \' and \\ as escapes inside single quotes, unlike POSIX shells.
      if (POSIX_SAFE.test(argument)) return argument;
      return `'${argument.replace(/[\\']/g, '\\$&')}'`;
    case 'powershell':
      // Single quotes are literal in PowerShell; a quote inside is doubled. `@` and `,` start
      // splatting and arrays at the start of a bare word, so any unusual character gets quoted.
      if (/^[A-Za-z0-9_./:=-]+$/.test(argument) && !argument.startsWith('-')) return argument;
      if (/^--?[A-Za-z0-9-]+$/.test(argument)) return argument;
      return `'${argument.replace(POWERSHELL_SINGLE_QUOTES, '$&$&')}'`;
    case 'cmd':
      if (/^[A-Za-z0-9_@./:=,\\-]+$/.test(argument)) return argument;
      if (/["%!^&|<>]/.test(argument))
        throw new TalosctlInputError(
          `"${argument}" contains characters that cmd.exe cannot pass safely; rename the file or use PowerShell`,
        );
      return `"${argument}"`;
  }
}

export function commandLine(argv: string[], shell: ShellKind): string {
  return argv.map((argument) => quoteArgument(argument, shell)).join(' ');
}

/**
 * Dry run, then — only if it succeeded — the real run, as one line for a terminal. The user sees
 * the dry run's diff before the apply starts; a failed dry run stops there.
 */
export function dryRunThenApply(pair: CommandPair, shell: ShellKind): string {
  const joiner = shell === 'powershell' ? '; if ($LASTEXITCODE -eq 0) { ' : ' && ';
  const closing = shell === 'powershell' ? ' }' : '';
  return `${commandLine(pair.dryRun, shell)}${joiner}${commandLine(pair.apply, shell)}${closing}`;
}
