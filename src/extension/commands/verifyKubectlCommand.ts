import type { ExtensionServices } from '../services';
import { type Command } from './commandManager';
import { runProcessTask } from '../tasks/processTask';
import { defaultKubeconfigLocation } from '../../core/kubeconfig/location';
import { COMMAND } from '../commandIds';

/**
 * The walkthrough's last step: run `kubectl get pods` in a terminal the user can watch, against
 * the kubeconfig that **Add kubeconfig User** writes when `talosOidc.kubeconfigPath` names one
 * (otherwise kubectl's own choice: KUBECONFIG, then ~/.kube/config).
 */
export class VerifyKubectlCommand implements Command {
  readonly id = COMMAND.verifyKubectl;

  constructor(private readonly services: ExtensionServices) {}

  async execute(): Promise<void> {
    const location = defaultKubeconfigLocation({ setting: this.services.settings().kubeconfigPath });
    const args =
      location.source === 'setting'
        ? ['kubectl', '--kubeconfig', location.path, 'get', 'pods']
        : ['kubectl', 'get', 'pods'];
    // A process with an argument vector (a task), not text typed into the user's shell.
    await runProcessTask('kubectl get pods', args);
  }
}
