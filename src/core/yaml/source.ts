/**
 * Parses a YAML text into documents whose nodes keep their source positions, tolerating the
 * mistakes people make in Talos configs. Never throws: syntax errors become problems.
 */
import { isMap, isPair, isScalar, isSeq, parseAllDocuments, type Document, type Node, type Pair } from 'yaml';
import { LineIndex, type SourceRange } from '../text/range';

/** Larger inputs are not parsed: no Talos config, kubeconfig or binding file is anywhere near. */
export const MAX_YAML_BYTES = 5 * 1024 * 1024;

export interface SyntaxProblem {
  message: string;
  /** Original-text offsets. */
  startOffset: number;
  endOffset: number;
  code?: string;
}

/**
 * A value that ends with a colon and was not quoted (`oidc-groups-prefix: oidc:`). YAML reads it
 * as the start of a nested map and fails; the parse below quotes it so the rest of the file still
 * makes sense, and the checks report the real mistake with a fix.
 */
export interface ColonRepair {
  /** The text the user meant, e.g. `oidc:`. */
  value: string;
  startOffset: number;
  endOffset: number;
}

export interface YamlSource {
  text: string;
  lines: LineIndex;
  documents: Document.Parsed[];
  syntaxProblems: SyntaxProblem[];
  colonRepairs: ColonRepair[];
  /** Why the text was not parsed at all (binary or too large), if it was not. */
  skipped?: string;
  /** Converts an offset of the (possibly repaired) parsed text to an offset of the original text. */
  toOriginal(offset: number): number;
}

