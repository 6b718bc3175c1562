/**
 * The fast path of the parse: long lists that nothing in talos-oidc reads (a Talos config's
 * `cluster.extraManifests`, `machine.certSANs`) are cut from the text before the yaml package
 * sees it. Its CST parser costs about as much per token as the whole parse, so the only way to be
 * faster than a full parse is to give it fewer tokens.
 *
 * Lines are cut only from lists whose every line is an item YAML reads as one plain single-line
 * string without error (or a blank or comment line), so the full parse would find no syntax
 * error in them; the first and last item stay. `parseYamlSource` checks the result afterwards
 * (the key is where the scan said, its list now those two items, no error anywhere) and parses the
 * whole text when any of that does not hold.
 */

/** `machine` / `cluster` key → child keys whose list values no check, model or edit reads. */
const UNREAD_LISTS: Record<string, ReadonlySet<string>> = {
  cluster: new Set(['extraManifests']),
  machine: new Set(['certSANs']),
};

/** Fewer item lines than this are not worth cutting (the check afterwards costs a little). */
const MIN_ITEMS = 64;

export interface Elision {
  /** Original offset of the list's key (`extraManifests`). */
  keyOffset: number;
  /** The key path of the list in its document. */
  path: [string, string];
  /** Original offsets of the cut: from the line after the first item to the start of the last item's line. */
  start: number;
  end: number;
}

const TOP_KEY = /^(machine|cluster):[ ]*(?:#.*)?\r?$/;
const CHILD_KEY = /^( +)([A-Za-z][A-Za-z0-9]*):[ ]*(?:#[\x20-\x7e]*)?\r?$/;
/**
 * One list item YAML reads as a plain one-line string with no error: printable ASCII, a first
 * character that is no indicator, no `: ` or ` #` inside, not ending with a colon, an optional
 * comment after a blank.
 */
const SIMPLE_ITEM =
  /^( *)- [A-Za-z0-9_./$(](?:[\x21-\x22\x24-\x39\x3b-\x7e]|:(?=[\x21-\x7e])|[ ]+(?=[\x21-\x22\x24-\x7e])|#)*[ ]*(?:[ ]#[\x20-\x7e]*)?\r?$/;
const BLANK_OR_COMMENT = /^[ ]*(?:#[\x20-\x7e]*)?\r?$/;

/** The regions of `text` that may be cut, in ascending order. */
export function findElisions(text: string): Elision[] {
  const elisions: Elision[] = [];
  let top: string | undefined;
  let childIndent = -1;
  let lineStart = 0;
  while (lineStart < text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    const next = lineEnd + 1;
    // Most lines are decided by their indentation and first character, without a regular expression.
    let first = lineStart;
    while (first < lineEnd && text.charCodeAt(first) === 32) first++;
    const firstChar = text.charCodeAt(first);
    if (first === lineEnd || firstChar === 35 /* # */ || (firstChar === 13 /* \r */ && first + 1 === lineEnd)) {
      lineStart = next;
      continue;
    }
    const indent = first - lineStart;
    if (indent === 0) {
      top = TOP_KEY.exec(text.slice(lineStart, lineEnd))?.[1];
      childIndent = -1;
      lineStart = next;
      continue;
    }
    if (top === undefined) {
      lineStart = next;
      continue;
    }
    if (childIndent === -1) childIndent = indent;
    const key = indent === childIndent ? CHILD_KEY.exec(text.slice(lineStart, lineEnd)) : null;
    if (key && UNREAD_LISTS[top].has(key[2])) {
      const region = listAfter(text, next, indent);
      if (region) {
        elisions.push({ keyOffset: lineStart + indent, path: [top, key[2]], ...region });
        lineStart = region.end; // the last item's line, indented deeper than the key: passed over
        continue;
      }
    }
    lineStart = next;
  }
  return elisions;
}

/**
 * The lines to cut from the simple list items that start at `start` (blank and comment lines
 * between them count with them), when they all sit at one indentation not less than the key's and
 * the first line after them that is not blank or a comment is indented no more than the key. The
 * first and the last item stay, so the list still starts and ends where it did: the ranges of the
 * maps that hold it end where the full parse ends them.
 */
function listAfter(text: string, start: number, keyIndent: number): { start: number; end: number } | undefined {
  let itemIndent = -1;
  let items = 0;
  let afterFirst = start;
  let lastStart = start;
  let lineStart = start;
  while (lineStart < text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd);
    const item = SIMPLE_ITEM.exec(line);
    if (item && (itemIndent === -1 ? item[1].length >= keyIndent : item[1].length === itemIndent)) {
      itemIndent = item[1].length;
      if (items === 0) afterFirst = lineEnd + 1;
      lastStart = lineStart;
      items++;
    } else if (!BLANK_OR_COMMENT.test(line)) {
      const indent = line.length - line.trimStart().length;
      if (indent > keyIndent) return undefined;
      break;
    }
    lineStart = lineEnd + 1;
  }
  if (items < MIN_ITEMS) return undefined;
  return { start: afterFirst, end: lastStart };
}

/** `text` without the regions, and the map from its offsets back to the original's. */
export function cutRegions(
  text: string,
  elisions: Elision[],
): { reduced: string; toOriginal: (offset: number) => number } {
  let reduced = '';
  let last = 0;
  // For each cut: its offset in the reduced text, and how much was removed up to and including it.
  const at: number[] = [];
  const removed: number[] = [];
  let total = 0;
  for (const elision of elisions) {
    reduced += text.slice(last, elision.start);
    at.push(elision.start - total);
    total += elision.end - elision.start;
    removed.push(total);
    last = elision.end;
  }
  reduced += text.slice(last);
  const toOriginal = (offset: number): number => {
    // An offset at a cut is the start of the line after it (a node that ends there ends after the list).
    let low = 0;
    let high = at.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (at[mid] <= offset) low = mid + 1;
      else high = mid;
    }
    return low === 0 ? offset : offset + removed[low - 1];
  };
  return { reduced, toOriginal };
}
