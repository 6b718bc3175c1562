/**
 * Parses a YAML text into documents whose nodes keep their source positions, tolerating the
 * mistakes people make in Talos configs. Never throws: syntax errors become problems.
 */
import {
  Composer,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Lexer,
  Parser,
  YAMLParseError,
  type Document,
  type Node,
  type Pair,
} from 'yaml';
import { LineIndex, type SourceRange } from '../text/range';
import { cutRegions, findElisions, type Elision } from './elide';

/** Larger inputs are not parsed: no Talos config, kubeconfig or binding file is anywhere near. */
export const MAX_YAML_BYTES = 5 * 1024 * 1024;

/**
 * How long parsing one file may take before it is given up as "not checked: took too long".
 * Parsing runs on the editor's extension host as the user types; a hostile or pathological file
 * (a repository can hold anything) must not freeze it.
 */
export const PARSE_BUDGET_MS = 400;
/**
 * The command line's budget: nobody is typing, so a large config gets its full check; the limit
 * only stops a file that is made to be slow.
 */
export const LINT_PARSE_BUDGET_MS = 10_000;

/**
 * Deeper nesting is not composed: no config nests past a few dozen levels, and the composer
 * recurses per level (100k levels overflowed the stack while V8 compiled a regular expression,
 * which kills the process instead of throwing).
 */
export const MAX_NESTING_DEPTH = 1000;

/** More syntax errors than this are not listed one by one (a binary or broken file has thousands). */
export const MAX_SYNTAX_PROBLEMS = 100;

export interface ParseOptions {
  /** Milliseconds parsing may take; default PARSE_BUDGET_MS. */
  budgetMs?: number;
  /** The clock the budget is measured with, in milliseconds (default: this process's CPU time; tests pass a fake one). */
  now?: () => number;
  /**
   * Compose every node, also the long lists nothing reads (see `elide.ts`). The fast path gives the
   * same findings; the full parse is its oracle in the tests.
   */
  full?: boolean;
}

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
  /** Why the text was not parsed (binary, too large, took too long), if it was not. */
  skipped?: string;
  /** Set with `skipped` when the file may well be a config but was not checked: it needs saying. */
  notChecked?: 'too-large' | 'too-slow' | 'too-deep';
  /** Converts an offset of the (possibly repaired or cut) parsed text to an offset of the original text. */
  toOriginal(offset: number): number;
  /** Items that `documents` leave out of lists nothing reads (each list keeps its first and last item). */
  elided?: Elision[];
}

/** The top-level keys of a Talos v1alpha1 machine config document. */
const TALOS_V1ALPHA1_KEYS = new Set(['version', 'debug', 'persist', 'machine', 'cluster']);

