/**
 * Issue 13: a hostile file in a repository must not freeze the extension host. Parsing is linear
 * in the input (duplicate keys with a set, one pass for unclosed quotes) and bounded by a budget;
 * a config that is not checked says so instead of looking clean.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkFile, checkFiles } from '../../../../src/core/checks';
import { runCli } from '../../../../src/cli/main';
import type { CommandIo } from '../../../../src/cli/command';
import { WorkspaceIndex } from '../../../../src/core/workspace/workspaceIndex';
import { parseYamlFile } from '../../../../src/core/workspace/parse';
import { LINT_PARSE_BUDGET_MS, PARSE_BUDGET_MS, parseYamlSource } from '../../../../src/core/yaml/source';
import { spawnSync } from 'node:child_process';
import { deepBlock, deepFlow, flatMap, unclosedQuotes } from '../../../support/hostileShapes';

const NO_BUDGET = { budgetMs: Number.POSITIVE_INFINITY };

/** A clock that advances one millisecond every time it is read: the budget runs out deterministically. */
function tickingClock(): () => number {
  let now = 0;
  return () => now++;
}

function io(): CommandIo & { out: string; err: string } {
  const result = {
    out: '',
    err: '',
    stdout(text: string) {
      result.out += text;
    },
    stderr(text: string) {
      result.err += text;
    },
    readStdin: async () => '',
    cwd: process.cwd(),
    env: {},
    signal: new AbortController().signal,
  };
  return result;
}

