/**
 * YAML held inside another file: a talhelper patch written as a block string, the value of an
 * RFC 6902 JSON patch, an AuthenticationConfiguration written by `machine.files`. Each becomes a
 * virtual file that the checks read like any other; an offset map carries findings and fix edits
 * back to the exact place in the file the user edits.
 */
import { isScalar, type Scalar } from 'yaml';
import { LineIndex, type SourceRange } from '../text/range';
import type { YamlSource } from '../yaml/source';
import type { EmbeddedFile, HostOffsetMap, ParsedFile } from './types';

/** One line of the virtual text: columns from `virtualFrom` on map to `hostStart`…`hostEnd`; earlier columns (synthetic text) map to `anchor`. */
interface LineMapping {
  virtualFrom: number;
  hostStart: number;
  hostEnd: number;
  anchor: number;
}

export class OffsetMap implements HostOffsetMap {
  private readonly virtualLines: LineIndex;

  constructor(
    virtualText: string,
    private readonly lines: LineMapping[],
    readonly indentShift: number,
    private readonly hostEol = '\n',
  ) {
    this.virtualLines = new LineIndex(virtualText);
  }

  toHost(offset: number): number {
    const position = this.virtualLines.positionAt(offset);
    const line = this.lines[Math.min(position.line, this.lines.length - 1)];
    if (!line) return 0;
    if (position.character < line.virtualFrom) return line.anchor;
    return Math.min(line.hostStart + (position.character - line.virtualFrom), line.hostEnd);
  }

  /** Text inserted on new lines in the virtual file gets the host's extra indentation and line breaks. */
  toHostText(text: string): string {
    if (!text.includes('\n')) return text;
    const eol = this.hostEol;
    if (this.indentShift >= 0) return text.replace(/\r?\n/g, eol + ' '.repeat(this.indentShift));
    const remove = -this.indentShift;
    return text.replace(new RegExp(`\\r?\\n {0,${remove}}`, 'g'), eol);
  }
}

/**
 * The map for a literal block scalar (`|`, `|-`): the decoded value is the content lines with the
 * block's indentation removed. Undefined when the value is not such a block, or when the decoded
 * text does not line up with the source (then positions would be wrong, so nothing is embedded).
 */
export function blockScalarMap(source: YamlSource, node: unknown): { text: string; map: OffsetMap } | undefined {
  if (!isScalar(node) || typeof node.value !== 'string') return undefined;
  const scalar = node as Scalar<string>;
  if (scalar.type !== 'BLOCK_LITERAL' || !scalar.range) return undefined;
  const value = scalar.value;
  const start = source.toOriginal(scalar.range[0]);
  const headerLine = source.lines.positionAt(start).line;
  const virtualLines = value.split('\n');
  // The indentation: that of the first non-blank content line.
  let indent: number | undefined;
  for (let index = 0; index < virtualLines.length; index++) {
    if (virtualLines[index].trim() === '') continue;
    const hostLine = headerLine + 1 + index;
    const hostText = source.text.slice(source.lines.lineStart(hostLine), source.lines.lineEnd(hostLine));
    indent = hostText.length - virtualLines[index].length;
    break;
  }
  if (indent === undefined || indent < 0) return undefined;
  const mappings: LineMapping[] = [];
  for (let index = 0; index < virtualLines.length; index++) {
    const hostLine = headerLine + 1 + index;
    if (hostLine >= source.lines.lineCount) break;
    const lineStart = source.lines.lineStart(hostLine);
    const lineEnd = source.lines.lineEnd(hostLine);
    const hostText = source.text.slice(lineStart, lineEnd);
    if (virtualLines[index] !== '' && hostText.slice(indent) !== virtualLines[index]) return undefined;
    mappings.push({
      virtualFrom: 0,
      hostStart: Math.min(lineStart + indent, lineEnd),
      hostEnd: lineEnd,
      anchor: lineStart,
    });
  }
  return { text: value, map: new OffsetMap(value, mappings, indent, source.text.includes('\r\n') ? '\r\n' : '\n') };
}

/**
 * A virtual text built from synthetic lines (keys that a JSON patch names in its `path`) followed
 * by lines copied from the host with their indentation changed by `shift` (host = virtual + shift).
 */
export class SyntheticTextBuilder {
  private readonly parts: string[] = [];
  private readonly mappings: LineMapping[] = [];

  constructor(private readonly source: YamlSource) {}

  /** A line of the virtual file that the host does not have; positions on it map to `anchor`. */
  synthetic(line: string, anchor: number): void {
    this.parts.push(line);
    this.mappings.push({ virtualFrom: Number.MAX_SAFE_INTEGER, hostStart: anchor, hostEnd: anchor, anchor });
  }

  /** `prefix` (synthetic) followed by host text from `hostStart` to `hostEnd` (one line). */
  mixed(prefix: string, hostStart: number, hostEnd: number, anchor: number): void {
    this.parts.push(prefix + this.source.text.slice(hostStart, hostEnd));
    this.mappings.push({ virtualFrom: prefix.length, hostStart, hostEnd, anchor });
  }

  /** Host lines `first`…`last`, re-indented: `hostIndent` leading columns become `virtualIndent` spaces. */
  hostLines(first: number, last: number, hostIndent: number, virtualIndent: number): boolean {
    for (let line = first; line <= last; line++) {
      const lineStart = this.source.lines.lineStart(line);
      const lineEnd = this.source.lines.lineEnd(line);
      const text = this.source.text.slice(lineStart, lineEnd);
      if (text.trim() === '') {
        this.parts.push('');
        this.mappings.push({ virtualFrom: 0, hostStart: lineStart, hostEnd: lineEnd, anchor: lineStart });
        continue;
      }
      if (!/^ *$/.test(text.slice(0, hostIndent))) return false;
      this.parts.push(' '.repeat(virtualIndent) + text.slice(hostIndent));
      this.mappings.push({
        virtualFrom: virtualIndent,
        hostStart: lineStart + hostIndent,
        hostEnd: lineEnd,
        anchor: lineStart,
      });
    }
    return true;
  }

  build(indentShift: number): { text: string; map: OffsetMap } {
    const text = this.parts.join('\n') + '\n';
    const eol = this.source.text.includes('\r\n') ? '\r\n' : '\n';
    return {
      text,
      map: new OffsetMap(
        text,
        [
          ...this.mappings,
          {
            virtualFrom: 0,
            hostStart: this.source.text.length,
            hostEnd: this.source.text.length,
            anchor: this.source.text.length,
          },
        ],
        indentShift,
        eol,
      ),
    };
  }
}

/** A host range for a virtual range. */
export function hostRange(host: { lines: LineIndex }, embedded: EmbeddedFile, range: SourceRange): SourceRange {
  const start = embedded.map.toHost(range.startOffset);
  const end = Math.max(start, embedded.map.toHost(range.endOffset));
  return host.lines.range(start, end);
}

/** Every file the checks should see: each file and the virtual files embedded in it. */
export function withEmbedded(files: ParsedFile[]): ParsedFile[] {
  return files.flatMap((file) => [file, ...(file.embedded ?? []).map((entry) => entry.parsed)]);
}
