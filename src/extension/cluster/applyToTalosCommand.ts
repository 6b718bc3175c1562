/**
 * `talosOidc.applyToTalos`: apply a Talos patch or machine config with talosctl (a dry run first),
 * behind the lockout guard.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Finding } from '../../core/checks/finding';
import {
  applyConfigCommands,
  commandLine,
  nodeAddressesFromConfig,
  patchMachineConfigCommands,
  shellKindOf,
  type ShellKind,
  TalosctlInputError,
  validateAddress,
  type ApplyMode,
  type CommandPair,
} from '../../core/talosctl/index';
import { parseYamlFile } from '../../core/workspace/parse';
import type { ParsedFile } from '../../core/workspace/types';
import {
  argumentObject,
  booleanArg,
  stringArg,
  stringListArg,
  UserError,
  type Command,
} from '../commands/commandManager';
import type { ExtensionServices } from '../services';
import { runProcessTask } from '../tasks/processTask';
import { COMMAND } from '../commandIds';

/** Lockout guard findings (see the checks catalogue): no binding, or a binding without the prefix. */
export const LOCKOUT_CODES = new Set(['TOIDC301', 'TOIDC302']);

export interface ApplyToTalosResult {
  /** Set when the lockout guard stopped it: the findings' messages. */
  refused?: string[];
  dryRun?: string;
  apply?: string;
  /** True when the real apply was started (only after a dry run that exited 0). */
  applySent: boolean;
  /** The dry run's exit code; undefined when talosctl could not be started. */
  dryRunExitCode?: number;
  applyExitCode?: number;
}

/** The command line for showing (quoted for the user's shell), or the argument vector where no quoting is safe. */
function displayLine(argv: string[], shell: ShellKind): string {
  try {
    return commandLine(argv, shell);
  } catch {
    return JSON.stringify(argv);
  }
}

export class ApplyToTalosCommand implements Command {
  readonly id = COMMAND.applyToTalos;
  constructor(private readonly services: ExtensionServices) {}

  async execute(argument?: unknown): Promise<ApplyToTalosResult | undefined> {
    const args = argumentObject(argument);
    const file = await this.chooseFile(stringArg(args, 'file'));
    if (!file) return undefined;
    const parsed = parseYamlFile(file, await this.currentText(file));
    if (!(parsed.kinds.has('talos-patch') || parsed.kinds.has('talos-config'))) {
      throw new UserError(`${path.basename(file)} is not a Talos machine config or patch.`);
    }

    const lockout = this.lockoutFindings(parsed);
    if (lockout.length > 0) {
      const messages = lockout.map((finding) => finding.message);
      const policy = stringArg(args, 'onLockout') ?? 'ask';
      this.services.log.warn(`${this.id}: lockout guard: ${messages.join(' | ')}`);
      if (policy === 'refuse') return { refused: messages, applySent: false };
      if (policy !== 'override') {
        const override = 'Apply anyway';
        const bind = 'Apply the binding first…';
        const answer = await vscode.window.showWarningMessage(
          'Talos OIDC: no RBAC binding for the OIDC identity yet, so applying could lock OIDC users out.',
          {
            modal: true,
            detail: `${messages.join('\n\n')}\n\nCreate the binding first (or confirm it exists on the cluster), then apply.`,
          },
          bind,
          override,
        );
        if (answer === bind) void vscode.commands.executeCommand(COMMAND.applyClusterRoleBinding);
        if (answer !== override) return { refused: messages, applySent: false };
        this.services.log.warn(`${this.id}: the user overrode the lockout guard`);
      }
    }

    const nodes = stringListArg(args, 'nodes') ?? (await this.chooseNodes());
    if (!nodes) return undefined;
    const talosconfig =
      stringArg(args, 'talosconfig') ?? (stringListArg(args, 'nodes') ? undefined : await this.chooseTalosconfig());
    if (talosconfig === null) return undefined;
    const mode = stringArg(args, 'mode') as ApplyMode | undefined;
    const isPatch = parsed.kinds.has('talos-patch') && !parsed.kinds.has('talos-config');
    let pair: CommandPair;
    try {
      const target = {
        nodes,
        endpoints: stringListArg(args, 'endpoints'),
        talosconfig: talosconfig || undefined,
        mode,
      };
      pair = isPatch ? patchMachineConfigCommands(file, target) : applyConfigCommands(file, target);
    } catch (error) {
      if (error instanceof TalosctlInputError) throw new UserError(error.message);
      throw error;
    }

    // Run as a process with an argument vector (a task), never typed into a shell: a file name
    // can hold quotes, `$()` or a newline. The quoted lines are only for the log and the result.
    const shell = shellKindOf(vscode.env.shell, process.platform);
    const result: ApplyToTalosResult = {
      dryRun: displayLine(pair.dryRun, shell),
      apply: displayLine(pair.apply, shell),
      applySent: false,
    };
    this.services.log.info(`${this.id}: running ${result.dryRun}`);
    const cwd = path.dirname(file);
    const dryRun = await runProcessTask('talosctl dry run', pair.dryRun, { cwd });
    result.dryRunExitCode = dryRun.exitCode;
    if (dryRun.exitCode !== 0) {
      const why =
        dryRun.exitCode === undefined
          ? 'talosctl could not be started (is it installed and on PATH?)'
          : `talosctl exited with ${dryRun.exitCode}`;
      void vscode.window.showErrorMessage(
        `Talos OIDC: the dry run failed: ${why}. Nothing was applied; see the task's terminal.`,
      );
      return result;
    }
    if (booleanArg(args, 'confirmApply') !== true) {
      const apply = 'Apply for real';
      const answer = await vscode.window.showInformationMessage(
        `Talos OIDC: the dry run succeeded. Read its diff in the terminal; apply to ${nodes.join(', ')} for real?`,
        apply,
      );
      if (answer !== apply) return result;
    }
    this.services.log.info(`${this.id}: running ${result.apply}`);
    result.applySent = true;
    result.applyExitCode = (await runProcessTask('talosctl apply', pair.apply, { cwd })).exitCode;
    return result;
  }

