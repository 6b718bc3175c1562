/**
 * The side panel's "kubelogin" row: the detected version, or how to install it on this platform
 * with a copy action per way. Detection runs the first time the row is drawn (never in activate),
 * is kept, and runs again on the view's Refresh.
 */
import * as vscode from 'vscode';
import { describeKubeloginStatus, detectKubelogin, type KubeloginStatus } from '../../core/kubelogin/detect';
import { installOptions } from '../../core/kubelogin/install';
import { DisposableOwner } from '../lifecycle';
import type { HostSystem } from '../state/hostSystem';
import type { ViewNode } from './viewNode';
import { COMMAND } from '../commandIds';

export const KUBELOGIN_NODE_ID = 'talosOidc.kubelogin';

export class KubeloginDetection extends DisposableOwner {
  private status: KubeloginStatus | undefined;
  private detecting: Promise<KubeloginStatus> | undefined;
  /** Results of a detection started before `forget` are dropped. */
  private generation = 0;
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** The status became known (the tree redraws the row). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly system: HostSystem) {
    super();
    // Other programs now: what was detected before no longer holds.
    this.register(
      system.onDidChange(() => {
        this.forget();
        this.changed.fire();
      }),
    );
  }

  /** The status when known; otherwise starts detecting (once) and answers `undefined` for now. */
  current(): KubeloginStatus | undefined {
    if (!this.status) void this.whenDetected();
    return this.status;
  }

  /** The status, detecting it first when it is not known. */
  whenDetected(): Promise<KubeloginStatus> {
    if (this.status) return Promise.resolve(this.status);
    if (this.detecting) return this.detecting;
    const generation = this.generation;
    const detecting = detectKubelogin({ runner: this.system.runner })
      .catch((error: unknown) => couldNotDetect(error))
      .then((status) => {
        if (generation === this.generation) {
          this.status = status;
          this.detecting = undefined;
          this.changed.fire();
        }
        return status;
      });
    this.detecting = detecting;
    return detecting;
  }

  /** Forget the status; the next draw detects again. */
  forget(): void {
    this.generation++;
    this.status = undefined;
    this.detecting = undefined;
  }
}

function couldNotDetect(error: unknown): KubeloginStatus {
  const problem = `the check failed: ${error instanceof Error ? error.message : String(error)}`;
  const probe = (name: string) => ({ probe: name, found: false, problem });
  return {
    kubectl: probe('kubectl version --client'),
    plugin: probe('kubectl-oidc_login --version'),
    standalone: probe('kubelogin --version'),
  };
}

/** What the row says: `kubectl oidc-login v1.32.0`, `kubelogin v1.32.0` or `not installed`. */
export function kubeloginDescription(status: KubeloginStatus | undefined): string {
  if (!status) return 'checking…';
  if (status.usable?.command === 'kubectl') return `kubectl oidc-login ${status.plugin.version ?? '(version unknown)'}`;
  if (status.usable?.command === 'kubelogin') return `kubelogin ${status.standalone.version ?? '(version unknown)'}`;
  return 'not installed';
}

export function kubeloginNode(status: KubeloginStatus | undefined, platform: string, arch: string): ViewNode {
  const check: vscode.Command = { title: 'Check kubelogin Installation', command: COMMAND.checkKubelogin };
  const base: ViewNode = {
    id: KUBELOGIN_NODE_ID,
    label: 'kubelogin',
    description: kubeloginDescription(status),
    tooltip: status ? describeKubeloginStatus(status) : 'Looking for kubectl oidc-login and kubelogin on PATH…',
    icon: new vscode.ThemeIcon(!status ? 'loading~spin' : status.usable ? 'pass' : 'warning'),
    contextValue: status && !status.usable ? 'talosOidc.kubeloginMissing' : 'talosOidc.kubelogin',
    command: check,
  };
  if (!status || status.usable) return base;
  const children = installOptions(platform, arch).map((option): ViewNode => {
    const node: ViewNode = {
      id: `${KUBELOGIN_NODE_ID}#install:${option.method}`,
      label: option.label,
      description: option.command.split('\n')[0] + (option.command.includes('\n') ? ' …' : ''),
      tooltip: option.note ? `${option.command}\n\n(${option.note})` : option.command,
      icon: new vscode.ThemeIcon('terminal'),
      contextValue: 'talosOidc.installCommand',
      copyText: option.command,
    };
    node.command = { title: 'Copy Install Command', command: COMMAND.copyInstallCommand, arguments: [node] };
    return node;
  });
  return { ...base, children, expanded: true };
}

/** `talosOidc.copyInstallCommand`: from an install row (its argument) to the clipboard. */
export function registerKubeloginViewCommands(): vscode.Disposable {
  return vscode.commands.registerCommand(
    COMMAND.copyInstallCommand,
    async (node?: ViewNode | string): Promise<string | undefined> => {
      const text = typeof node === 'string' ? node : node?.copyText;
      if (!text) {
        void vscode.window.showWarningMessage(
          "Talos OIDC: choose an install command in the side panel's kubelogin row to copy it.",
        );
        return undefined;
      }
      await vscode.env.clipboard.writeText(text);
      void vscode.window.showInformationMessage(
        'Talos OIDC: install command copied. Run it in a terminal, then press Refresh in the side panel.',
      );
      return text;
    },
  );
}
