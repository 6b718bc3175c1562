/**
 * Text edits that put one exec user into an open kubeconfig: replace the user of the same name,
 * else add it after the last `users` entry, else create `users:`. Everything else keeps its bytes.
 * (Writing ~/.kube/config safely on disk is the kubeconfig feature's job; this edits an editor.)
 */
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLSeq } from 'yaml';
import type { TextEdit } from '../../core/checks/finding';
import { toYaml } from '../../core/generate/yaml';
import type { KubeconfigExec } from '../../core/generate/index';
import type { ParsedFile } from '../../core/workspace/types';
import { findNode, scalarText } from '../../core/yaml/source';

export function kubeconfigUserEdits(
  parsed: ParsedFile,
  name: string,
  exec: KubeconfigExec,
): { edits: TextEdit[]; replaced: boolean } {
  const { source, file } = parsed;
  const text = parsed.text;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const edit = (startOffset: number, endOffset: number, newText: string): TextEdit => ({
    file,
    startOffset,
    endOffset,
    newText: newText.replace(/\r?\n/g, eol),
  });
  const original = (offset: number) => source.toOriginal(offset);
  const column = (offset: number) => parsed.lines.positionAt(offset).character;
  const item = { name, user: { exec } };
  const itemLines = (contentColumn: number) =>
    toYaml(item)
      .replace(/\n$/, '')
      .split('\n')
      .map((line, i) => (i === 0 || !line ? line : ' '.repeat(contentColumn) + line));

  const document = source.documents.find(
    (doc) =>
      isMap(doc.contents) &&
      (scalarText(findNode(doc.contents, ['kind'])?.node) === 'Config' ||
        doc.contents.has('users') ||
        doc.contents.has('clusters')),
  );
  const root = document?.contents;
  if (!document || !isMap(root) || root.items.length === 0) {
    const lead = text.length > 0 && !text.endsWith('\n') ? '\n' : '';
    return {
      edits: [edit(text.length, text.length, `${lead}users:\n- ${itemLines(2).join('\n')}\n`)],
      replaced: false,
    };
  }
  const rootColumn = column(original((root.items[0].key as Node).range![0]));
  const usersPair = (root.items as Pair<Node, Node | null>[]).find(
    (pair) => isScalar(pair.key) && pair.key.value === 'users',
  );
  if (!usersPair) {
    const last = root.items[root.items.length - 1] as Pair<Node, Node | null>;
    const end = original(last.value?.range?.[1] ?? (last.key as Node).range![1]);
    const at = lineEndAfter(text, end);
    const pad = ' '.repeat(rootColumn);
    return {
      edits: [
        edit(
          at.offset,
          at.offset,
          `${at.prefix}${pad}users:\n${pad}- ${itemLines(rootColumn + 2).join('\n')}${at.suffix}`,
        ),
      ],
      replaced: false,
    };
  }
  const users = usersPair.value;
  if (isSeq(users) && !users.flow && users.items.length > 0) {
    const items = (users as YAMLSeq).items as Node[];
    const same = items.find(
      (candidate) => isMap(candidate) && scalarText(findNode(candidate, ['name'])?.node) === name,
    );
    if (same?.range) {
      const start = original(same.range[0]);
      const contentColumn = column(start);
      let end = original(same.range[1]);
      while (end > start && /\s/.test(text[end - 1])) end--;
      return { edits: [edit(start, end, trimEnd(itemLines(contentColumn).join('\n')))], replaced: true };
    }
    const last = items[items.length - 1];
    const lastStart = original(last.range![0]);
    const contentColumn = column(lastStart);
    const lineStart = parsed.lines.lineStart(parsed.lines.positionAt(lastStart).line);
    const dash = text.lastIndexOf('-', lastStart);
    const dashColumn = dash >= lineStart ? dash - lineStart : Math.max(0, contentColumn - 2);
    const lines = itemLines(contentColumn);
    lines[0] = `${' '.repeat(dashColumn)}-${' '.repeat(Math.max(1, contentColumn - dashColumn - 1))}${lines[0]}`;
    const at = lineEndAfter(text, original(last.range![1]));
    return { edits: [edit(at.offset, at.offset, `${at.prefix}${lines.join('\n')}${at.suffix}`)], replaced: false };
  }
  if (users && !(isSeq(users) && users.items.length === 0) && !(isScalar(users) && users.value === null)) {
    throw new Error('`users` in this kubeconfig is not a list; fix it before adding a user.');
  }
  // `users:`, `users: null` or `users: []`: write a block list in place of the empty value.
  const keyEnd = original((usersPair.key as Node).range![1]);
  const colon = text.indexOf(':', keyEnd);
  const valueEnd = users?.range ? original(users.range[1]) : colon + 1;
  const pad = ' '.repeat(rootColumn);
  return { edits: [edit(colon + 1, valueEnd, `\n${pad}- ${itemLines(rootColumn + 2).join('\n')}`)], replaced: false };
}

/** Where to add lines after a node that ends at `end`: after its line (and a trailing comment). */
function lineEndAfter(text: string, end: number): { offset: number; prefix: string; suffix: string } {
  if (end > 0 && text[end - 1] === '\n') return { offset: end, prefix: '', suffix: '\n' };
  const newline = text.indexOf('\n', end);
  if (newline === -1) return { offset: text.length, prefix: '\n', suffix: '' };
  const offset = newline > 0 && text[newline - 1] === '\r' ? newline - 1 : newline;
  return { offset, prefix: '\n', suffix: '' };
}

function trimEnd(value: string): string {
  return value.replace(/\s+$/, '');
}
