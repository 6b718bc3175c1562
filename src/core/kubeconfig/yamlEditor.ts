/**
 * The text edits behind setKubeconfigUser (edit.ts): on the `yaml` package's node ranges, new
 * or replaced entries written in the file's own style (block or flow, its sequence indentation,
 * its indentation unit, its line ending), so that every other byte stays as it was.
 */
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  Scalar,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { isRecord } from '../data/record';
import { toYaml } from '../generate/yaml';
import { nodeContentEnd } from '../generate/yamlText';
import { LineIndex } from '../text/range';

/** A kubeconfig that cannot be edited safely; the message says why, for the user. */
export class KubeconfigEditError extends Error {
  override name = 'KubeconfigEditError';
}

type AnyNode = Node | null | undefined;
type AnyPair = Pair<Node, Node | null>;

interface Edit {
  startOffset: number;
  endOffset: number;
  newText: string;
}

interface NamedItem {
  name: string;
  node: YAMLMap;
}

export function namedItems(root: YAMLMap, key: string): NamedItem[] {
  const list = root.get(key, true);
  if (!isSeq(list)) return [];
  const items: NamedItem[] = [];
  for (const item of list.items) {
    if (!isMap(item)) continue;
    const name = item.get('name', true);
    if (isScalar(name) && typeof name.value === 'string') items.push({ name: name.value, node: item });
  }
  return items;
}

function findPair(map: YAMLMap, key: string): AnyPair | undefined {
  return (map.items as AnyPair[]).find((pair) => isScalar(pair.key) && pair.key.value === key);
}