  /**
   * The text as the user sees it (an open editor's, unsaved edits included), else from disk.
   * Parsed here rather than through the workspace model, so a file outside the workspace is not
   * added to the model's index.
   */
  private async currentText(file: string): Promise<string> {
    const open = vscode.workspace.textDocuments.find(
      (document) => document.uri.scheme === 'file' && document.uri.fsPath === file,
    );
    if (open) return open.getText();
    try {
      return await fs.readFile(file, 'utf8');
    } catch (error) {
      throw new UserError(`Cannot read ${file}: ${(error as Error).message}`);
    }
  }

  private lockoutFindings(parsed: ParsedFile): Finding[] {
    return this.services.check(parsed).filter((finding) => LOCKOUT_CODES.has(finding.code));
  }

  private async chooseFile(given: string | undefined): Promise<string | undefined> {
    if (given) return given;
    const active = vscode.window.activeTextEditor?.document;
    if (active && active.uri.scheme === 'file' && /\.ya?ml$/i.test(active.fileName)) return active.fileName;
    const uris = await vscode.window.showOpenDialog({
      title: 'Talos patch or machine config to apply',
      canSelectMany: false,
      filters: { YAML: ['yaml', 'yml'] },
    });
    return uris?.[0]?.fsPath;
  }

  private async chooseNodes(): Promise<string[] | undefined> {
    const candidates = this.services.workspace
      .authConfigs()
      .flatMap((parsed) =>
        nodeAddressesFromConfig(parsed.text).map((candidate) => ({ ...candidate, file: path.basename(parsed.file) })),
      );
    const unique = candidates.filter(
      (candidate, index) => candidates.findIndex((other) => other.address === candidate.address) === index,
    );
    let picked: string[] = [];
    if (unique.length > 0) {
      const chosen = await vscode.window.showQuickPick(
        unique.map((candidate) => ({
          label: candidate.address,
          description: `${candidate.source} in ${candidate.file}`,
          address: candidate.address,
        })),
        {
          title: 'Control-plane nodes to apply to (the endpoint may be a VIP: pick node addresses)',
          canPickMany: true,
          ignoreFocusOut: true,
        },
      );
      if (!chosen) return undefined;
      picked = chosen.map((item) => item.address);
    }
    if (picked.length > 0) return picked;
    const typed = await vscode.window.showInputBox({
      title: 'Control-plane node addresses (comma-separated)',
      placeHolder: '10.0.0.2, 10.0.0.3',
      ignoreFocusOut: true,
      validateInput: (value) =>
        splitAddresses(value).map(validateAddress).find(Boolean) ??
        (splitAddresses(value).length === 0 ? 'Enter at least one address' : undefined),
    });
    return typed ? splitAddresses(typed) : undefined;
  }

  /** '' for talosctl's default (TALOSCONFIG or ~/.talos/config), a path, or null when cancelled. */
  private async chooseTalosconfig(): Promise<string | null> {
    const picked = await vscode.window.showQuickPick(
      [
        { label: "talosctl's default", description: 'TALOSCONFIG or ~/.talos/config', choose: false },
        { label: '$(folder-opened) Choose a talosconfig file…', choose: true },
      ],
      { title: 'Which talosconfig?', ignoreFocusOut: true },
    );
    if (!picked) return null;
    if (!picked.choose) return '';
    const uris = await vscode.window.showOpenDialog({ title: 'talosconfig', canSelectMany: false });
    return uris?.[0]?.fsPath ?? null;
  }
}

function splitAddresses(value: string): string[] {
  return value
    .split(/[\s,]+/)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}
