import * as vscode from 'vscode';
import { describeKubeloginStatus, detectKubelogin, type KubeloginStatus } from '../../core/kubelogin/detect';
import { installOptions } from '../../core/kubelogin/install';
import { type Command } from '../commands/commandManager';
import type { ExtensionServices } from '../services';
import { COMMAND } from '../commandIds';

/** `talosOidc.checkKubelogin`: the version, or how to install it here, with a copy action. */
export class CheckKubeloginCommand implements Command {
  readonly id = COMMAND.checkKubelogin;
  constructor(private readonly services: ExtensionServices) {}

  async execute(): Promise<KubeloginStatus> {
    const status = await detectKubelogin();
    const summary = describeKubeloginStatus(status);
    this.services.log.info(`${this.id}: ${summary}`);
    if (status.usable) {
      void vscode.window.showInformationMessage(`Talos OIDC: ${summary}`);
      return status;
    }
    void this.offerInstall(summary);
    return status;
  }

  private async offerInstall(summary: string): Promise<void> {
    const options = installOptions(process.platform, process.arch);
    const first = options[0];
    const copy = `Copy: ${first.command.split('\n')[0]}`;
    const others = 'Other ways…';
    const answer = await vscode.window.showWarningMessage(
      `Talos OIDC: ${summary} Install it with \`${first.command.split('\n')[0]}\`.`,
      copy,
      others,
    );
    let chosen = answer === copy ? first : undefined;
    if (answer === others) {
      const picked = await vscode.window.showQuickPick(
        options.map((option) => ({
          label: option.label,
          description: option.command.split('\n')[0],
          detail: option.note,
          option,
        })),
        { title: 'Install kubelogin (int128/kubelogin)', placeHolder: 'The command is copied to the clipboard' },
      );
      chosen = picked?.option;
    }
    if (!chosen) return;
    await vscode.env.clipboard.writeText(chosen.command);
    void vscode.window.showInformationMessage(
      `Talos OIDC: copied. Run it in a terminal, then check again.${chosen.note ? ` Note: ${chosen.note}.` : ''}`,
    );
  }
}
