import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const GO = join(__dirname, '..', '..', 'go');

describe('Talos judge programs (test/go/talos-*)', () => {
  it('share one harness.go: only talos.go and the pins differ between Talos versions', () => {
    const folders = readdirSync(GO)
      .filter((name) => name.startsWith('talos-'))
      .sort();
    assert.ok(folders.length >= 3, `one folder per supported Talos minor (${folders.join(', ')})`);
    const first = readFileSync(join(GO, folders[0], 'harness.go'), 'utf8');
    for (const folder of folders.slice(1))
      assert.equal(
        readFileSync(join(GO, folder, 'harness.go'), 'utf8'),
        first,
        `${folder}/harness.go differs from ${folders[0]}'s`,
      );
  });

  it('pins the machinery release its folder is named for', () => {
    for (const folder of readdirSync(GO).filter((name) => name.startsWith('talos-'))) {
      const minor = folder.slice('talos-'.length);
      const goMod = readFileSync(join(GO, folder, 'go.mod'), 'utf8');
      assert.match(
        goMod,
        new RegExp(`github\\.com/siderolabs/talos/pkg/machinery v${minor.replace('.', '\\.')}\\.\\d+\\b`),
      );
      assert.match(
        readFileSync(join(GO, folder, 'talos.go'), 'utf8'),
        new RegExp(`const talosMinor = "${minor.replace('.', '\\.')}"`),
      );
    }
  });
});
