/** What every check gets, and small helpers to build findings and mechanical fixes. */
import type { SourceRange } from '../text/range';
import type { ParsedFile } from '../workspace/types';
import { CHECKS } from './catalogue';
import type { Finding, Fix, Severity, TextEdit } from './finding';

export interface CheckOptions {
  /** The provider group whose members administer the cluster (e.g. `kubernetes`); enables "create a binding" fixes. */
  adminGroup?: string;
  /** Values from the user's settings, used to fill placeholders. */
  issuerUrl?: string;
  clientId?: string;
  /** The Talos release the user's clusters run (`v1.13`), for configs that do not name theirs. */
  talosVersion?: string;
}

export interface CheckContext {
  parsed: ParsedFile;
  /** Every file of the workspace (including `parsed`). */
  files: ParsedFile[];
  options: CheckOptions;
  findings: Finding[];
}

export function report(
  context: CheckContext,
  code: string,
  message: string,
  range: SourceRange,
  fixes?: Fix[],
  severity?: Severity,
): void {
  const info = CHECKS[code];
  const finding: Finding = { code, severity: severity ?? info.severity, message, file: context.parsed.file, range };
  if (fixes && fixes.length > 0) finding.fixes = fixes;
  context.findings.push(finding);
}

export function replaceEdit(file: string, range: SourceRange, newText: string): TextEdit {
  return { file, startOffset: range.startOffset, endOffset: range.endOffset, newText };
}

export function fix(title: string, edits: TextEdit[], preferred = false): Fix {
  return preferred ? { title, edits, preferred } : { title, edits };
}

/** `text` as a YAML scalar: plain when that reads back the same, else double-quoted. */
export function yamlScalar(text: string): string {
  // `:` only inside (as in `https://x` or `oidc:kubernetes`), never before a blank or at the end.
  const plainSafe =
    /^[A-Za-z0-9_./@+-](?:[A-Za-z0-9_./@+=%~-]|:(?=[^\s]))*$/.test(text) &&
    !/^(true|false|yes|no|on|off|null|~|[-+]?[0-9.]+(e[-+]?\d+)?)$/i.test(text);
  return plainSafe ? text : JSON.stringify(text);
}

export function lineBreak(parsed: ParsedFile): string {
  return parsed.text.includes('\r\n') ? '\r\n' : '\n';
}

/**
 * Column of a block-style key: the text before it on its line must be blanks or list dashes
 * (`  - key:`); undefined for flow style (`{a: b}`), where line-based fixes would break the YAML.
 */
export function blockIndent(parsed: ParsedFile, range: SourceRange): number | undefined {
  const lineStart = parsed.lines.lineStart(range.start.line);
  const before = parsed.text.slice(lineStart, range.startOffset);
  if (!/^[ \t]*(?:-[ \t]+)*$/.test(before)) return undefined;
  return before.length;
}

/** Offset of the end of the node's last line (before the line break). */
export function endOfLine(parsed: ParsedFile, offset: number): number {
  return parsed.lines.lineEnd(parsed.lines.positionAt(offset).line);
}

/** Inserts `lines` (already indented) on new lines after the line where `range` ends. */
export function insertLinesAfter(parsed: ParsedFile, range: SourceRange, lines: string[]): TextEdit {
  const eol = lineBreak(parsed);
  const at = endOfLine(parsed, Math.max(range.startOffset, range.endOffset - 1));
  return { file: parsed.file, startOffset: at, endOffset: at, newText: lines.map((line) => eol + line).join('') };
}

/** Inserts a sibling `key: value` line after the pair whose key is at `keyRange`, same indentation. */
export function insertSiblingAfter(
  parsed: ParsedFile,
  keyRange: SourceRange,
  valueEnd: SourceRange,
  line: string,
): TextEdit | undefined {
  const indent = blockIndent(parsed, keyRange);
  if (indent === undefined) return undefined;
  return insertLinesAfter(parsed, valueEnd, [' '.repeat(indent) + line]);
}

/** Offset where a scalar's content starts (after an opening quote). */
export function contentStart(parsed: ParsedFile, range: SourceRange): number {
  const first = parsed.text[range.startOffset];
  return first === '"' || first === "'" ? range.startOffset + 1 : range.startOffset;
}

const PLACEHOLDER = /<[^<>\n]{1,80}>/;

/** The placeholder in a value copied from a guide (`<url of pocket-id>`), if any. */
export function findPlaceholder(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return PLACEHOLDER.exec(value)?.[0];
}

export function isUrl(value: string | undefined): boolean {
  return value !== undefined && /^[a-z][a-z0-9+.-]*:\/\/\S+/i.test(value.trim());
}

export function rangesOverlap(a: SourceRange, b: SourceRange): boolean {
  if (a.startOffset === b.startOffset) return true;
  return a.startOffset < b.endOffset && b.startOffset < a.endOffset;
}

/** Damerau-free Levenshtein distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const saved = previous[j];
      previous[j] = Math.min(previous[j] + 1, previous[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = saved;
    }
  }
  return previous[b.length];
}