/** JSON of plain data with keys sorted, to compare regardless of key order. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    isRecord(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

export class KubeconfigYamlEditor {
  readonly edits: Edit[] = [];
  private readonly lines: LineIndex;
  private readonly eol: string;
  /** Seq items under a map key written flush with the key (`users:\n- name`) as kubectl does. */
  private readonly indentSeq: boolean;
  private readonly unit: number;
  private readonly rootAdditions: [string, unknown][] = [];

  constructor(
    private readonly text: string,
    doc: Document.Parsed,
  ) {
    this.lines = new LineIndex(text);
    this.eol = text.includes('\r\n') ? '\r\n' : '\n';
    const style = detectStyle(text, this.lines, doc);
    this.indentSeq = style.indentSeq;
    this.unit = style.unit;
  }

  private column(offset: number): number {
    return this.lines.positionAt(offset).character;
  }

  private push(startOffset: number, endOffset: number, newText: string): void {
    this.edits.push({ startOffset, endOffset, newText: newText.replace(/\r?\n/g, this.eol) });
  }

  /** Where a node's content ends (before trailing newlines and comments). */
  private contentEnd(node: AnyNode, fallback: number): number {
    return nodeContentEnd(this.text, node, fallback);
  }

  /** End of the line on which a node's content ends (so a trailing comment goes with it). */
  private lineEndAfter(node: AnyNode, fallback: number): number {
    const end = this.contentEnd(node, fallback);
    return this.lines.lineEnd(this.lines.positionAt(end).line);
  }

  /** Block YAML of a value with every line but the first indented to `column`. */
  private block(value: unknown, column: number): string {
    const lines = toYaml(value, { indent: this.unit, indentSeq: this.indentSeq }).replace(/\n$/, '').split('\n');
    return lines.map((line, i) => (i === 0 || line === '' ? line : ' '.repeat(column) + line)).join('\n');
  }

  /** Flow YAML of a value (JSON is valid flow YAML), for flow collections. */
  private flow(value: unknown): string {
    return JSON.stringify(value);
  }

  /** Adds or updates the item named `name` of the list `listKey`, setting its `field` to `value`. */
  setNamedItem(root: YAMLMap, listKey: string, name: string, field: string, value: unknown): void {
    const pair = findPair(root, listKey);
    const item = { name, [field]: value };
    if (!pair) {
      this.rootAdditions.push([listKey, [item]]);
      return;
    }
    const list = pair.value;
    if (isSeq(list)) {
      const matches = namedItems(root, listKey).filter((entry) => entry.name === name);
      if (matches.length > 1) {
        const lines = matches.map((match) => this.lines.positionAt(match.node.range![0]).line + 1);
        throw new KubeconfigEditError(
          `the kubeconfig has ${matches.length} ${listKey} named "${name}" (lines ${lines.join(', ')}); kubectl would use only one, so remove the duplicates first`,
        );
      }
      if (matches.length === 1) {
        this.replaceField(matches[0].node, field, value, pair);
        return;
      }
      this.appendToSeq(list, item, pair, root.flow === true);
      return;
    }
    if (list === null || (isScalar(list) && (list.value === null || list.value === ''))) {
      this.replacePairValue(pair, [item], root.flow === true);
      return;
    }
    if (isAlias(list)) throw new KubeconfigEditError(`"${listKey}" is an alias (*${list.source}); edit it by hand`);
    throw new KubeconfigEditError(`"${listKey}" in the kubeconfig is not a list`);
  }

  /** Sets `field` of an existing list item when it differs. */
  private replaceField(itemNode: YAMLMap, field: string, value: unknown, listPair: AnyPair): void {
    const fieldPair = findPair(itemNode, field);
    const inFlow = itemNode.flow === true || (listPair.value as YAMLSeq).flow === true;
    if (fieldPair) {
      const current = fieldPair.value;
      // An alias (`user: *shared`) is simply replaced; an anchored value others may point at is not ours to change.
      if (current && !isAlias(current) && current.anchor) {
        throw new KubeconfigEditError(
          `the ${field} of "${String(itemNode.get('name'))}" carries the anchor &${current.anchor} that other entries may use; give the user another name or edit it by hand`,
        );
      }
      if (current && !isAlias(current) && canonical(current.toJSON()) === canonical(value)) return;
      this.replacePairValue(fieldPair, value, inFlow);
      return;
    }
    this.appendPair(itemNode, field, value, inFlow);
  }

  /** Replaces the value of a pair (everything after its colon, up to the end of the value's last line). */
  private replacePairValue(pair: AnyPair, value: unknown, inFlow: boolean): void {
    const key = pair.key as Node;
    const colon = this.text.indexOf(':', key.range![1]);
    const current = pair.value;
    if (inFlow) {
      const start = current?.range ? current.range[0] : colon + 1;
      const end = current?.range ? this.contentEnd(current, start) : colon + 1;
      this.push(start, end, (current?.range ? '' : ' ') + this.flow(value));
      return;
    }
    const keyColumn = this.column(key.range![0]);
    const end = current?.range
      ? this.lineEndAfter(current, colon + 1)
      : this.lines.lineEnd(this.lines.positionAt(colon).line);
    if (value === null || typeof value !== 'object') {
      this.push(colon + 1, end, ` ${this.scalar(value, current)}`);
      return;
    }
    // Keep the column the old block value used, else the file's indentation style.
    let column: number;
    if (Array.isArray(value)) {
      column =
        isSeq(current) && !current.flow && current.items.length > 0
          ? this.dashColumn(current.items[0] as Node).column
          : keyColumn + (this.indentSeq ? this.unit : 0);
    } else {
      const firstKey =
        isMap(current) && !current.flow && current.items.length > 0
          ? (current.items[0] as AnyPair).key?.range?.[0]
          : undefined;
      column = firstKey !== undefined ? this.column(firstKey) : keyColumn + this.unit;
    }
    this.push(colon + 1, end, `\n${' '.repeat(column)}${this.block(value, column)}`);
  }

  /** The column of the `-` of a block sequence item, and whether it is on the item's first line. */
  private dashColumn(item: Node): { column: number; sameLine: boolean } {
    const start = item.range![0];
    const lineStart = this.lines.lineStart(this.lines.positionAt(start).line);
    const before = this.text.slice(lineStart, start);
    const dash = before.search(/-(?=\s)(?!.*-\s)/);
    return dash >= 0
      ? { column: dash, sameLine: true }
      : { column: Math.max(0, this.column(start) - 2), sameLine: false };
  }

  private appendToSeq(list: YAMLSeq, item: unknown, pair: AnyPair, inFlow: boolean): void {
    if (list.flow) {
      // `users: []` in a block file becomes a block list, as kubectl would write it.
      if (list.items.length === 0 && !inFlow) {
        this.replacePairValue(pair, [item], false);
        return;
      }
      if (list.items.length === 0) {
        this.push(list.range![0], this.contentEnd(list, list.range![1]), `[${this.flow(item)}]`);
        return;
      }
      const last = list.items[list.items.length - 1] as Node;
      const lastEnd = this.contentEnd(last, list.range![1]);
      const ownLine = this.lines.positionAt(last.range![0]).line !== this.lines.positionAt(list.range![0]).line;
      const separator = ownLine ? `,\n${' '.repeat(this.column(last.range![0]))}` : ', ';
      this.push(lastEnd, lastEnd, separator + this.flow(item));
      return;
    }
    if (list.items.length === 0) {
      this.replacePairValue(pair, [item], false);
      return;
    }
    const last = list.items[list.items.length - 1] as Node;
    const dash = this.dashColumn(last);
    const content = dash.sameLine ? this.column(last.range![0]) : dash.column + 2;
    const at = this.lineEndAfter(last, last.range![0]);
    this.push(
      at,
      at,
      `\n${' '.repeat(dash.column)}-${' '.repeat(Math.max(1, content - dash.column - 1))}${this.block(item, content)}`,
    );
  }

  private appendPair(map: YAMLMap, key: string, value: unknown, inFlow: boolean): void {
    const last = map.items[map.items.length - 1] as AnyPair | undefined;
    if (inFlow || map.flow) {
      if (!last) {
        this.push(map.range![0], this.contentEnd(map, map.range![1]), `{${JSON.stringify(key)}: ${this.flow(value)}}`);
        return;
      }
      const lastEnd = this.contentEnd(last.value, last.key.range![1]);
      const ownLine = this.lines.positionAt(last.key.range![0]).line !== this.lines.positionAt(map.range![0]).line;
      const separator = ownLine ? `,\n${' '.repeat(this.column(last.key.range![0]))}` : ', ';
      this.push(lastEnd, lastEnd, `${separator}${JSON.stringify(key)}: ${this.flow(value)}`);
      return;
    }
    const column = last ? this.column(last.key.range![0]) : 0;
    const at = last ? this.lineEndAfter(last.value, last.key.range![1]) : this.text.length;
    const text = this.block({ [key]: value }, column);
    this.push(at, at, `\n${' '.repeat(column)}${text}`);
  }

  /** Sets a top-level scalar such as `current-context`. */
  setScalar(root: YAMLMap, key: string, value: string): void {
    const pair = findPair(root, key);
    if (!pair) {
      this.rootAdditions.push([key, value]);
      return;
    }
    const current = pair.value;
    if (isScalar(current) && current.value === value) return;
    if (current && !isScalar(current)) throw new KubeconfigEditError(`"${key}" in the kubeconfig is not a string`);
    if (root.flow) {
      if (current?.range) this.push(current.range[0], current.range[1], JSON.stringify(value));
      else
        this.push(
          this.text.indexOf(':', pair.key.range![1]) + 1,
          this.text.indexOf(':', pair.key.range![1]) + 1,
          ` ${JSON.stringify(value)}`,
        );
      return;
    }
    if (current?.range && current.range[1] > current.range[0])
      this.push(current.range[0], current.range[1], this.scalar(value, current));
    else {
      const colon = this.text.indexOf(':', pair.key.range![1]);
      const end = current?.range ? current.range[1] : colon + 1;
      this.push(colon + 1, end, ` ${this.scalar(value, current)}`);
    }
  }

  /** A scalar in the quoting style of the one it replaces (plain when that is safe). */
  private scalar(value: unknown, previous: AnyNode): string {
    if (typeof value !== 'string') return JSON.stringify(value);
    if (isScalar(previous) && previous.type === Scalar.QUOTE_DOUBLE) return JSON.stringify(value);
    if (isScalar(previous) && previous.type === Scalar.QUOTE_SINGLE) return `'${value.replace(/'/g, "''")}'`;
    return toYaml(value).replace(/\n$/, '');
  }

  /** Adds the top-level keys that were missing, after the last top-level pair. */
  flushRootAdditions(root: YAMLMap): void {
    if (root.flow && root.items.length === 0 && this.rootAdditions.length > 0) {
      // `{}`: one replacement holding every new key (separate edits would overlap).
      this.push(
        root.range![0],
        this.contentEnd(root, root.range![1]),
        this.flow(Object.fromEntries(this.rootAdditions)),
      );
      return;
    }
    for (const [key, value] of this.rootAdditions) this.appendPair(root, key, value, root.flow === true);
  }
}