const UNQUOTED_COLON_VALUE = /^(\s*(?:-\s+)*[^\s#'"][^#\n]*?:[ \t]+)([^\s'"#{}[\],&*!|>%@`][^#\n]*?:)[ \t]*(#.*)?$/;

function looksBinary(text: string): boolean {
  const head = text.slice(0, 8192);
  return head.includes('\u0000');
}

export function parseYamlSource(text: string): YamlSource {
  const lines = new LineIndex(text);
  const base: Omit<YamlSource, 'documents' | 'syntaxProblems' | 'colonRepairs' | 'toOriginal'> = { text, lines };
  const identity = (offset: number) => offset;
  if (text.length > MAX_YAML_BYTES) {
    const size = (text.length / (1024 * 1024)).toFixed(1);
    return { ...base, documents: [], syntaxProblems: [], colonRepairs: [], toOriginal: identity, skipped: `The file is too large to check (${size} MB; the limit is ${MAX_YAML_BYTES / (1024 * 1024)} MB).` };
  }
  if (looksBinary(text)) {
    return { ...base, documents: [], syntaxProblems: [], colonRepairs: [], toOriginal: identity, skipped: 'The file is binary, not YAML.' };
  }

  let documents = safeParse(text);
  const firstErrors = collectErrors(documents, text);
  const repairs = findColonRepairs(text, lines, firstErrors);
  if (repairs.length === 0) {
    return { ...base, documents, syntaxProblems: firstErrors, colonRepairs: [], toOriginal: identity };
  }

  // Quote each value (inserting two characters) and parse again; offsets map back through `insertions`.
  const insertions: number[] = []; // original offsets where one character was inserted, ascending
  let repaired = '';
  let last = 0;
  for (const repair of repairs) {
    const quote = repair.value.includes('"') ? "'" : '"';
    repaired += text.slice(last, repair.startOffset) + quote + repair.value + quote;
    insertions.push(repair.startOffset, repair.endOffset);
    last = repair.endOffset;
  }
  repaired += text.slice(last);
  const toOriginal = (offset: number): number => {
    let shift = 0;
    for (let i = 0; i < insertions.length; i++) {
      // The i-th inserted character sits at insertions[i] + i in the repaired text.
      if (insertions[i] + i < offset) shift++;
      else break;
    }
    return offset - shift;
  };
  documents = safeParse(repaired);
  const remaining = collectErrors(documents, repaired).map((problem) => ({
    ...problem,
    startOffset: toOriginal(problem.startOffset),
    endOffset: toOriginal(problem.endOffset),
  }));
  return { ...base, documents, syntaxProblems: remaining, colonRepairs: repairs, toOriginal };
}

function safeParse(text: string): Document.Parsed[] {
  try {
    // Node ranges are all the checks need; CST tokens (keepSourceTokens) would cost about half again as much.
    const parsed = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: true });
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

function collectErrors(documents: Document.Parsed[], text: string): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  for (const document of documents) {
    for (const error of document.errors) {
      // The parser may point one past the end of the text (an unclosed quote at EOF).
      let start = Math.min(error.pos[0], text.length);
      let end = Math.min(Math.max(error.pos[1], start), text.length);
      const message = cleanMessage(error.message);
      if (/^Missing closing .?quote/.test(message)) [start, end] = openingQuote(text, start) ?? [start, end];
      problems.push({ message, startOffset: start, endOffset: end, code: error.code });
    }
  }
  return problems;
}

/** The quote that was never closed: the last opening quote before `offset`, up to the end of its line. */
function openingQuote(text: string, offset: number): [number, number] | undefined {
  const opener = /(^|[\s:,[{-])(["'])/gm;
  let found: number | undefined;
  for (let match = opener.exec(text); match && match.index < offset; match = opener.exec(text)) {
    const quoteAt = match.index + match[1].length;
    const quote = match[2];
    // Skip quotes closed on the same line.
    const lineEnd = text.indexOf('\n', quoteAt);
    const rest = text.slice(quoteAt + 1, lineEnd === -1 ? text.length : lineEnd);
    if (!rest.includes(quote)) found = quoteAt;
    else opener.lastIndex = quoteAt + 2 + rest.indexOf(quote);
  }
  if (found === undefined) return undefined;
  const lineEnd = text.indexOf('\n', found);
  return [found, lineEnd === -1 ? text.length : lineEnd];
}

/** The yaml package appends " at line N, column M:" and a source excerpt; editors show position themselves. */
function cleanMessage(message: string): string {
  return message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').trim();
}

function findColonRepairs(text: string, lines: LineIndex, errors: SyntaxProblem[]): ColonRepair[] {
  const repairs: ColonRepair[] = [];
  const seenLines = new Set<number>();
  for (const error of errors) {
    if (error.code !== 'BLOCK_AS_IMPLICIT_KEY') continue;
    const line = lines.positionAt(error.startOffset).line;
    if (seenLines.has(line)) continue;
    seenLines.add(line);
    const lineStart = lines.lineStart(line);
    const lineText = text.slice(lineStart, lines.lineEnd(line));
    const match = UNQUOTED_COLON_VALUE.exec(lineText);
    if (!match) continue;
    const value = match[2];
    if (value.includes(': ') || (value.includes('"') && value.includes("'"))) continue;
    const startOffset = lineStart + match[1].length;
    repairs.push({ value, startOffset, endOffset: startOffset + value.length });
  }
  return repairs.sort((a, b) => a.startOffset - b.startOffset);
}

// ---------------------------------------------------------------------------------------------
// Navigation helpers over the document API

export type YamlPath = (string | number)[];

/** The pair (for a map key) or the node at `path`; undefined when any step is missing. */
export function findNode(root: unknown, path: YamlPath): { node: Node | null | undefined; pair?: Pair } | undefined {
  let current: unknown = root;
  let pair: Pair | undefined;
  for (const step of path) {
    pair = undefined;
    if (typeof step === 'number') {
      if (!isSeq(current)) return undefined;
      const item = current.items[step];
      if (item === undefined) return undefined;
      current = item;
    } else {
      if (!isMap(current)) return undefined;
      const found = current.items.find((candidate) => isPair(candidate) && scalarText(candidate.key) === step);
      if (!found) return undefined;
      pair = found as Pair;
      current = found.value;
    }
  }
  return { node: current as Node | null | undefined, pair };
}

/** The plain string of a scalar key or value (numbers and booleans as written), else undefined. */
export function scalarText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const value = node.value;
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    // Keep what the user wrote (e.g. `08` or `1.10`), not the number it parses to.
    return node.source !== undefined ? String(node.source) : String(value);
  }
  return undefined;
}

/** A whole document as plain data, never throwing (alias bombs and the like become undefined). */
export function documentToPlain(document: Document.Parsed): unknown {
  try {
    return document.toJS({ maxAliasCount: 100 });
  } catch {
    return undefined;
  }
}

/** Walks plain data by a path of keys and list indexes. */
export function plainAt(data: unknown, path: YamlPath): unknown {
  let current = data;
  for (const step of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}

/** The source range of a node or pair key/value in original-text coordinates. */
export function nodeRange(source: YamlSource, node: unknown): SourceRange | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  if (!range) return undefined;
  return source.lines.range(source.toOriginal(range[0]), source.toOriginal(range[1]));
}

/** Range of a pair from the start of its key to the end of its value. */
export function pairRange(source: YamlSource, pair: Pair): SourceRange | undefined {
  const keyRange = nodeRange(source, pair.key);
  const valueRange = nodeRange(source, pair.value);
  if (!keyRange) return valueRange;
  if (!valueRange) return keyRange;
  return source.lines.range(keyRange.startOffset, Math.max(keyRange.endOffset, valueRange.endOffset));
}

/** An empty range right after a key's colon, for a pair whose value is missing (`key:`). */
export function emptyValueRange(source: YamlSource, pair: Pair): SourceRange | undefined {
  const keyRange = nodeRange(source, pair.key);
  if (!keyRange) return undefined;
  let offset = keyRange.endOffset;
  const text = source.text;
  while (offset < text.length && (text[offset] === ' ' || text[offset] === '\t')) offset++;
  if (text[offset] === ':') offset++;
  return source.lines.range(offset, offset);
}
