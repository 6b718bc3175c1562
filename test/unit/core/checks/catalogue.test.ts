import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CHECKS, listChecks } from '../../../../src/core/checks';
import { CHECK_EXPLANATIONS, listCheckDocumentation } from '../../../../src/core/checks/explanations';

const CHECK_SOURCES = join(__dirname, '..', '..', '..', '..', 'src', 'core', 'checks');
const AREA_BY_HUNDRED: Record<string, string> = {
  '0': 'yaml',
  '1': 'talos',
  '2': 'authentication-config',
  '3': 'rbac',
  '4': 'kubeconfig',
};

function codesIn(text: string): Set<string> {
  return new Set(text.match(/TOIDC\d{3}/g) ?? []);
}

describe('check catalogue', () => {
  it('every entry is written for users and sits in the area of its number', () => {
    for (const check of listCheckDocumentation()) {
      assert.match(check.code, /^TOIDC\d{3}$/);
      assert.equal(check.area, AREA_BY_HUNDRED[check.code[5]], check.code);
      assert.ok(check.title.length > 5 && check.explanation.length > 20 && check.fix.length > 5, check.code);
      assert.ok(['error', 'warning', 'info'].includes(check.severity));
    }
  });

  it('every check has its explanation, and every explanation its check', () => {
    assert.deepEqual(Object.keys(CHECK_EXPLANATIONS).sort(), Object.keys(CHECKS).sort());
  });

  it('every code a check reports is in the catalogue', () => {
    const used = new Set<string>();
    for (const file of readdirSync(CHECK_SOURCES).filter(
      (name) => name.endsWith('.ts') && name !== 'catalogue.ts' && name !== 'explanations.ts',
    )) {
      for (const code of codesIn(readFileSync(join(CHECK_SOURCES, file), 'utf8'))) used.add(code);
    }
    for (const code of used) assert.ok(CHECKS[code], `${code} is reported but not documented`);
  });

  describe('each code is found from the catalogue in one hop', () => {
    /** The codes a source file reports: `report(context, 'TOIDCnnn', ...)` or a finding built with `code: 'TOIDCnnn'`. */
    const reportedIn = (text: string) =>
      new Set([...text.matchAll(/(?:report\(\s*context,\s*|code:\s*)'(TOIDC\d{3})'/g)].map((match) => match[1]));
    /** Every .ts file under src/core, relative to src/core/checks (where `source` is written from). */
    const coreFiles = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory()
          ? coreFiles(join(dir, entry.name))
          : entry.name.endsWith('.ts')
            ? [join(dir, entry.name)]
            : [],
      );
    const reporters = new Map<string, string[]>();
    for (const file of coreFiles(join(CHECK_SOURCES, '..'))) {
      if (file === join(CHECK_SOURCES, 'catalogue.ts')) continue;
      for (const code of reportedIn(readFileSync(file, 'utf8'))) {
        reporters.set(code, [...(reporters.get(code) ?? []), relative(CHECK_SOURCES, file)]);
      }
    }

    it('the file the catalogue names is the only one in src/core that reports the code', () => {
      for (const check of listChecks()) {
        assert.deepEqual(reporters.get(check.code), [check.source], `${check.code}: catalogue says ${check.source}`);
      }
    });

    it("the named file's header comment lists the code", () => {
      for (const check of listChecks()) {
        const header = /^\/\*\*[\s\S]*?\*\//.exec(readFileSync(join(CHECK_SOURCES, check.source), 'utf8'))?.[0] ?? '';
        assert.ok(codesIn(header).has(check.code), `${check.source} does not list ${check.code} in its header`);
      }
    });
  });

  it('every catalogued code is exercised by a unit test', () => {
    const tests = readdirSync(__dirname).filter((name) => name.endsWith('.test.ts') && name !== 'catalogue.test.ts');
    const tested = new Set<string>();
    for (const file of tests) for (const code of codesIn(readFileSync(join(__dirname, file), 'utf8'))) tested.add(code);
    const untested = Object.keys(CHECKS).filter((code) => !tested.has(code));
    assert.deepEqual(untested, []);
  });
});
