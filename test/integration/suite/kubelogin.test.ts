// The side panel's kubelogin row and TOIDC413 (exec command not installed), through VS Code's API.
// Which programs this machine has must not matter: the row's probes go through a stand-in runner
// (the extension's test-only command), and the PATH lookup runs for real against a temporary folder that
// the test fills with stand-in executables.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TalosOidcApi } from '../../../src/extension/api';
import { TEST_HOOK } from '../../../src/extension/commandIds';
import type { ViewNode } from '../../../src/extension/view/viewNode';
import type { ProcessResult, ProcessRunner } from '../../../src/core/kubelogin/process';
import { installOptions } from '../../../src/core/kubelogin/install';
import {
  activateExtension,
  codeOf,
  deleteWorkspaceFile,
  EXTENSION_ID,
  hasCode,
  lacksCode,
  revertAll,
  waitForDiagnostics,
} from './editorHelpers';

interface Manifest {
  contributes: { menus: Record<string, { command: string; when?: string }[]> };
}

/** A runner that answers from a table (missing name: "not on PATH") and records what ran. */
function fakeRunner(answers: Record<string, string>): ProcessRunner & { calls: string[] } {
  const calls: string[] = [];
  const runner: ProcessRunner = async (command) => {
    calls.push(command);
    const output = answers[command];
    const result: ProcessResult =
      output === undefined
        ? {
            exitCode: null,
            stdout: '',
            stderr: '',
            failure: { kind: 'not-found', message: `${command} is not on PATH` },
          }
        : { exitCode: 0, stdout: output, stderr: '' };
    return result;
  };
  return Object.assign(runner, { calls });
}

/** The kubelogin probes run through this runner (undefined: the real programs). */
async function useRunner(runner: ProcessRunner | undefined): Promise<void> {
  await vscode.commands.executeCommand(TEST_HOOK.useProcessRunner, runner);
}

/** Program lookups search this environment's PATH (undefined: the extension host's own). */
async function useEnvironment(env: NodeJS.ProcessEnv | undefined): Promise<void> {
  await vscode.commands.executeCommand(TEST_HOOK.useEnvironment, env);
}

