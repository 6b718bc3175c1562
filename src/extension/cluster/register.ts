/**
 * The live-cluster and Talos commands: which bindings on the cluster match the OIDC identity,
 * apply the ClusterRoleBinding (server-side dry run shown first), "who am I" as the OIDC user,
 * write the Talos patch, and apply it with talosctl in a terminal behind the lockout guard.
 *
 * `@kubernetes/client-node` lives in dist/lazy-cluster.js, required on first use; this file
 * imports only its types.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type * as LazyCluster from '../lazy/cluster';
import type { ClusterError } from '../../core/cluster/errors';
import type { ClusterRoleBindingSpec, PredictedIdentity } from '../../core/cluster/identity';
import { validateObjectName } from '../../core/cluster/identity';
import type { Finding } from '../../core/checks/finding';
import { identitiesOf } from '../../core/checks/identity';
import { objectNameFrom } from '../../core/generate/index';
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
import { checkParsedFile } from '../coreBridge';
import { chooseKubeconfigFile, kubeconfigNames, readKubeconfig } from '../kubeconfig/kubeconfigFile';
import type { ExtensionServices } from '../services';
import { runProcessTask } from '../tasks/processTask';
import { COMMAND } from '../commandIds';

type LazyClusterModule = typeof LazyCluster;

/** Lockout guard findings (see the checks catalogue): no binding, or a binding without the prefix. */
export const LOCKOUT_CODES = new Set(['TOIDC301', 'TOIDC302']);

// --- connecting ---------------------------------------------------------------------------------

interface Target {
  file: string;
  text: string;
  context: string;
}

/** The kubeconfig and context to use: from the argument, else asked (admin or OIDC user). */
async function chooseTarget(
  services: ExtensionServices,
  args: Record<string, unknown>,
  purpose: 'admin' | 'oidc',
): Promise<Target | undefined> {
  const given = stringArg(args, 'kubeconfigPath');
  const file = await chooseKubeconfigFile(services.settings(), {
    given,
    ask: !given,
    title: purpose === 'admin' ? 'Kubeconfig with the admin context' : 'Kubeconfig with the OIDC user',
  });
  if (!file) return undefined;
  const text = await readKubeconfig(file);
  if (text === null)
    throw new UserError(`${file} does not exist. Get an admin kubeconfig with \`talosctl kubeconfig\`.`);
  const names = kubeconfigNames(text, file);
  const givenContext = stringArg(args, 'context');
  if (givenContext) return { file, text, context: givenContext };
  if (names.contexts.length === 0) throw new UserError(`${file} has no contexts.`);
  if (given && names.currentContext) return { file, text, context: names.currentContext };
  const picked = await vscode.window.showQuickPick(
    names.contexts.map((context) => ({
      label: context.name,
      description: `${context.name === names.currentContext ? 'current · ' : ''}user ${context.user ?? '?'} · cluster ${context.cluster ?? '?'}`,
      context: context.name,
    })),
    {
      title:
        purpose === 'admin'
          ? 'Which context has cluster-admin rights (e.g. admin@<cluster>)?'
          : 'Which context uses the OIDC user?',
      ignoreFocusOut: true,
    },
  );
  return picked ? { file, text, context: picked.context } : undefined;
}

/** Shows a cluster failure as one message; details (hints, the API server's answer) in the log. */
function reportClusterError(
  services: ExtensionServices,
  cluster: LazyClusterModule,
  error: unknown,
  action: string,
): ClusterFailureSummary {
  const failure = cluster.toClusterError(error, action) as ClusterError;
  services.log.error(
    `${action}: ${failure.describe()}${failure.status ? `\nAPI server answer: ${JSON.stringify(failure.status)}` : ''}`,
  );
  const details = 'Show details';
  void vscode.window
    .showErrorMessage(`Talos OIDC: ${failure.message}`, ...(failure.hints.length > 0 ? [details] : []))
    .then((answer) => {
      if (answer === details) services.log.show(true);
    });
  return { error: { kind: failure.kind, message: failure.message, hints: failure.hints } };
}

interface ClusterFailureSummary {
  error: { kind: string; message: string; hints: string[] };
}