const UNQUOTED_COLON_VALUE = /^(\s*(?:-\s+)*[^\s#'"][^#\n]*?:[ \t]+)([^\s'"#{}[\],&*!|>%@`][^#\n]*?:)[ \t]*(#.*)?$/;

/**
 * Milliseconds of CPU this process has used: the budget is about the work a file costs, so a
 * machine busy with other programs does not make an ordinary file "too slow".
 */
function processTime(): number {
  if (typeof process !== 'undefined' && typeof process.cpuUsage === 'function') {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  }
  return performance.now();
}

/** Parses with fewer tokens do not read the clock at all. */
const CLOCK_START_TOKENS = 256;

/**
 * The time a parse may take. The clock starts when a parse reaches its 256th token:
 * reading it is a system call, and a config with thousands of small embedded manifests would
 * spend more time reading the clock than parsing them.
 */
class Budget {
  private deadline: number | undefined;

  constructor(
    private readonly now: () => number,
    private readonly ms: number,
  ) {}

  spent(): boolean {
    if (this.deadline === undefined) {
      this.deadline = this.now() + this.ms;
      return false;
    }
    return this.now() > this.deadline;
  }
}

function looksBinary(text: string): boolean {
  const head = text.slice(0, 8192);
  return head.includes('\u0000');
}

export function parseYamlSource(text: string, options: ParseOptions = {}): YamlSource {
  const now = options.now ?? processTime;
  const budgetMs = options.budgetMs ?? PARSE_BUDGET_MS;
  const budget = new Budget(now, budgetMs);
  const lines = new LineIndex(text);
  const base: Omit<YamlSource, 'documents' | 'syntaxProblems' | 'colonRepairs' | 'toOriginal'> = { text, lines };
  const identity = (offset: number) => offset;
  // A text that is not parsed at all: no documents, and why in `skipped`.
  const unparsed = (skipped: string, notChecked?: YamlSource['notChecked']): YamlSource => ({
    ...base,
    documents: [],
    syntaxProblems: [],
    colonRepairs: [],
    toOriginal: identity,
    ...(notChecked ? { notChecked } : {}),
    skipped,
  });
  if (text.length > MAX_YAML_BYTES) {
    const size = (text.length / (1024 * 1024)).toFixed(1);
    return unparsed(
      `Not checked: the file is too large (${size} MB; the limit is ${MAX_YAML_BYTES / (1024 * 1024)} MB).`,
      'too-large',
    );
  }
  if (looksBinary(text)) return unparsed('The file is binary, not YAML.');
  const tooSlow = unparsed(
    `Not checked: the file took too long to parse (over ${(budgetMs / 1000).toFixed(1)} s; ${lines.lineCount} lines). Split it${budgetMs < LINT_PARSE_BUDGET_MS ? ', or check it with `talos-oidc lint`, which allows it more time' : ''}.`,
    'too-slow',
  );

  const tooDeep = unparsed(`Not checked: the file nests more than ${MAX_NESTING_DEPTH} levels deep.`, 'too-deep');

  if (!options.full) {
    const fast = parseWithoutUnreadLists(text, budget);
    if (fast === 'too-slow') return tooSlow;
    if (fast === 'too-deep') return tooDeep;
    if (fast) return { ...base, ...fast, syntaxProblems: [], colonRepairs: [] };
  }

  let documents = boundedParse(text, budget);
  if (documents === 'too-slow') return tooSlow;
  if (documents === 'too-deep') return tooDeep;
  const firstErrors = collectErrors(documents, text);
  const repairs = findColonRepairs(text, lines, firstErrors);
  if (repairs.length === 0) {
    return { ...base, documents, syntaxProblems: limitProblems(firstErrors), colonRepairs: [], toOriginal: identity };
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
    // The i-th inserted character sits at insertions[i] + i in the repaired text; count those before `offset`.
    let low = 0;
    let high = insertions.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (insertions[mid] + mid < offset) low = mid + 1;
      else high = mid;
    }
    return offset - low;
  };
  documents = boundedParse(repaired, budget);
  if (documents === 'too-slow') return tooSlow;
  if (documents === 'too-deep') return tooDeep;
  const remaining = collectErrors(documents, repaired).map((problem) => ({
    ...problem,
    startOffset: toOriginal(problem.startOffset),
    endOffset: toOriginal(problem.endOffset),
  }));
  return { ...base, documents, syntaxProblems: limitProblems(remaining), colonRepairs: repairs, toOriginal };
}

/**
 * The fast path: the text parsed without the long lists nothing reads, when the result is certain
 * to be the full parse's minus those lists. Undefined when there is nothing to leave out, or when
 * the parse has a syntax error (then the full parse finds the errors and repairs what it can).
 */
function parseWithoutUnreadLists(
  text: string,
  budget: Budget,
): Pick<YamlSource, 'documents' | 'toOriginal' | 'elided'> | 'too-slow' | 'too-deep' | undefined {
  const elided = findElisions(text);
  if (elided.length === 0) return undefined;
  const { reduced, toOriginal } = cutRegions(text, elided);
  const documents = boundedParse(reduced, budget);
  if (typeof documents === 'string') return documents;
  if (documents.some((document) => document.errors.length > 0)) return undefined;
  // Each list's key must be where the scan found it, a key of that path in a Talos v1alpha1
  // document (other documents' bodies are read whole), its list now the first and last item.
  const confirmed = elided.every((elision) =>
    documents.some((document) => {
      const root = document.contents;
      if (!isMap(root) || !root.items.every((pair) => TALOS_V1ALPHA1_KEYS.has(scalarText(pair.key) ?? '')))
        return false;
      const found = findNode(document.contents, elision.path);
      const keyStart = (found?.pair?.key as { range?: number[] } | undefined)?.range?.[0];
      const value = found?.node;
      return (
        keyStart !== undefined &&
        toOriginal(keyStart) === elision.keyOffset &&
        isSeq(value) &&
        value.items.length === 2 &&
        value.items.every(isScalar)
      );
    }),
  );
  return confirmed ? { documents, toOriginal, elided } : undefined;
}

/**
 * Parses all documents, or gives up once the budget is spent or the nesting gets too deep. The
 * yaml package's own `parseAllDocuments` cannot be interrupted, so the lexer, parser and composer
 * are driven here token by token, with a look at the clock every few thousand tokens.
 */
function boundedParse(text: string, budget: Budget): Document.Parsed[] | 'too-slow' | 'too-deep' {
  // Each syntax error is a YAMLError, and capturing its stack trace is most of the cost of a
  // broken file (100,000 errors: about 1 s, in one step the budget cannot interrupt). Its stack
  // is never read: the error's position is in the error.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    // Node ranges are all the checks need; CST tokens (keepSourceTokens) would cost about half again as much.
    // Duplicate keys are found below with a set: the package's `uniqueKeys` compares each key with every earlier one.
    const composer = new Composer({ prettyErrors: false, uniqueKeys: false, logLevel: 'error' });
    const parser = new Parser();
    const documents: Document.Parsed[] = [];
    let tokens = 0;
    for (const lexeme of new Lexer().lex(text)) {
      for (const token of parser.next(lexeme)) documents.push(...(composer.next(token) as Iterable<Document.Parsed>));
      if (parser.stack.length > MAX_NESTING_DEPTH) return 'too-deep';
      if (((++tokens & 2047) === 0 || tokens === CLOCK_START_TOKENS) && budget.spent()) return 'too-slow';
    }
    for (const token of parser.end()) documents.push(...(composer.next(token) as Iterable<Document.Parsed>));
    documents.push(...(composer.end() as Iterable<Document.Parsed>));
    if (tokens >= CLOCK_START_TOKENS && budget.spent()) return 'too-slow';
    for (const document of documents) reportDuplicateKeys(document);
    return documents;
  } catch {
    return [];
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/** Adds the error `uniqueKeys` would have raised ("Map keys must be unique"), in one pass over each map. */
function reportDuplicateKeys(document: Document.Parsed): void {
  const pending: unknown[] = [document.contents];
  while (pending.length > 0) {
    const node = pending.pop();
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = pair.key;
        if (isScalar(key)) {
          // Same test as the package's: scalar values that are === (so `1` and `"1"` differ).
          const value = key.value;
          const identity = typeof value === 'object' && value !== null ? undefined : `${typeof value}:${String(value)}`;
          if (identity !== undefined && !(typeof value === 'number' && Number.isNaN(value))) {
            if (seen.has(identity)) {
              const at = key.range?.[0] ?? 0;
              document.errors.push(new YAMLParseError([at, at + 1], 'DUPLICATE_KEY', 'Map keys must be unique'));
            } else seen.add(identity);
          }
        } else if (key) pending.push(key);
        pending.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) pending.push(item);
    }
  }
  if (document.errors.length > 1) document.errors.sort((a, b) => a.pos[0] - b.pos[0]);
}