describe('kubelogin in the side panel and TOIDC413', () => {
  let api: TalosOidcApi;
  before(async () => {
    api = await activateExtension();
  });
  afterEach(async () => {
    await useRunner(undefined);
    await useEnvironment(undefined);
    // The real probes run once the row is drawn again; let them finish here, not in the next suite.
    await api.treeDataProvider.kubelogin.whenDetected();
    await revertAll();
  });

  function kubeloginRow(): ViewNode {
    const node = api.treeDataProvider.getChildren().find((candidate) => candidate.label === 'kubelogin');
    assert.ok(
      node,
      `no kubelogin row at the top of the tree: ${api.treeDataProvider
        .getChildren()
        .map((n) => n.label)
        .join(', ')}`,
    );
    return node;
  }

  it('missing: "not installed", the install commands for this platform with a copy action, detected once until Refresh', async () => {
    const runner = fakeRunner({});
    await useRunner(runner);
    assert.deepEqual(runner.calls, [], 'nothing runs before the tree is drawn');

    assert.equal(kubeloginRow().description, 'checking…');
    await api.treeDataProvider.kubelogin.whenDetected();
    const row = kubeloginRow();
    assert.equal(row.description, 'not installed');
    assert.deepEqual([...runner.calls].sort(), ['kubectl', 'kubectl-oidc_login', 'kubelogin']);
    const item = api.treeDataProvider.getTreeItem(row);
    assert.equal(item.command?.command, 'talosOidc.checkKubelogin');
    assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.Expanded);

    const options = installOptions(process.platform, process.arch);
    assert.deepEqual(
      row.children?.map((child) => child.label),
      options.map((option) => option.label),
    );
    const menus = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as Manifest).contributes.menus[
      'view/item/context'
    ];
    const inline = menus.find((entry) => entry.command === 'talosOidc.copyInstallCommand');
    assert.ok(
      inline?.when?.includes(`viewItem == ${row.children![0].contextValue}`),
      'the install rows have an inline copy action',
    );

    const first = api.treeDataProvider.getTreeItem(row.children![0]);
    assert.equal(first.command?.command, 'talosOidc.copyInstallCommand');
    const copied = await vscode.commands.executeCommand<string>(
      first.command!.command,
      ...(first.command!.arguments ?? []),
    );
    assert.equal(copied, options[0].command);
    assert.equal(await vscode.env.clipboard.readText(), options[0].command);

    kubeloginRow();
    assert.equal(runner.calls.length, 3, 'the result is kept: drawing again runs nothing');

    // Installed in the meantime: Refresh detects again.
    runner.calls.length = 0;
    const installed = fakeRunner({
      kubectl: '{"clientVersion": {"gitVersion": "v1.33.1"}}',
      'kubectl-oidc_login': 'kubelogin version v1.32.0',
      kubelogin: 'kubelogin version v1.32.0',
    });
    await useRunner(installed);
    await vscode.commands.executeCommand('talosOidc.refreshView');
    kubeloginRow();
    await api.treeDataProvider.kubelogin.whenDetected();
    assert.equal(kubeloginRow().description, 'kubectl oidc-login v1.32.0');
    assert.equal(installed.calls.length, 3);
    assert.equal(runner.calls.length, 0);
  });

  it('installed: the version, no install rows; Refresh runs the probes again', async () => {
    const runner = fakeRunner({ kubelogin: 'kubelogin version v1.31.1' });
    await useRunner(runner);
    kubeloginRow();
    await api.treeDataProvider.kubelogin.whenDetected();
    const row = kubeloginRow();
    assert.equal(row.description, 'kubelogin v1.31.1', 'only the standalone kubelogin is there');
    assert.equal(row.children, undefined);
    assert.match(String(row.tooltip), /command: kubelogin/);
    assert.equal(runner.calls.length, 3);

    await vscode.commands.executeCommand('talosOidc.refreshView');
    kubeloginRow();
    await api.treeDataProvider.kubelogin.whenDetected();
    assert.equal(runner.calls.length, 6);
  });

  it('TOIDC413 on kubeconfig users whose program is not on PATH, gone after installing and Refresh', async () => {
    const folder = await fs.mkdtemp(join(tmpdir(), 'toidc413-'));
    const pluginFile = join(folder, 'plugin.yaml');
    const standaloneFile = join(folder, 'standalone.yaml');
    const bin = join(folder, 'bin');
    await fs.mkdir(bin);
    const program = (name: string) => fs.writeFile(join(bin, name), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const user = (command: string, args: string[]) =>
      [
        'apiVersion: v1',
        'kind: Config',
        'users:',
        '  - name: oidc',
        '    user:',
        '      exec:',
        '        apiVersion: client.authentication.k8s.io/v1',
        `        command: ${command}`,
        '        interactiveMode: Never',
        '        args:',
        ...args.map((arg) => `          - ${arg}`),
        '          - --oidc-issuer-url=https://id.example.com',
        '          - --oidc-client-id=3c9a1f0e-5b7d-4e2a-9c61-0d8f2b4a7e13',
        '',
      ].join('\n');
    try {
      await program('kubectl');
      await useEnvironment({ PATH: bin });
      await fs.writeFile(pluginFile, user('kubectl', ['oidc-login', 'get-token']));
      await fs.writeFile(standaloneFile, user('kubelogin', ['get-token']));
      const pluginUri = vscode.Uri.file(pluginFile);
      const standaloneUri = vscode.Uri.file(standaloneFile);
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(pluginUri));
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(standaloneUri), { preview: false });

      const pluginMissing = (
        await waitForDiagnostics(pluginUri, hasCode('TOIDC413'), 'TOIDC413 for the missing plugin')
      ).filter((d) => codeOf(d) === 'TOIDC413');
      assert.equal(pluginMissing.length, 1, 'kubectl is there: only the plugin is reported');
      assert.deepEqual([pluginMissing[0].range.start.line, pluginMissing[0].range.start.character], [10, 12]);
      assert.equal(pluginMissing[0].severity, vscode.DiagnosticSeverity.Warning);
      assert.match(pluginMissing[0].message, /kubectl-oidc_login/);

      const kubeloginMissing = (
        await waitForDiagnostics(standaloneUri, hasCode('TOIDC413'), 'TOIDC413 for the missing kubelogin')
      ).filter((d) => codeOf(d) === 'TOIDC413');
      assert.deepEqual(
        kubeloginMissing.map((d) => [d.range.start.line, d.range.start.character, d.range.end.character]),
        [[7, 17, 26]],
      );
      assert.match(kubeloginMissing[0].message, /`kubelogin` is not installed/);

      // The user installs both and presses Refresh in the side panel.
      await program('kubectl-oidc_login');
      await program('kubelogin');
      await vscode.commands.executeCommand('talosOidc.refreshView');
      await waitForDiagnostics(pluginUri, lacksCode('TOIDC413'), 'TOIDC413 gone once the plugin is installed');
      await waitForDiagnostics(standaloneUri, lacksCode('TOIDC413'), 'TOIDC413 gone once kubelogin is installed');
    } finally {
      // Deleted as the explorer does, so the extension's index lets the two kubeconfigs go.
      for (const file of [pluginFile, standaloneFile]) await deleteWorkspaceFile(vscode.Uri.file(file));
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await fs.rm(folder, { recursive: true, force: true });
    }
  });
});
