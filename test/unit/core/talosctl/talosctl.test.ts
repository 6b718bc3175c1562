import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  applyConfigCommands,
  commandLine,
  dryRunThenApply,
  nodeAddressesFromConfig,
  patchMachineConfigCommands,
  quoteArgument,
  shellKindOf,
  TalosctlInputError,
} from '../../../../src/core/talosctl/index';

// talosctl cannot be installed where these tests run, so they check the command lines built.

describe('talosctl command lines', () => {
  it('builds the patch dry run and the real patch for the control-plane nodes', () => {
    const pair = patchMachineConfigCommands('patches/oidc.yaml', {
      nodes: ['10.0.0.2', '10.0.0.3'],
      talosconfig: './talosconfig',
    });
    assert.deepEqual(pair.dryRun, [
      'talosctl',
      'patch',
      'machineconfig',
      '--nodes',
      '10.0.0.2,10.0.0.3',
      '--talosconfig',
      './talosconfig',
      '--patch',
      '@patches/oidc.yaml',
      '--dry-run',
    ]);
    assert.deepEqual(pair.apply, pair.dryRun.slice(0, -1));
  });

  it('builds apply-config with a mode and endpoints', () => {
    const pair = applyConfigCommands('controlplane.yaml', {
      nodes: ['cp1.example.com'],
      endpoints: ['10.0.0.10'],
      mode: 'no-reboot',
    });
    assert.equal(
      commandLine(pair.dryRun, 'posix'),
      'talosctl apply-config --nodes cp1.example.com --endpoints 10.0.0.10 --file controlplane.yaml --mode no-reboot --dry-run',
    );
  });

  it('refuses missing nodes and addresses that are not addresses', () => {
    assert.throws(() => patchMachineConfigCommands('p.yaml', { nodes: [] }), TalosctlInputError);
    assert.throws(
      () => patchMachineConfigCommands('p.yaml', { nodes: ['10.0.0.2; rm -rf /'] }),
      /not a host name or IP address/,
    );
  });

  it('quotes paths so that a POSIX shell passes them through unchanged', () => {
    const awkward = '/home/ada/my configs/it\'s $HOME `x` "q".yaml';
    const pair = patchMachineConfigCommands(awkward, { nodes: ['fd00::1'] });
    const line = commandLine(pair.dryRun, 'posix');
    // Let a real shell split the line and print each argument on its own line.
    const printed = execFileSync('/bin/sh', ['-c', `printf '%s\\n' ${line.replace(/^talosctl /, '')}`], {
      encoding: 'utf8',
    });
    assert.deepEqual(printed.trimEnd().split('\n'), pair.dryRun.slice(1));
  });

  it('quotes for PowerShell: @ and commas would otherwise be splatting and arrays', () => {
    assert.equal(quoteArgument('@C:\\Talos\\oidc patch.yaml', 'powershell'), "'@C:\\Talos\\oidc patch.yaml'");
    assert.equal(quoteArgument('10.0.0.2,10.0.0.3', 'powershell'), "'10.0.0.2,10.0.0.3'");
    assert.equal(quoteArgument("it's", 'powershell'), "'it''s'");
    assert.equal(quoteArgument('--dry-run', 'powershell'), '--dry-run');
  });

  it('refuses what cmd.exe cannot pass literally', () => {
    assert.equal(quoteArgument('C:\\my dir\\p.yaml', 'cmd'), '"C:\\my dir\\p.yaml"');
    assert.throws(() => quoteArgument('100%.yaml', 'cmd'), TalosctlInputError);
  });

  it('runs the real apply only after a successful dry run', () => {
    const pair = patchMachineConfigCommands('p.yaml', { nodes: ['10.0.0.2'] });
    assert.equal(
      dryRunThenApply(pair, 'posix'),
      'talosctl patch machineconfig --nodes 10.0.0.2 --patch @p.yaml --dry-run && talosctl patch machineconfig --nodes 10.0.0.2 --patch @p.yaml',
    );
    assert.match(dryRunThenApply(pair, 'powershell'), /--dry-run; if \(\$LASTEXITCODE -eq 0\) \{ talosctl .* \}$/);
  });

  it("recognises the terminal's shell", () => {
    assert.equal(shellKindOf('/bin/bash', 'linux'), 'posix');
    assert.equal(shellKindOf('C:\\Program Files\\PowerShell\\7\\pwsh.exe', 'win32'), 'powershell');
    assert.equal(shellKindOf('C:\\Windows\\System32\\cmd.exe', 'win32'), 'cmd');
    assert.equal(shellKindOf(undefined, 'win32'), 'powershell');
  });
});

describe('node addresses from a Talos config', () => {
  it('offers the control-plane endpoint host and the certSANs, without placeholders or duplicates', () => {
    const config = [
      'version: v1alpha1',
      'machine:',
      '  type: controlplane',
      '  certSANs:',
      '    - 10.0.0.2',
      '    - cp1.example.com',
      '    - <node ip>',
      'cluster:',
      '  controlPlane:',
      '    endpoint: https://[fd00::10]:6443',
      '  apiServer:',
      '    certSANs: [10.0.0.2, api.example.com]',
      '---',
      'apiVersion: v1alpha1',
      'kind: KubeAuthenticationConfig',
      'configuration: {}',
      '',
    ].join('\n');
    assert.deepEqual(nodeAddressesFromConfig(config), [
      { address: 'fd00::10', source: 'cluster.controlPlane.endpoint' },
      { address: '10.0.0.2', source: 'machine.certSANs' },
      { address: 'cp1.example.com', source: 'machine.certSANs' },
      { address: 'api.example.com', source: 'cluster.apiServer.certSANs' },
    ]);
  });

  it('suggests every machine.certSANs entry of a long list (the checks leave such lists out; the suggestions must not)', () => {
    const sans = Array.from({ length: 100 }, (_, i) => `10.1.${Math.floor(i / 250)}.${(i % 250) + 1}`);
    const config = [
      'version: v1alpha1',
      'machine:',
      '  type: controlplane',
      '  certSANs:',
      ...sans.map((san) => `    - ${san}`),
      'cluster:',
      '  controlPlane:',
      '    endpoint: https://cp.example.com:6443',
      '',
    ].join('\n');
    const suggested = nodeAddressesFromConfig(config);
    assert.deepEqual(
      suggested.filter((candidate) => candidate.source === 'machine.certSANs').map((candidate) => candidate.address),
      sans,
    );
  });

  it('gives nothing for broken YAML instead of throwing', () => {
    assert.deepEqual(nodeAddressesFromConfig('cluster: [unclosed'), []);
  });
});
