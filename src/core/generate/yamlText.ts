/** Offsets in YAML source text that edits need and the `yaml` ranges do not give directly. */
import { isMap, isScalar, isSeq, Scalar, type Node, type Pair } from 'yaml';

/**
 * Where a node's content ends: before the trailing line break and comments that a block
 * collection's range includes, so text inserted there lands on the node's last line.
 */
export function nodeContentEnd(text: string, node: Node | null | undefined, fallback: number): number {
  if (!node || !node.range) return fallback;
  if (isScalar(node)) {
    let end = node.range[1];
    if (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) {
      while (end > node.range[0] && /[\r\n]/.test(text[end - 1])) end--;
    }
    return end;
  }
  if ((isMap(node) || isSeq(node)) && !node.flow && node.items.length > 0) {
    if (isMap(node)) {
      const pair = node.items[node.items.length - 1] as Pair<Node, Node | null>;
      return nodeContentEnd(text, pair.value, pair.key?.range?.[1] ?? fallback);
    }
    return nodeContentEnd(text, node.items[node.items.length - 1] as Node, fallback);
  }
  let end = node.range[1];
  while (end > node.range[0] && /[\r\n ]/.test(text[end - 1])) end--;
  return end;
}
