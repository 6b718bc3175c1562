/**
 * RFC 6902 JSON patches of a Talos config (talosctl `--config-patch` accepts them, as does
 * talhelper): `- op: add, path: /cluster/apiServer/extraArgs, value: {...}`. The values of `add`
 * and `replace` operations are rebuilt as the strategic-merge patch they amount to, so the usual
 * checks read them; positions map back to the value in the JSON patch.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import { nodeRange, scalarText, type YamlSource } from '../yaml/source';
import { SyntheticTextBuilder, type OffsetMap } from './embedded';

export function isJsonPatchData(data: unknown): boolean {
  return (
    Array.isArray(data) &&
    data.length > 0 &&
    data.every(
      (entry) =>
        typeof entry === 'object' &&
        entry !== null &&
        typeof (entry as { op?: unknown }).op === 'string' &&
        typeof (entry as { path?: unknown }).path === 'string',
    )
  );
}

function pointerSegments(path: string): string[] | undefined {
  if (!path.startsWith('/')) return undefined;
  const segments = path
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  // Array positions (`/machine/files/-`, `/0`) have no strategic-merge equivalent here.
  if (segments.some((segment) => segment === '' || segment === '-' || /^\d+$/.test(segment))) return undefined;
  if (segments[0] !== 'cluster' && segments[0] !== 'machine') return undefined;
  return segments;
}

function yamlKey(segment: string): string {
  return /^[A-Za-z0-9_.-]+$/.test(segment) ? segment : JSON.stringify(segment);
}

/** The strategic-merge text for the add/replace operations of a JSON patch (a YAML sequence of operations), or undefined when none applies. */
export function jsonPatchAsMergePatch(source: YamlSource, root: unknown): { text: string; map: OffsetMap } | undefined {
  if (!isSeq(root)) return undefined;
  const builder = new SyntheticTextBuilder(source);
  let operations = 0;
  let shift = 0;
  for (const item of root.items) {
    if (!isMap(item)) continue;
    const op = scalarText(item.get('op', true));
    const path = scalarText(item.get('path', true));
    if ((op !== 'add' && op !== 'replace') || typeof path !== 'string') continue;
    const segments = pointerSegments(path);
    const valueNode = item.get('value', true);
    const pathRange = nodeRange(source, item.get('path', true));
    const valueRange = nodeRange(source, valueNode);
    if (!segments || !valueRange || !pathRange) continue;
    const anchor = pathRange.startOffset;
    if (operations > 0) builder.synthetic('---', anchor);
    const depth = segments.length;
    if (isMap(valueNode) && valueNode.flow !== true) {
      segments.forEach((segment, index) => builder.synthetic(`${'  '.repeat(index)}${yamlKey(segment)}:`, anchor));
      const firstLine = valueRange.start.line;
      const lastLine = valueRange.end.character === 0 ? valueRange.end.line - 1 : valueRange.end.line;
      const hostIndent = valueRange.start.character;
      if (!builder.hostLines(firstLine, lastLine, hostIndent, 2 * depth)) continue;
      shift = hostIndent - 2 * depth;
    } else if (isScalar(valueNode) && valueRange.start.line === valueRange.end.line) {
      segments
        .slice(0, -1)
        .forEach((segment, index) => builder.synthetic(`${'  '.repeat(index)}${yamlKey(segment)}:`, anchor));
      builder.mixed(
        `${'  '.repeat(depth - 1)}${yamlKey(segments[depth - 1])}: `,
        valueRange.startOffset,
        valueRange.endOffset,
        anchor,
      );
    } else continue;
    operations++;
  }
  return operations > 0 ? builder.build(shift) : undefined;
}
