/** Typing produces every half-finished shape of a file: no check may throw or give up on one. */
import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { checkFiles } from '../../../../src/core/checks';
import { parseYamlFile } from '../../../../src/core/workspace/parse';
import { FIXTURES, fixture } from './helpers';

/** Every fixture file, at any depth (the real-repository shapes keep their folder layout). */
function filesBelow(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesBelow(join(dir, entry.name)) : [relative(FIXTURES, join(dir, entry.name))],
  );
}
const ALL = filesBelow(FIXTURES);

describe('checks on half-typed files', function () {
  // Hundreds of parses per fixture; generous so a loaded machine does not fail it.
  this.timeout(120_000);
  for (const path of ALL) {
    it(`${path}: every truncation and every dropped line is checked without failure`, () => {
      const original = fixture(path);
      const others = ['guide/crb.yaml', 'legacy/controlplane.yaml']
        .map(fixture)
        .filter((file) => file.file !== original.file);
      const lines = original.text.split('\n');
      const variants: string[] = [];
      for (let i = 0; i < lines.length; i++) {
        variants.push(lines.slice(0, i).join('\n'));
        variants.push([...lines.slice(0, i), ...lines.slice(i + 1)].join('\n'));
        variants.push(
          [...lines.slice(0, i), lines[i].slice(0, Math.ceil(lines[i].length / 2)), ...lines.slice(i + 1)].join('\n'),
        );
      }
      for (const text of variants) {
        const parsed = parseYamlFile(original.file, text);
        const findings = checkFiles([parsed, ...others]);
        const failures = findings.filter((finding) => finding.code === 'TOIDC000');
        assert.deepEqual(failures, [], text);
        for (const finding of findings) {
          assert.ok(
            finding.range.startOffset >= 0 &&
              finding.range.endOffset <= (finding.file === parsed.file ? text.length : Infinity),
            finding.code,
          );
        }
      }
    });
  }
});
