import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMAND, COMMANDS_NEEDING_TRUST, EAGER_COMMANDS, LAZY_COMMANDS } from '../../../src/extension/commandIds';

const root = join(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const contributes = manifest.contributes;
const ours = (id: string) => id.startsWith('talosOidc.');
const ids = new Set<string>(Object.values(COMMAND));

/** The `command:<id>` links in a piece of markdown (walkthrough steps, welcome views). */
function commandLinks(text: string): string[] {
  return [...text.matchAll(/command:([\w.]+)/g)].map((match) => match[1]).filter(ours);
}

describe('command IDs', () => {
  it('package.json contributes exactly the commands of the COMMAND table', () => {
    const contributed: string[] = contributes.commands.map((command: { command: string }) => command.command);
    assert.equal(new Set(contributed).size, contributed.length, 'a command is contributed twice');
    assert.deepEqual([...contributed].sort(), [...ids].sort());
  });

  it('menus and keybindings name only those commands', () => {
    const named: string[] = [];
    for (const entries of Object.values(contributes.menus ?? {}) as { command?: string }[][]) {
      for (const entry of entries) if (entry.command) named.push(entry.command);
    }
    for (const binding of contributes.keybindings ?? []) named.push(binding.command);
    assert.ok(named.length > 0, 'no menu entries found: the test reads the wrong place');
    assert.deepEqual(
      named.filter((id) => ours(id) && !ids.has(id)),
      [],
    );
  });

  it('walkthrough steps, their markdown and the welcome views link only to those commands', () => {
    const links: string[] = [];
    for (const walkthrough of contributes.walkthroughs ?? []) {
      for (const step of walkthrough.steps) {
        links.push(...commandLinks(step.description ?? ''));
        if (step.media?.markdown) links.push(...commandLinks(readFileSync(join(root, step.media.markdown), 'utf8')));
        for (const event of step.completionEvents ?? []) {
          if (event.startsWith('onCommand:')) links.push(event.slice('onCommand:'.length));
        }
      }
    }
    for (const welcome of contributes.viewsWelcome ?? []) links.push(...commandLinks(welcome.contents));
    assert.ok(links.length > 0, 'no command links found: the test reads the wrong place');
    assert.deepEqual(
      links.filter((id) => !ids.has(id)),
      [],
    );
  });

  it('every command is either in the start-up bundle or in the lazy one, never both', () => {
    assert.deepEqual([...LAZY_COMMANDS, ...EAGER_COMMANDS].sort(), [...ids].sort());
  });

  it('the Restricted Mode list names known commands', () => {
    for (const id of COMMANDS_NEEDING_TRUST) assert.ok(ids.has(id), id);
  });
});
