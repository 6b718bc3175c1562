/**
 * Issue 13: an opened repository must not choose the CA the test login trusts, the kubeconfig
 * that gets written, or where the authorization code goes; and in Restricted Mode nothing runs.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { acceptanceKey, TRUST_SENSITIVE_SETTINGS, workspaceChoice } from '../../../../src/core/settings/trust';
import { COMMANDS_NEEDING_TRUST } from '../../../../src/extension/commandIds';

const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8'));

describe('hardening: workspace trust', () => {
  it("declares limited support for untrusted workspaces, ignoring the workspace's trust-sensitive settings", () => {
    const untrusted = pkg.capabilities?.untrustedWorkspaces;
    assert.equal(untrusted?.supported, 'limited');
    assert.match(untrusted.description, /Restricted Mode/);
    assert.deepEqual(
      [...untrusted.restrictedConfigurations].sort(),
      TRUST_SENSITIVE_SETTINGS.map((key) => `talosOidc.${key}`).sort(),
    );
  });

  it('disables every command that runs a program, contacts the network or writes outside the workspace in Restricted Mode', () => {
    const commands = new Map<string, { enablement?: string }>(
      pkg.contributes.commands.map((command: { command: string }) => [command.command, command]),
    );
    for (const id of COMMANDS_NEEDING_TRUST) {
      assert.ok(commands.has(id), `${id} is not a contributed command`);
      assert.match(commands.get(id)!.enablement ?? '', /isWorkspaceTrusted/, id);
    }
  });

  it("the CA file and the kubeconfig path can only come from the user's own settings", () => {
    const properties = pkg.contributes.configuration.properties;
    assert.equal(properties['talosOidc.caFile'].scope, 'machine');
    assert.equal(properties['talosOidc.kubeconfigPath'].scope, 'machine');
  });

  it("a workspace value that differs from the user's own needs confirmation; the same value or none does not", () => {
    assert.deepEqual(workspaceChoice({ globalValue: undefined, workspaceValue: 'http://localhost:9999' }), {
      value: 'http://localhost:9999',
    });
    assert.deepEqual(workspaceChoice({ workspaceValue: ['127.0.0.1:1'], workspaceFolderValue: ['127.0.0.1:2'] }), {
      value: ['127.0.0.1:2'],
    });
    assert.equal(workspaceChoice({ globalValue: ['127.0.0.1:8000'], workspaceValue: ['127.0.0.1:8000'] }), undefined);
    assert.equal(workspaceChoice({ globalValue: 'x' }), undefined);
    assert.notEqual(
      acceptanceKey('redirectUrl', 'http://localhost:1'),
      acceptanceKey('redirectUrl', 'http://localhost:2'),
    );
  });
});
