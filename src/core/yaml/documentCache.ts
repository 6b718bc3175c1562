/**
 * Re-parsing after a keystroke: a multi-document file is split at its `---` lines and each
 * document's text is parsed once; the next parse of the same file reuses every document whose
 * text did not change. The result is the `YamlSource` a parse of the whole text gives (the unit
 * test compares them); whenever that is not certain (a syntax error, directives, `...` markers,
 * a file too large or binary) the whole text is parsed instead.
 */
import { visit, type Document } from 'yaml';
import { LineIndex } from '../text/range';
import { MAX_YAML_BYTES, parseYamlSource, type ParseOptions, type YamlSource } from './source';

/**
 * Each cached document's node offsets are moved, once, into a slot of their own (slot × SLOT +
 * offset in its text), so a source assembled from cached documents maps every offset back without
 * touching the nodes again when an edit before them moves them. Larger than any parsed text.
 */
const SLOT = 2 ** 26;

/** More documents than this are parsed as one text (each document parse has its own time budget). */
const MAX_DOCUMENTS = 256;

interface CachedDocument {
  slot: number;
  documents: Document.Parsed[];
  /** The document text's own map from its parsed offsets back to its offsets (lists left out). */
  toOriginal: (offset: number) => number;
  elided: NonNullable<YamlSource['elided']>;
}

export class YamlDocumentCache {
  private byText = new Map<string, CachedDocument>();
  private nextSlot = 1;

  /** The parse of `text`, reusing the documents whose text is the same as in the previous parse. */
  parse(text: string, options: ParseOptions = {}): YamlSource {
    const pieces = options.full ? undefined : splitDocuments(text);
    if (!pieces) {
      this.byText.clear();
      return parseYamlSource(text, options);
    }
    const kept = new Map<string, CachedDocument>();
    const parts: { start: number; cached: CachedDocument }[] = [];
    for (const piece of pieces) {
      const pieceText = text.slice(piece.start, piece.end);
      let cached = kept.get(pieceText) ?? this.byText.get(pieceText);
      // The same text twice in one file: each needs its own slot.
      if (cached && parts.some((part) => part.cached === cached)) cached = undefined;
      if (!cached) {
        const source = parseYamlSource(pieceText, options);
        // Only a clean parse is certain to be what the whole text's parse has for this document.
        if (source.skipped || source.syntaxProblems.length > 0 || source.colonRepairs.length > 0) {
          this.byText.clear();
          return parseYamlSource(text, options);
        }
        cached = this.adopt(source);
      }
      kept.set(pieceText, cached);
      parts.push({ start: piece.start, cached });
    }
    this.byText = kept;
    return assemble(text, parts);
  }

  /** Moves a freshly parsed document text's nodes into a slot of their own. */
  private adopt(source: YamlSource): CachedDocument {
    const slot = this.nextSlot++;
    const base = slot * SLOT;
    for (const document of source.documents) {
      const shift = (range: [number, number, number] | null | undefined) => {
        if (range) for (let i = 0; i < range.length; i++) range[i] += base;
      };
      shift(document.range);
      visit(document, (_key, node) => {
        shift((node as { range?: [number, number, number] | null } | null)?.range);
      });
    }
    return { slot, documents: source.documents, toOriginal: source.toOriginal, elided: source.elided ?? [] };
  }
}

/** The document texts of `text`, from each `---` line to the next; undefined when splitting is not certain. */
function splitDocuments(text: string): { start: number; end: number }[] | undefined {
  if (text.length > MAX_YAML_BYTES || text.slice(0, 8192).includes('\u0000')) return undefined;
  // Directives apply across a marker, and `...` ends a document without starting one.
  if (/^(?:%|\.\.\.(?:[ \t\r\n]|$))/m.test(text)) return undefined;
  const starts = [0];
  const marker = /^---(?=[ \t\r\n]|$)/gm;
  for (let match = marker.exec(text); match; match = marker.exec(text)) if (match.index > 0) starts.push(match.index);
  if (starts.length > MAX_DOCUMENTS) return undefined;
  return starts.map((start, index) => ({ start, end: starts[index + 1] ?? text.length }));
}

function assemble(text: string, parts: { start: number; cached: CachedDocument }[]): YamlSource {
  const startOfSlot = new Map<number, { start: number; toOriginal: (offset: number) => number }>();
  const documents: Document.Parsed[] = [];
  const elided: NonNullable<YamlSource['elided']> = [];
  for (const { start, cached } of parts) {
    startOfSlot.set(cached.slot, { start, toOriginal: cached.toOriginal });
    documents.push(...cached.documents);
    for (const elision of cached.elided)
      elided.push({
        ...elision,
        keyOffset: elision.keyOffset + start,
        start: elision.start + start,
        end: elision.end + start,
      });
  }
  const toOriginal = (offset: number): number => {
    const slot = Math.floor(offset / SLOT);
    const part = startOfSlot.get(slot);
    return part ? part.start + part.toOriginal(offset - slot * SLOT) : offset;
  };
  const source: YamlSource = {
    text,
    lines: new LineIndex(text),
    documents,
    syntaxProblems: [],
    colonRepairs: [],
    toOriginal,
  };
  if (elided.length > 0) source.elided = elided;
  return source;
}
