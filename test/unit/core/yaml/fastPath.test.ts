/**
 * The parse's fast path (long lists nothing reads are cut before the yaml package sees the text,
 * src/core/yaml/elide.ts) against the full parse: the same findings (codes, messages, ranges,
 * fixes) and the same model, on every fixture, the real-world corpus, each of them with long
 * lists added, and seeded mutations of those (the hardening fuzz's mutations).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkFiles, type Finding } from '../../../../src/core/checks';
import { parseYamlFile } from '../../../../src/core/workspace/parse';
import { mutate, random } from '../../../support/fuzzMutations';
import { modelOf } from '../../../support/parsedModel';
import { CORPUS, realWorldFiles } from '../../../support/realWorld';

const FIXTURES = join(__dirname, '..', '..', '..', 'fixtures');

interface Input {
  path: string;
  text: string;
}

/** The fixtures, one group per folder (checks that look at other files see the folder's). */
function fixtureGroups(): Input[][] {
  const groups: Input[][] = [];
  const walk = (dir: string) => {
    const files: Input[] = [];
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ya?ml|j2)$/.test(entry.name)) files.push({ path: full, text: readFileSync(full, 'utf8') });
    }
    if (files.length > 0) groups.push(files);
  };
  walk(FIXTURES);
  return groups;
}

/**
 * `text` with long lists to cut: at the start, a `cluster.extraManifests` and a `machine.certSANs`
 * list right after those keys (indented like the section's first key, with comments and a blank
 * line); at the end, an `extraManifests` list as the last key of the file's last section (where
 * that is not `machine` or `cluster` indented by two it is a syntax error, and the fast path must
 * step aside). A file without such sections is returned as it is.
 */
function withLongLists(text: string, where: 'start' | 'end'): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  if (where === 'end') {
    if (!/^(machine|cluster):/m.test(text)) return text;
    const items = Array.from({ length: 70 }, (_, i) => `    - https://example.com/last/${i}.yaml${eol}`).join('');
    return `${text.replace(/(\r?\n)?$/, eol)}  extraManifests:${eol}${items}`;
  }
  const add = (section: string, key: string, item: (i: number) => string) =>
    text.replace(new RegExp(`^${section}:[ ]*\\r?\\n( +)`, 'm'), (_whole, indent: string) => {
      const lines = [`${indent}${key}: # added by the test`];
      for (let i = 0; i < 80; i++) {
        if (i === 40) lines.push('', `${indent}  # a comment between items`);
        lines.push(`${indent}  - ${item(i)}${i % 3 === 0 ? ` # item ${i}` : ''}`);
      }
      return `${section}:${eol}${lines.join(eol)}${eol}${indent}`;
    });
  text = add('cluster', 'extraManifests', (i) => `https://example.com/manifests/${i}.yaml`);
  text = add('machine', 'certSANs', (i) => `10.0.${i}.1`);
  return text;
}

interface Outcome {
  findings: Finding[];
  model: unknown[];
  elided: number;
}

function lint(inputs: Input[], full: boolean): Outcome {
  const parsed = inputs.map((input) => parseYamlFile(input.path, input.text, { full }));
  return {
    findings: checkFiles(parsed),
    model: parsed.map(modelOf),
    elided: parsed.filter((file) => (file.source.elided ?? []).length > 0).length,
  };
}

/** Lints `inputs` both ways; returns how many files the fast path cut lists from. */
function assertSame(inputs: Input[], what: string): number {
  const fast = lint(inputs, false);
  const full = lint(inputs, true);
  assert.equal(full.elided, 0, 'the full parse cuts nothing');
  assert.deepEqual(fast.findings, full.findings, `findings differ on ${what}`);
  assert.deepEqual(fast.model, full.model, `model differs on ${what}`);
  return fast.elided;
}

describe('core/yaml: the fast path gives the full parse’s findings', function () {
  this.timeout(120_000);

  it('on every fixture, as it is and with long lists added', () => {
    let cut = 0;
    for (const group of fixtureGroups()) {
      const names = group.map((input) => input.path.slice(FIXTURES.length + 1)).join(', ');
      cut += assertSame(group, names);
      for (const where of ['start', 'end'] as const)
        cut += assertSame(
          group.map((input) => ({ ...input, text: withLongLists(input.text, where) })),
          `${names} with long lists at the ${where}`,
        );
    }
    // The comparison means something only where the fast path cut.
    assert.ok(cut >= 12, `the fast path cut lists from only ${cut} fixtures`);
  });

  it('on the real-world corpus, as it is and with long lists added', function () {
    if (!existsSync(CORPUS)) this.skip();
    const files = realWorldFiles().map((file) => ({ path: file.path, text: file.text }));
    assertSame(files, 'the real-world corpus');
    let cut = 0;
    for (const where of ['start', 'end'] as const)
      cut += assertSame(
        files.map((input) => ({ ...input, text: withLongLists(input.text, where) })),
        `the real-world corpus with long lists at the ${where}`,
      );
    assert.ok(cut >= 6, `the fast path cut lists from only ${cut} real-world files`);
  });

  it('on seeded mutations of the fixtures with long lists (the hardening fuzz’s mutations)', () => {
    const next = random(11);
    const sources = fixtureGroups()
      .flat()
      .flatMap((input) => [
        { ...input, text: withLongLists(input.text, 'start') },
        { ...input, text: withLongLists(input.text, 'end') },
      ])
      .filter((input) => input.text.includes('extraManifests') || input.text.includes('certSANs'));
    let cut = 0;
    for (let round = 0; round < 1500; round++) {
      const source = sources[Math.floor(next() * sources.length)];
      const text = mutate(source.text, next);
      cut += assertSame(
        [{ path: source.path, text }],
        `${source.path} mutated: ${JSON.stringify(text).slice(0, 2000)}`,
      );
    }
    assert.ok(cut >= 300, `the fast path cut lists from only ${cut} of 1500 mutated configs`);
  });
});
