/**
 * The editor's parse cache (ParseCache in src/core/workspace/parse.ts): after each edit, the
 * cached parse of a file equals a fresh parse of its text (findings, model, ranges of the
 * documents), and a result handed out earlier still describes the text it was parsed from.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkFiles } from '../../../../src/core/checks';
import { ParseCache, parseYamlFile } from '../../../../src/core/workspace/parse';
import type { ParsedFile } from '../../../../src/core/workspace/types';
import { mutate, random } from '../../../support/fuzzMutations';
import { modelOf } from '../../../support/parsedModel';

const CONFIGS = join(__dirname, '..', '..', '..', 'fixtures', 'configs');

function fixtures(): { path: string; text: string }[] {
  const files: { path: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(entry.name)) files.push({ path: full, text: readFileSync(full, 'utf8') });
    }
  };
  walk(CONFIGS);
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** Findings and model of one file, with a binding file beside it so the lockout guard has something to read. */
function outcome(parsed: ParsedFile, binding: ParsedFile): unknown {
  const rangesOfDocuments = parsed.source.documents.map((_, index) => parsed.rangeOf(index, []));
  return { findings: checkFiles([parsed, binding]), model: modelOf(parsed), rangesOfDocuments };
}

describe('core/workspace: the parse cache gives a fresh parse’s result after every edit', function () {
  this.timeout(120_000);
  const binding = parseYamlFile('crb.yaml', readFileSync(join(CONFIGS, 'legacy', 'crb.yaml'), 'utf8'));

  it('typing one character at a time in each document of multi-document configs', () => {
    const next = random(12);
    // Each config fixture followed by the next one as a second document (and the multi-document ones as they are).
    const all = fixtures();
    const multi = all.map((file, index) => ({
      path: file.path,
      text: `${file.text.replace(/\n?$/, '\n')}---\n${all[(index + 1) % all.length].text}`,
    }));
    let reused = 0;
    for (const file of multi) {
      const cache = new ParseCache();
      let text = file.text;
      let previous: { parsed: ParsedFile; text: string; expected: unknown } | undefined;
      for (let keystroke = 0; keystroke < 20; keystroke++) {
        const at = Math.floor(next() * (text.length + 1));
        text = text.slice(0, at) + 'abcdefgh:# -"\n'[Math.floor(next() * (next() < 0.8 ? 8 : 15))] + text.slice(at);
        const before = cache.parse(file.path, text);
        const cached = outcome(before, binding);
        assert.deepEqual(
          cached,
          outcome(parseYamlFile(file.path, text), binding),
          `${file.path}: ${JSON.stringify(text)}`,
        );
        if (previous) {
          // The earlier result still describes its own text, although its documents may be reused.
          assert.deepEqual(
            outcome(previous.parsed, binding),
            previous.expected,
            `${file.path}: earlier result changed`,
          );
          reused += before.source.documents.filter((document) =>
            previous!.parsed.source.documents.includes(document),
          ).length;
        }
        previous = { parsed: before, text, expected: cached };
      }
    }
    // The comparison means something only where documents were reused.
    assert.ok(reused >= 100, `only ${reused} documents were reused`);
  });

  it('seeded mutations of every config fixture, one after another in the same cache', () => {
    const next = random(13);
    const cache = new ParseCache();
    for (const file of fixtures()) {
      let text = file.text;
      for (let round = 0; round < 15; round++) {
        text = mutate(text, next);
        assert.deepEqual(
          outcome(cache.parse(file.path, text), binding),
          outcome(parseYamlFile(file.path, text), binding),
          `${file.path}: ${JSON.stringify(text).slice(0, 2000)}`,
        );
      }
    }
  });
});
