/**
 * Issue 13: a file name from a repository must never become a command. The extension runs
 * talosctl as a process (argument vector); the line it shows for copying is quoted for the shell
 * it names, checked here against the real shells, and refused when it holds a control character.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  commandLine,
  nodeAddressesFromConfig,
  patchMachineConfigCommands,
  quoteArgument,
  shellKindOf,
  TalosctlInputError,
  type ShellKind,
} from '../../../../src/core/talosctl/index';
import { aliasBomb } from '../../../support/hostileShapes';

function hasShell(path: string): boolean {
  return existsSync(path);
}

/** Runs `printf` with the quoted arguments in a real shell; returns the arguments it received. */
function roundTrip(shellPath: string, shell: ShellKind, args: string[], cwd: string): string[] {
  const line = `printf '%s\\n' ${args.map((argument) => quoteArgument(argument, shell)).join(' ')}`;
  const printed = execFileSync(shellPath, ['-c', line], { encoding: 'utf8', cwd });
  return printed.replace(/\n$/, '').split('\n');
}

const HOSTILE_NAMES = [
  "x\\'; touch PWNED; #.yaml", // fish reads \' inside single quotes as an escaped quote
  "it's $(touch PWNED) `touch PWNED` $HOME.yaml",
  'back\\slash\\\\ and \\n.yaml',
  "a'b'c\\'d.yaml",
  'semi; touch PWNED | & > out.yaml',
];

describe('hardening: talosctl command lines for a terminal', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'talos-oidc-quote-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('recognises fish as its own shell (its single quotes differ from POSIX ones)', () => {
    assert.equal(shellKindOf('/usr/bin/fish', 'linux'), 'fish');
    assert.equal(shellKindOf('/opt/homebrew/bin/fish', 'darwin'), 'fish');
  });

  for (const [shellPath, name] of [
    ['/bin/bash', 'bash'],
    ['/bin/sh', 'sh'],
    ['/usr/bin/fish', 'fish'],
  ] as const) {
    it(`${name}: hostile file names reach the program unchanged and run nothing`, function () {
      if (!hasShell(shellPath)) this.skip(); // the shell is not installed on this machine (fish: apt-get install fish)
      const kind = shellKindOf(shellPath, 'linux');
      for (const hostile of HOSTILE_NAMES) {
        const argv = patchMachineConfigCommands(hostile, { nodes: ['10.0.0.2'] }).dryRun;
        assert.deepEqual(roundTrip(shellPath, kind, argv.slice(1), dir), argv.slice(1), hostile);
        assert.equal(existsSync(join(dir, 'PWNED')), false, `${name} ran a command from ${JSON.stringify(hostile)}`);
      }
    });
  }

  it('refuses control characters in every shell: Ctrl-U and a newline typed into an interactive shell rewrite and run the line', () => {
    for (const shell of ['posix', 'fish', 'powershell', 'cmd'] as const) {
      for (const hostile of [
        'patch\u0015touch PWNED\n.yaml',
        'a\nb.yaml',
        'esc\u001b]52;c;aGk=\u0007.yaml',
        'tab\t.yaml',
        'del\u007f.yaml',
        'c1\u009b.yaml',
        'ls\u2028.yaml',
      ]) {
        const argv = patchMachineConfigCommands(hostile, { nodes: ['10.0.0.2'] }).dryRun;
        assert.throws(() => commandLine(argv, shell), TalosctlInputError, `${shell}: ${JSON.stringify(hostile)}`);
      }
    }
  });

  it('PowerShell: the curly single quotes it also ends strings with are doubled, as the straight one is', () => {
    for (const quote of ["'", '\u2018', '\u2019', '\u201a', '\u201b']) {
      const name = `x${quote}; calc; ${quote}.yaml`;
      assert.equal(quoteArgument(name, 'powershell'), `'x${quote}${quote}; calc; ${quote}${quote}.yaml'`);
    }
  });
});

describe('hardening: node suggestions from the workspace', () => {
  it("an alias bomb beside a config neither throws nor hides the other documents' addresses", () => {
    const normal =
      'version: v1alpha1\nmachine:\n  type: controlplane\n  certSANs: [10.0.0.2]\ncluster:\n  controlPlane:\n    endpoint: https://cp.example.com:6443\n';
    const started = Date.now();
    const found = nodeAddressesFromConfig(`${aliasBomb(9)}---\n${normal}`);
    assert.deepEqual(
      found.map((candidate) => candidate.address),
      ['cp.example.com', '10.0.0.2'],
    );
    assert.ok(Date.now() - started < 2000);
  });
});
