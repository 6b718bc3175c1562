/** ClusterRoleBindings and RoleBindings (also inside `kind: List`) with their subjects' ranges. */
import { isMap, isScalar, isSeq, Scalar, type Document } from 'yaml';
import type { SourceRange } from '../text/range';
import type { RbacBinding, RbacSubject } from '../workspace/types';
import {
  documentToPlain,
  findNode,
  nodeRange,
  parseYamlSource,
  scalarText,
  type YamlPath,
  type YamlSource,
} from '../yaml/source';
import { isRecord } from '../data/record';

const BINDING_KINDS = new Set(['ClusterRoleBinding', 'RoleBinding']);

export function isBindingData(data: unknown): boolean {
  if (!isRecord(data)) return false;
  return (
    typeof data.kind === 'string' &&
    BINDING_KINDS.has(data.kind) &&
    typeof data.apiVersion === 'string' &&
    data.apiVersion.startsWith('rbac.authorization.k8s.io/')
  );
}

export function isListData(data: unknown): data is { items: unknown[] } {
  return isRecord(data) && data.kind === 'List' && Array.isArray(data.items);
}

/** Bindings of one document: the document itself, or the items of a `List`. */
export function extractBindings(
  source: YamlSource,
  document: Document.Parsed,
  data: unknown,
  file: string,
): RbacBinding[] {
  if (isBindingData(data)) {
    const binding = readBinding(source, document, [], data, file);
    return binding ? [binding] : [];
  }
  if (isListData(data)) {
    const bindings: RbacBinding[] = [];
    data.items.forEach((item, index) => {
      if (!isBindingData(item)) return;
      const binding = readBinding(source, document, ['items', index], item, file);
      if (binding) bindings.push(binding);
    });
    return bindings;
  }
  return [];
}

function readBinding(
  source: YamlSource,
  document: Document.Parsed,
  basePath: YamlPath,
  data: unknown,
  file: string,
): RbacBinding | undefined {
  if (!isRecord(data)) return undefined;
  const root = document.contents;
  const found = basePath.length === 0 ? { node: root } : findNode(root, basePath);
  const range = found && nodeRange(source, found.node);
  if (!range) return undefined;
  const metadata = isRecord(data.metadata) ? data.metadata : {};
  const roleRef = isRecord(data.roleRef) ? data.roleRef : {};
  const subjects: RbacSubject[] = [];
  const subjectsNode = findNode(root, [...basePath, 'subjects']);
  if (subjectsNode && isSeq(subjectsNode.node)) {
    subjectsNode.node.items.forEach((item) => {
      if (!isMap(item)) return;
      const nameNode = item.get('name', true);
      const name = scalarText(nameNode);
      const subjectRange = nodeRange(source, item);
      const nameRange = nodeRange(source, nameNode);
      if (name === undefined || !subjectRange || !nameRange) return;
      subjects.push({
        kind: scalarText(item.get('kind', true)) ?? '',
        name,
        namespace: scalarText(item.get('namespace', true)),
        apiGroup: scalarText(item.get('apiGroup', true)),
        range: subjectRange,
        nameRange,
      });
    });
  }
  return {
    kind: data.kind as RbacBinding['kind'],
    name: typeof metadata.name === 'string' ? metadata.name : '',
    namespace: typeof metadata.namespace === 'string' ? metadata.namespace : undefined,
    roleRef: { kind: String(roleRef.kind ?? ''), name: String(roleRef.name ?? '') },
    subjects,
    file,
    range,
  };
}

/**
 * Bindings in a Talos config's `cluster.inlineManifests[].contents`: Talos applies them at
 * bootstrap, so they count for the lockout guard. Ranges are exact for literal blocks
 * (`contents: |`), otherwise the whole `contents` value (`approximateRanges`).
 */
export function extractInlineManifestBindings(
  source: YamlSource,
  document: Document.Parsed,
  file: string,
): RbacBinding[] {
  const manifests = findNode(document.contents, ['cluster', 'inlineManifests']);
  if (!manifests || !isSeq(manifests.node)) return [];
  const bindings: RbacBinding[] = [];
  for (const item of manifests.node.items) {
    if (!isMap(item)) continue;
    const contents = item.get('contents', true);
    if (!isScalar(contents) || typeof contents.value !== 'string') continue;
    // Every binding names its API group; without it (and no escape that could spell it) there is none to parse for.
    if (!contents.value.includes('rbac.authorization.k8s.io') && !contents.value.includes('\\')) continue;
    const outer = nodeRange(source, contents);
    if (!outer) continue;
    const inner = parseYamlSource(contents.value);
    if (inner.skipped) continue;
    const mapOffset =
      contents.type === Scalar.BLOCK_LITERAL ? literalBlockMapper(source, outer.startOffset, inner) : undefined;
    const mapRange = (range: SourceRange): SourceRange =>
      mapOffset ? source.lines.range(mapOffset(range.startOffset), mapOffset(range.endOffset)) : outer;
    inner.documents.forEach((innerDocument) => {
      const data = documentToPlain(innerDocument);
      for (const binding of extractBindings(inner, innerDocument, data, file)) {
        bindings.push({
          ...binding,
          range: mapRange(binding.range),
          subjects: binding.subjects.map((subject) => ({
            ...subject,
            range: mapRange(subject.range),
            nameRange: mapRange(subject.nameRange),
          })),
          ...(mapOffset ? {} : { approximateRanges: true }),
        });
      }
    });
  }
  return bindings;
}

/** Maps offsets of a literal block's value to offsets of the file: same lines, shifted by the block indentation. */
function literalBlockMapper(
  source: YamlSource,
  headerOffset: number,
  inner: YamlSource,
): ((offset: number) => number) | undefined {
  const headerLine = source.lines.positionAt(headerOffset).line;
  const firstLine = headerLine + 1;
  if (firstLine >= source.lines.lineCount) return undefined;
  let indent: number | undefined;
  for (let line = firstLine; line < source.lines.lineCount && indent === undefined; line++) {
    const text = source.text.slice(source.lines.lineStart(line), source.lines.lineEnd(line));
    if (text.trim() !== '') indent = text.length - text.trimStart().length;
  }
  if (indent === undefined) return undefined;
  const blockIndent = indent;
  return (offset: number) => {
    const position = inner.lines.positionAt(offset);
    const line = firstLine + position.line;
    const lineStart = source.lines.lineStart(line);
    const lineLength = source.lines.lineEnd(line) - lineStart;
    return lineStart + Math.min(blockIndent + position.character, lineLength);
  };
}