/** The file's indentation step and whether its sequences are indented under their key. */
function detectStyle(text: string, lines: LineIndex, doc: Document.Parsed): { unit: number; indentSeq: boolean } {
  let unit: number | undefined;
  let indentSeq: boolean | undefined;
  const root = doc.contents;
  const visitMap = (map: YAMLMap) => {
    for (const pair of map.items as AnyPair[]) {
      const value = pair.value;
      const keyStart = pair.key?.range?.[0];
      if (keyStart === undefined || !value || !value.range) continue;
      const keyColumn = lines.positionAt(keyStart).character;
      if (isMap(value) && !value.flow && value.items.length > 0 && unit === undefined) {
        const childStart = (value.items[0] as AnyPair).key?.range?.[0];
        if (childStart !== undefined) {
          const step = lines.positionAt(childStart).character - keyColumn;
          if (step > 0) unit = step;
        }
      }
      if (isSeq(value) && !value.flow && value.items.length > 0 && indentSeq === undefined) {
        const lineStart = lines.lineStart(lines.positionAt(value.range[0]).line);
        const dash = text.indexOf('-', lineStart);
        if (dash >= 0 && dash < value.range[1]) indentSeq = dash - lineStart > keyColumn;
      }
      if (isMap(value) && !value.flow) visitMap(value);
      if (isSeq(value) && !value.flow) for (const item of value.items) if (isMap(item) && !item.flow) visitMap(item);
    }
  };
  if (isMap(root)) visitMap(root);
  return { unit: unit ?? 2, indentSeq: indentSeq ?? false };
}

/** Re-reads the result: it must be valid YAML with exactly the requested user and context. */