function limitProblems(problems: SyntaxProblem[]): SyntaxProblem[] {
  if (problems.length <= MAX_SYNTAX_PROBLEMS) return problems;
  const last = problems[MAX_SYNTAX_PROBLEMS - 1];
  return [
    ...problems.slice(0, MAX_SYNTAX_PROBLEMS - 1),
    {
      ...last,
      message: `${last.message} (and ${problems.length - MAX_SYNTAX_PROBLEMS} more syntax errors after this one, not listed)`,
    },
  ];
}

function collectErrors(documents: Document.Parsed[], text: string): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  let unclosed: number[] | undefined;
  for (const document of documents) {
    for (const error of document.errors) {
      // The parser may point one past the end of the text (an unclosed quote at EOF).
      let start = Math.min(error.pos[0], text.length);
      let end = Math.min(Math.max(error.pos[1], start), text.length);
      const message = cleanMessage(error.message);
      if (/^Missing closing .?quote/.test(message)) {
        unclosed ??= unclosedQuotes(text);
        [start, end] = openingQuote(text, unclosed, start) ?? [start, end];
      }
      problems.push({ message, startOffset: start, endOffset: end, code: error.code });
    }
  }
  return problems;
}

/**
 * Offsets of opening quotes not closed on their own line, found in one pass: pairs of
 * [offset of the match (the character before the quote, or the quote at a line start), offset of the quote].
 */
function unclosedQuotes(text: string): number[] {
  const opener = /(^|[\s:,[{-])(["'])/gm;
  const found: number[] = [];
  let lineEnd = -1;
  for (let match = opener.exec(text); match; match = opener.exec(text)) {
    const quoteAt = match.index + match[1].length;
    if (quoteAt > lineEnd) {
      lineEnd = text.indexOf('\n', quoteAt);
      if (lineEnd === -1) lineEnd = text.length;
    }
    // Skip quotes closed on the same line.
    const close = text.indexOf(match[2], quoteAt + 1);
    if (close === -1 || close > lineEnd) found.push(match.index, quoteAt);
    else opener.lastIndex = close + 1;
  }
  return found;
}

/** The quote that was never closed: the last opening quote before `offset`, up to the end of its line. */
function openingQuote(text: string, unclosed: number[], offset: number): [number, number] | undefined {
  // Binary search over the pairs for the last match that starts before `offset`.
  let low = 0;
  let high = unclosed.length / 2;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (unclosed[mid * 2] < offset) low = mid + 1;
    else high = mid;
  }
  if (low === 0) return undefined;
  const found = unclosed[(low - 1) * 2 + 1];
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

/**
 * The key of a map that has one key and no value, else undefined. A value that ends with a colon,
 * on a line of its own (`oidc:`), reads as such a map.
 */
export function keyOnlyMap(node: unknown): string | undefined {
  if (!isMap(node) || node.items.length !== 1) return undefined;
  const pair = node.items[0];
  const key = scalarText(pair.key);
  const value = pair.value;
  if (key === undefined || !(value === null || (isScalar(value) && value.value === null))) return undefined;
  return key;
}

/** A whole document as plain data, never throwing (alias bombs and the like become undefined). */
export function documentToPlain(document: Document.Parsed): unknown {
  try {
    return document.toJS({ maxAliasCount: 100 });
  } catch {
    return undefined;
  }
}

/** The source range of a node or pair key/value in original-text coordinates. */
export function nodeRange(source: YamlSource, node: unknown): SourceRange | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  if (!range) return undefined;
  return source.lines.range(source.toOriginal(range[0]), source.toOriginal(range[1]));
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