function withProgress<T>(title: string, task: () => Promise<T>): Thenable<T> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Talos OIDC: ${title}` },
    task,
  );
}

// --- the identity -------------------------------------------------------------------------------

/** The identity to look for: the argument, else the last test login's verdict, else the workspace config's group. */
function predictedIdentity(services: ExtensionServices, args: Record<string, unknown>): PredictedIdentity | undefined {
  const username = stringArg(args, 'username');
  const groups = stringListArg(args, 'groups');
  if (username !== undefined || groups !== undefined) return { username: username ?? '', groups: groups ?? [] };
  const review = services.session.lastLogin?.review;
  if (review?.authenticated && review.username) return { username: review.username, groups: review.groups };
  const group = configuredAdminGroup(services);
  return group ? { username: '', groups: [group] } : undefined;
}

/** The admin group as the API server will name it: the configured groups prefix + the setting's group. */
function configuredAdminGroup(services: ExtensionServices): string | undefined {
  const adminGroup = services.settings().adminGroup;
  if (!adminGroup) return undefined;
  for (const parsed of services.workspace.authConfigs()) {
    for (const identity of identitiesOf(parsed)) {
      if (identity.groups && identity.groups.expression === undefined) return `${identity.groups.prefix}${adminGroup}`;
    }
  }
  return undefined;
}

function describeIdentity(identity: PredictedIdentity): string {
  const parts = [];
  if (identity.username) parts.push(`user "${identity.username}"`);
  if (identity.groups.length > 0) parts.push(`groups ${identity.groups.map((group) => `"${group}"`).join(', ')}`);
  return parts.join(' and ') || 'an identity with no groups';
}

// --- commands -----------------------------------------------------------------------------------

export class ShowMatchingBindingsCommand implements Command {
  readonly id = COMMAND.showMatchingBindings;
  constructor(
    private readonly services: ExtensionServices,
    private readonly load: () => LazyClusterModule,
  ) {}

  async execute(argument?: unknown) {
    const args = argumentObject(argument);
    let identity = predictedIdentity(this.services, args);
    if (!identity) {
      const group = await vscode.window.showInputBox({
        title: 'Which group should the bindings name?',
        prompt:
          'No test login and no OIDC groups settings in the workspace: enter the group as the API server names it (with its prefix).',
        value: 'oidc:kubernetes',
        ignoreFocusOut: true,
      });
      if (!group) return undefined;
      identity = { username: '', groups: [group.trim()] };
    }
    const target = await chooseTarget(this.services, args, 'admin');
    if (!target) return undefined;
    const cluster = this.load();
    try {
      const found = await withProgress('looking for matching bindings…', async () => {
        const connection = cluster.openConnection({
          kubeconfigText: target.text,
          kubeconfigPath: target.file,
          context: target.context,
        });
        return cluster.listMatchingBindings(connection, identity);
      });
      const own = [...found.clusterRoleBindings, ...found.roleBindings].filter((match) => !match.onlyViaAuthenticated);
      const lines = [...found.clusterRoleBindings, ...found.roleBindings].map(
        (match) =>
          `${match.kind} ${match.namespace ? `${match.namespace}/` : ''}${match.name} → ${match.roleRef.kind} ${match.roleRef.name} (via ${match.matchedSubjects.map((subject) => `${subject.kind} ${subject.name}`).join(', ')})`,
      );
      this.services.log.info(
        `Bindings on the cluster (${target.context}) for ${describeIdentity(identity)}:\n${lines.join('\n') || '(none)'}`,
      );
      const details = 'Show details';
      if (own.length === 0) {
        const apply = 'Apply a ClusterRoleBinding…';
        void vscode.window
          .showWarningMessage(
            `Talos OIDC: no binding on the cluster names ${describeIdentity(identity)} (checked ${found.scanned.clusterRoleBindings} ClusterRoleBindings, ${found.scanned.roleBindings} RoleBindings). OIDC users would be allowed nothing.`,
            apply,
            details,
          )
          .then((answer) => {
            if (answer === apply)
              void vscode.commands.executeCommand(COMMAND.applyClusterRoleBinding, {
                kubeconfigPath: target.file,
                context: target.context,
              });
            if (answer === details) this.services.log.show(true);
          });
      } else {
        void vscode.window
          .showInformationMessage(
            `Talos OIDC: ${own.length} binding(s) on the cluster name ${describeIdentity(identity)}: ${own.map((match) => `${match.name} (${match.roleRef.name})`).join(', ')}.`,
            details,
          )
          .then((answer) => {
            if (answer === details) this.services.log.show(true);
          });
      }
      return found;
    } catch (error) {
      return reportClusterError(this.services, cluster, error, 'list the bindings on the cluster');
    }
  }
}

const ROLE_CHOICES = [
  {
    label: 'cluster-admin',
    detail: 'Full control of the cluster. Every member of the group gets it: keep the group small.',
  },
  { label: 'admin', detail: 'Manage most objects, including RBAC inside namespaces.' },
  { label: 'edit', detail: 'Create and change workloads; no RBAC.' },
  { label: 'view', detail: 'Read most objects; no secrets.' },
];

export class ApplyClusterRoleBindingCommand implements Command {
  readonly id = COMMAND.applyClusterRoleBinding;
  constructor(
    private readonly services: ExtensionServices,
    private readonly load: () => LazyClusterModule,
  ) {}

  async execute(argument?: unknown) {
    const args = argumentObject(argument);
    const spec = await this.spec(args);
    if (!spec) return undefined;
    const target = await chooseTarget(this.services, args, 'admin');
    if (!target) return undefined;
    const cluster = this.load();
    const confirm = booleanArg(args, 'confirm');
    try {
      const connection = cluster.openConnection({
        kubeconfigText: target.text,
        kubeconfigPath: target.file,
        context: target.context,
      });
      const plan = await withProgress('server-side dry run…', () =>
        cluster.applyClusterRoleBinding(connection, spec, { dryRun: true }),
      );
      const planText = cluster.describePlan(plan);
      this.services.log.info(`Dry run on ${target.context}:\n${planText}`);
      if (plan.change === 'unchanged') {
        void vscode.window.showInformationMessage(`Talos OIDC: ${planText}`);
        return { dryRun: planText, change: plan.change };
      }
      if (confirm === false) return { dryRun: planText, change: plan.change };
      if (confirm !== true) {
        const apply = 'Apply';
        const answer = await vscode.window.showWarningMessage(
          `Apply this ClusterRoleBinding to the cluster of context "${target.context}"?`,
          { modal: true, detail: `Server-side dry run:\n${planText}` },
          apply,
        );
        if (answer !== apply) return { dryRun: planText, change: plan.change };
      }
      const applied = await withProgress('applying the ClusterRoleBinding…', () =>
        cluster.applyClusterRoleBinding(connection, spec, { dryRun: false }),
      );
      const appliedText = cluster.describePlan(applied);
      this.services.log.info(`Applied on ${target.context}:\n${appliedText}`);
      void vscode.window.showInformationMessage(`Talos OIDC: ${appliedText}`);
      return { dryRun: planText, applied: appliedText, change: applied.change };
    } catch (error) {
      return reportClusterError(this.services, cluster, error, `apply the ClusterRoleBinding "${spec.name}"`);
    }
  }

  private async spec(args: Record<string, unknown>): Promise<ClusterRoleBindingSpec | undefined> {
    const user = stringArg(args, 'user');
    let group = stringArg(args, 'group');
    if (!group && !user) {
      const suggested =
        configuredAdminGroup(this.services) ??
        this.services.session.lastLogin?.review.groups.find((name) => !name.startsWith('system:'));
      group = (
        await vscode.window.showInputBox({
          title: 'Group to bind (as the API server names it, prefix included)',
          value: suggested ?? 'oidc:kubernetes',
          ignoreFocusOut: true,
          validateInput: (value) => (value.trim() ? undefined : 'A group is required'),
        })
      )?.trim();
      if (!group) return undefined;
    }
    let clusterRole = stringArg(args, 'clusterRole');
    if (!clusterRole) {
      clusterRole = (
        await vscode.window.showQuickPick(ROLE_CHOICES, { title: 'Which ClusterRole?', ignoreFocusOut: true })
      )?.label;
      if (!clusterRole) return undefined;
    }
    const subjects: ClusterRoleBindingSpec['subjects'] = [];
    if (group) subjects.push({ kind: 'Group', name: group });
    if (user) subjects.push({ kind: 'User', name: user });
    const name = stringArg(args, 'name') ?? objectNameFrom(`${group ?? user}-${clusterRole}`);
    const problem = validateObjectName(name);
    if (problem) throw new UserError(`"${name}" cannot be a ClusterRoleBinding name: ${problem}.`);
    return { name, clusterRole, subjects };
  }
}

export class WhoAmICommand implements Command {
  readonly id = COMMAND.whoAmI;
  constructor(
    private readonly services: ExtensionServices,
    private readonly load: () => LazyClusterModule,
  ) {}

  async execute(argument?: unknown) {
    const args = argumentObject(argument);
    const target = await chooseTarget(this.services, args, 'oidc');
    if (!target) return undefined;
    const token = stringArg(args, 'token');
    const predicted = predictedIdentity(this.services, args);
    const knownCauses = this.knownCauses(target, token !== undefined);
    const cluster = this.load();
    try {
      const result = await withProgress(
        token
          ? 'asking the API server who the token is…'
          : 'asking the API server who you are (kubelogin may open the browser)…',
        async () => {
          // An exec user may open a browser for the login: give it kubelogin's own 180 s and more.
          const connection = cluster.openConnection({
            kubeconfigText: target.text,
            kubeconfigPath: target.file,
            context: target.context,
            bearerToken: token,
            requestTimeoutMs: token ? 30_000 : 200_000,
          });
          return cluster.verifyOidcUser(connection, predicted?.username ? predicted : undefined, knownCauses);
        },
      );
      const lines = cluster.describeVerification(result);
      this.services.log.info(`Who am I (${target.context}):\n${lines.join('\n')}`);
      const differs = result.comparison !== undefined && !result.comparison.same;
      if (differs && !token) {
        // The API server's answer disagrees with the prediction: kubelogin's cache may hold a token
        // issued before the provider's groups changed (the usual stale-cache case).
        const clean = 'Clear kubelogin token cache';
        void vscode.window
          .showWarningMessage(
            `Talos OIDC: ${lines.join(' ')} A token cached by kubelogin before a change at the provider gives exactly this.`,
            clean,
          )
          .then((answer) => {
            if (answer === clean) void vscode.commands.executeCommand(COMMAND.cleanKubeloginCache);
          });
      } else {
        const show = differs ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
        void show(`Talos OIDC: ${lines.join(' ')}`);
      }
      return {
        username: result.whoAmI?.userInfo.username,
        groups: result.whoAmI?.userInfo.groups ?? [],
        matchesPrediction: result.comparison?.same,
        differences: result.comparison?.differences ?? [],
        access: result.access.map((access) => ({ label: access.check.label, allowed: access.allowed })),
      };
    } catch (error) {
      return reportClusterError(this.services, cluster, error, 'ask the API server who the user is');
    }
  }

  /**
   * What the core already knows could make the API server refuse this user: the test login's
   * predicted rejection, and the kubeconfig checks' findings on the context's exec user.
   */
  private knownCauses(target: Target, withToken: boolean): string[] | undefined {
    const causes: string[] = [];
    const review = this.services.session.lastLogin?.review;
    if (review && review.authenticated === false && review.error)
      causes.push(`the configuration predicts a rejection: ${review.error}`);
    if (!withToken) {
      try {
        const userName = kubeconfigNames(target.text, target.file).contexts.find(
          (context) => context.name === target.context,
        )?.user;
        const parsed = parseYamlFile(target.file, target.text);
        const user = parsed.kubeconfigUsers.find((candidate) => candidate.name === userName);
        if (user) {
          const findings = checkParsedFile(parsed, this.services.workspace.index, this.services.settings()).filter(
            (finding) =>
              finding.severity !== 'info' &&
              finding.range.startOffset >= user.range.startOffset &&
              finding.range.endOffset <= user.range.endOffset,
          );
          causes.push(...findings.map((finding) => `${finding.code}: ${finding.message}`));
        }
      } catch {
        // The checks are a bonus here; the API server's own answer is shown regardless.
      }
    }
    return causes.length > 0 ? causes : undefined;
  }
}

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
    return checkParsedFile(parsed, this.services.workspace.index, this.services.settings()).filter((finding) =>
      LOCKOUT_CODES.has(finding.code),
    );
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
