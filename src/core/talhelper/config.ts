/**
 * talhelper's `talconfig.yaml`: one cluster, its nodes, and the Talos patches talhelper merges into
 * each node's machine config. A patch is either a block string holding the patch YAML (inline) or
 * `@./path` naming a patch file. Patches under `controlPlane:` reach control-plane nodes only, those
 * under `worker:` workers only, top-level ones every node, and a node's own patches that node.
 */
import { posix } from 'node:path';
import { isMap, isScalar, isSeq, type Document } from 'yaml';
import { blockScalarMap, SyntheticTextBuilder } from '../workspace/embedded';
import { jsonPatchAsMergePatch } from '../workspace/jsonPatch';
import type { EmbeddedFile, TalhelperConfig, TalhelperRole } from '../workspace/types';
import { findNode, nodeRange, type YamlSource } from '../yaml/source';

const TALCONFIG_KEYS = ['clusterName', 'nodes', 'controlPlane', 'worker', 'talosVersion', 'endpoint'];

/** A talconfig: named so, or a map with `clusterName` and `nodes` (talhelper's required fields). */
export function isTalconfigData(file: string, data: unknown): boolean {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return false;
  const record = data as Record<string, unknown>;
  if ('apiVersion' in record || 'kind' in record || 'machine' in record || 'cluster' in record) return false;
  if (/(^|[\\/_])talconfig\.ya?ml$/i.test(file)) return TALCONFIG_KEYS.some((key) => key in record);
  return typeof record.clusterName === 'string' && Array.isArray(record.nodes);
}

export interface TalhelperPatchBlock {
  label: string;
  role: TalhelperRole;
  node?: string;
  text: string;
  map: EmbeddedFile['map'];
}

/** The inline patches (as text with their offset maps) and the `@file` references of a talconfig. */
export function extractTalhelper(
  source: YamlSource,
  document: Document.Parsed,
  file: string,
): { config: TalhelperConfig; blocks: TalhelperPatchBlock[] } {
  const root = document.contents;
  const config: TalhelperConfig = { references: [] };
  const blocks: TalhelperPatchBlock[] = [];
  const clusterName = findNode(root, ['clusterName'])?.node;
  if (isScalar(clusterName) && typeof clusterName.value === 'string') config.clusterName = clusterName.value;

  const readPatches = (path: (string | number)[], label: string, role: TalhelperRole, node?: string) => {
    const patches = findNode(root, path)?.node;
    if (!isSeq(patches)) return;
    patches.items.forEach((item, index) => {
      if (!isScalar(item) || typeof item.value !== 'string') return;
      const itemLabel = `${label}[${index}]`;
      const value = item.value.trim();
      if (value.startsWith('@')) {
        const range = nodeRange(source, item);
        if (range) config.references.push({ path: resolveReference(file, value.slice(1)), role, node, range });
        return;
      }
      const embedded = blockScalarMap(source, item);
      if (embedded) blocks.push({ label: itemLabel, role, node, text: embedded.text, map: embedded.map });
    });
  };

  // Older talconfigs: `inlinePatch` (a strategic-merge map) and `configPatches` (RFC 6902 operations).
  const readLegacyPatches = (path: (string | number)[], label: string, role: TalhelperRole, node?: string) => {
    const inline = findNode(root, [...path, 'inlinePatch'])?.node;
    const inlineRange = isMap(inline) && !inline.flow ? nodeRange(source, inline) : undefined;
    if (inlineRange) {
      const builder = new SyntheticTextBuilder(source);
      const last = inlineRange.end.character === 0 ? inlineRange.end.line - 1 : inlineRange.end.line;
      if (builder.hostLines(inlineRange.start.line, last, inlineRange.start.character, 0)) {
        const built = builder.build(inlineRange.start.character);
        blocks.push({ label: `${label}inlinePatch`, role, node, text: built.text, map: built.map });
      }
    }
    const operations = jsonPatchAsMergePatch(source, findNode(root, [...path, 'configPatches'])?.node);
    if (operations)
      blocks.push({ label: `${label}configPatches`, role, node, text: operations.text, map: operations.map });
  };

  readPatches(['patches'], 'patches', 'all');
  readPatches(['controlPlane', 'patches'], 'controlPlane.patches', 'controlPlane');
  readPatches(['worker', 'patches'], 'worker.patches', 'worker');
  readLegacyPatches(['controlPlane'], 'controlPlane.', 'controlPlane');
  readLegacyPatches(['worker'], 'worker.', 'worker');
  const nodes = findNode(root, ['nodes'])?.node;
  if (isSeq(nodes)) {
    nodes.items.forEach((node, index) => {
      if (!isMap(node)) return;
      const hostname = node.get('hostname');
      const controlPlane = node.get('controlPlane') === true;
      const role = controlPlane ? 'controlPlane' : 'worker';
      const name = typeof hostname === 'string' ? hostname : undefined;
      readPatches(['nodes', index, 'patches'], `nodes[${index}].patches`, role, name);
      readLegacyPatches(['nodes', index], `nodes[${index}].`, role, name);
    });
  }
  return { config, blocks };
}

/** `@./patches/x.yaml` → a path beside the talconfig (talhelper runs in the talconfig's folder). */
export function resolveReference(talconfigFile: string, reference: string): string {
  const base = posix.dirname(talconfigFile.replace(/\\/g, '/'));
  return posix.normalize(posix.isAbsolute(reference) ? reference : posix.join(base, reference));
}

export function samePath(a: string, b: string): boolean {
  return posix.normalize(a.replace(/\\/g, '/')) === posix.normalize(b.replace(/\\/g, '/'));
}