describe('hardening: YAML parsing is linear and bounded', function () {
  this.timeout(60_000);

  it('still reports duplicate keys, in block and flow maps, as YAML does (1 and "1" differ)', () => {
    const source = parseYamlSource('a: 1\nb: 2\na: 3\nm: {x: 1, x: 2}\nn: {1: a, "1": b}\n', NO_BUDGET);
    const duplicates = source.syntaxProblems.filter((problem) => problem.code === 'DUPLICATE_KEY');
    assert.deepEqual(
      duplicates.map((problem) => problem.message),
      ['Map keys must be unique', 'Map keys must be unique'],
    );
    assert.deepEqual(
      duplicates.map((problem) => problem.startOffset),
      [10, 25],
    );
  });

  it('a flat map of 50,000 keys parses in seconds, not minutes (was quadratic: 24 s), and finds the one duplicate at its end', () => {
    const text = flatMap(50_000) + 'key7: again\n';
    const started = Date.now();
    const source = parseYamlSource(text, NO_BUDGET);
    const elapsed = Date.now() - started;
    assert.equal(source.skipped, undefined);
    assert.deepEqual(
      source.syntaxProblems.map((problem) => [problem.code, problem.startOffset]),
      [['DUPLICATE_KEY', text.lastIndexOf('key7: again')]],
    );
    // Generous for a loaded machine; the quadratic compare took 24 s on this shape.
    assert.ok(elapsed < 8_000, `took ${elapsed} ms`);
  });

  it('16,000 lines of unclosed quotes parse in seconds (was 23 s) and each error points at an opening quote', () => {
    const text = unclosedQuotes(16_000);
    const started = Date.now();
    const source = parseYamlSource(text, NO_BUDGET);
    const elapsed = Date.now() - started;
    assert.ok(source.syntaxProblems.length > 0);
    assert.ok(source.syntaxProblems.length <= 100, `${source.syntaxProblems.length} problems listed`);
    assert.match(source.syntaxProblems.at(-1)!.message, /more syntax errors after this one, not listed/);
    const quoted = source.syntaxProblems.filter((problem) => /Missing closing/.test(problem.message));
    assert.ok(quoted.length > 0);
    for (const problem of quoted) assert.match(text[problem.startOffset], /["']/);
    assert.ok(elapsed < 8_000, `took ${elapsed} ms`);
  });

  it('an unclosed quote is still marked at the quote that opened it, not at the end of the file', () => {
    const text = 'a: "closed"\nb: \'open\nc: ok\n';
    const source = parseYamlSource(text);
    const problem = source.syntaxProblems.find((candidate) => /Missing closing/.test(candidate.message));
    assert.ok(problem);
    assert.equal(problem.startOffset, text.indexOf("'open"));
    assert.equal(problem.endOffset, text.indexOf('\nc:'));
  });

  it('a config that takes longer than the budget is "not checked: took too long", a finding rather than silence', () => {
    const text =
      'machine:\n  type: controlplane\ncluster:\n  apiServer:\n    extraArgs:\n' +
      flatMap(20_000).replace(/^/gm, '      ');
    const parsed = parseYamlFile('controlplane.yaml', text, { budgetMs: 5, now: tickingClock() });
    assert.equal(parsed.notChecked, 'too-slow');
    const findings = checkFile(parsed, new WorkspaceIndex());
    assert.equal(findings.length, 1);
    assert.equal(findings[0].code, 'TOIDC000');
    assert.match(findings[0].message, /^Not checked: the file took too long to parse/);
  });

  it('the editor, not the command line, sends a config too slow for its budget to `talos-oidc lint`, which allows it more time', () => {
    const text =
      'machine:\n  type: controlplane\ncluster:\n  apiServer:\n    extraArgs:\n' +
      flatMap(20_000).replace(/^/gm, '      ');
    // A clock where every reading is a second later: both budgets run out.
    const slowClock = () => {
      let now = 0;
      return () => (now += 1000);
    };
    const inEditor = parseYamlFile('controlplane.yaml', text, { budgetMs: PARSE_BUDGET_MS, now: slowClock() });
    assert.equal(inEditor.notChecked, 'too-slow');
    assert.match(inEditor.skipped ?? '', /check it with `talos-oidc lint`, which allows it more time/);
    const inLint = parseYamlFile('controlplane.yaml', text, { budgetMs: LINT_PARSE_BUDGET_MS, now: slowClock() });
    assert.equal(inLint.notChecked, 'too-slow');
    assert.match(inLint.skipped ?? '', /over 10\.0 s/);
    assert.doesNotMatch(inLint.skipped ?? '', /talos-oidc lint/);
  });

  it('parses a broken file without stack traces for its syntax errors, and gives the process its stack traces back', () => {
    const before = Error.stackTraceLimit;
    const parsed = parseYamlSource(unclosedQuotes(2_000), NO_BUDGET);
    assert.ok(parsed.syntaxProblems.length > 0);
    assert.equal(Error.stackTraceLimit, before);
    assert.ok((new Error('after').stack ?? '').includes('\n'), 'an error made after the parse has its stack again');
  });

  it('a config over the size limit is "not checked: too large", a finding rather than silence', () => {
    const text = 'machine:\n  type: controlplane\n' + '# padding\n'.repeat(600_000);
    const findings = checkFiles([parseYamlFile('controlplane.yaml', text)]);
    assert.deepEqual(
      findings.map((finding) => finding.code),
      ['TOIDC000'],
    );
    assert.match(findings[0].message, /^Not checked: the file is too large/);
  });

  it('a huge file that is none of ours (no config words) gets no finding', () => {
    const findings = checkFiles([parseYamlFile('data.yaml', 'x: y\n'.repeat(1_200_000))]);
    assert.deepEqual(findings, []);
  });

  it('talos-oidc lint on a file named on the command line that was not checked exits 2 and says why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'talos-oidc-budget-'));
    try {
      const file = join(dir, 'controlplane.yaml');
      writeFileSync(file, 'machine:\n  type: controlplane\n' + '# padding\n'.repeat(600_000));
      const out = io();
      const code = await runCli(['lint', file], out);
      assert.equal(code, 2);
      assert.match(out.err, /controlplane\.yaml: Not checked: the file is too large/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('100k-deep nesting is "not checked: nests too deep", and parsing it again and again does not kill the process', () => {
    for (const text of [deepBlock(100_000), deepFlow(100_000)]) {
      const parsed = parseYamlFile('controlplane.yaml', 'machine:\n  type: controlplane\n' + text);
      assert.equal(parsed.notChecked, 'too-deep');
      assert.match(
        checkFile(parsed, new WorkspaceIndex())[0].message,
        /^Not checked: the file nests more than 1000 levels deep/,
      );
    }
    // Composing it recursed until V8 ran out of stack inside its regular-expression compiler: a
    // fatal error that ends the process (the extension host), not an exception. In a child here.
    const script = `const { parseYamlSource } = require(${JSON.stringify(join(__dirname, '../../../../src/core/yaml/source'))});
      const { deepBlock } = require(${JSON.stringify(join(__dirname, '../../../support/hostileShapes'))});
      for (let i = 0; i < 4; i++) parseYamlSource(deepBlock(100000));
      console.log('survived');`;
    const child = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], {
      encoding: 'utf8',
      timeout: 50_000,
    });
    assert.equal(child.status, 0, child.stderr.split('\n').slice(0, 12).join('\n'));
    assert.match(child.stdout, /survived/);
  });
});
