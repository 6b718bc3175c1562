/**
 * Runs a program as a VS Code task with `ProcessExecution`: an argument vector handed to the
 * program, never text typed into a shell, so no file name can become a command. The task's
 * terminal shows the output; the promise gives the exit code.
 */
import * as vscode from 'vscode';

export const PROCESS_TASK_TYPE = 'talosOidc';

export interface ProcessTaskResult {
  /** The program's exit code; undefined when it could not be started (not installed) or was stopped. */
  exitCode: number | undefined;
}

let sequence = 0;

export async function runProcessTask(
  name: string,
  argv: string[],
  options: { cwd?: string } = {},
): Promise<ProcessTaskResult> {
  const [command, ...args] = argv;
  const id = `${Date.now()}-${++sequence}`;
  const scope =
    (options.cwd && vscode.workspace.getWorkspaceFolder(vscode.Uri.file(options.cwd))) || vscode.TaskScope.Workspace;
  const task = new vscode.Task(
    { type: PROCESS_TASK_TYPE, id },
    scope,
    name,
    'Talos OIDC',
    new vscode.ProcessExecution(command, args, { cwd: options.cwd }),
  );
  task.presentationOptions = {
    reveal: vscode.TaskRevealKind.Always,
    panel: vscode.TaskPanelKind.Dedicated,
    clear: true,
    showReuseMessage: false,
  };
  const ours = (execution: vscode.TaskExecution) =>
    execution.task.definition.type === PROCESS_TASK_TYPE && execution.task.definition.id === id;
  return new Promise<ProcessTaskResult>((resolve, reject) => {
    let exitCode: number | undefined;
    const subscriptions = [
      vscode.tasks.onDidEndTaskProcess((event) => {
        if (ours(event.execution)) exitCode = event.exitCode;
      }),
      // Fires after the process end (or alone, when the program could not be started).
      vscode.tasks.onDidEndTask((event) => {
        if (!ours(event.execution)) return;
        for (const subscription of subscriptions) subscription.dispose();
        resolve({ exitCode });
      }),
    ];
    vscode.tasks.executeTask(task).then(undefined, (error: unknown) => {
      for (const subscription of subscriptions) subscription.dispose();
      reject(error);
    });
  });
}
