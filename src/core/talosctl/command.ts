/**
 * Command lines for applying OIDC settings to Talos nodes with `talosctl`: a dry run first, then
 * the real thing. Built as argument vectors, then quoted for the shell that will run them, so a
 * path with spaces or a `$` reaches talosctl unchanged.
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

export type ShellKind = 'posix' | 'powershell' | 'cmd';

/** The shell VS Code's terminal runs, from its executable name. */
export function shellKindOf(shellPath: string | undefined, platform: string): ShellKind {
  const name = (shellPath ?? '').toLowerCase().split(/[\\/]/).pop() ?? '';
  if (name.startsWith('pwsh') || name.startsWith('powershell')) return 'powershell';
  if (name === 'cmd.exe' || name === 'cmd') return 'cmd';
  if (name === '' && platform === 'win32') return 'powershell';
  return 'posix';
}

const POSIX_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One argument quoted so the shell passes it through literally. */
export function quoteArgument(argument: string, shell: ShellKind): string {
  switch (shell) {
    case 'posix':
      if (POSIX_SAFE.test(argument)) return argument;
      return `'${argument.replace(/'/g, `'\\''`)}'`;
    case 'powershell':
      // Single quotes are literal in PowerShell; a quote inside is doubled. `@` and `,` start
      // splatting and arrays at the start of a bare word, so any unusual character gets quoted.
      if (/^[A-Za-z0-9_./:=-]+$/.test(argument) && !argument.startsWith('-')) return argument;
      if (/^--?[A-Za-z0-9-]+$/.test(argument)) return argument;
      return `'${argument.replace(/'/g, "''")}'`;
    case 'cmd':
      if (/^[A-Za-z0-9_@./:=,\\-]+$/.test(argument)) return argument;
      if (/["%!^&|<>]/.test(argument)) throw new TalosctlInputError(`"${argument}" contains characters that cmd.exe cannot pass safely; rename the file or use PowerShell`);
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
