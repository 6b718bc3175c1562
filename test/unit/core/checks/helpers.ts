import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkFiles, type CheckOptions, type Finding, type Fix } from '../../../../src/core/checks';
import type { SourceRange } from '../../../../src/core/text/range';
import { parseYamlFile } from '../../../../src/core/workspace/parse';
import type { ParsedFile } from '../../../../src/core/workspace/types';

export const FIXTURES = join(__dirname, '..', '..', '..', 'fixtures', 'configs');

export function fixture(relative: string): ParsedFile {
  return parseYamlFile(join(FIXTURES, relative), readFileSync(join(FIXTURES, relative), 'utf8'));
}

export function inline(file: string, text: string): ParsedFile {
  return parseYamlFile(file, text);
}

/** `line:character-line:character`, zero-based, as editors count. */
export function at(range: SourceRange): string {
  return `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

/** Findings of one file, as `CODE@range` strings, checked together with the other files. */
export function findingsOf(target: ParsedFile, others: ParsedFile[] = [], options: CheckOptions = {}): Finding[] {
  return checkFiles([target, ...others], options).filter((finding) => finding.file === target.file);
}

export function summary(findings: Finding[]): string[] {
  return findings.map((finding) => `${finding.code}@${at(finding.range)}`);
}

export function only(findings: Finding[], code: string): Finding[] {
  return findings.filter((finding) => finding.code === code);
}

/** Applies a fix's edits to one file's text (edits of other files are ignored). */
export function applyFix(parsed: ParsedFile, fix: Fix): string {
  const edits = fix.edits.filter((edit) => edit.file === parsed.file).sort((a, b) => b.startOffset - a.startOffset);
  let text = parsed.text;
  for (const edit of edits) text = text.slice(0, edit.startOffset) + edit.newText + text.slice(edit.endOffset);
  return text;
}

/** Applies the fix and parses the result again. */
export function fixed(parsed: ParsedFile, fix: Fix): ParsedFile {
  return parseYamlFile(parsed.file, applyFix(parsed, fix));
}
