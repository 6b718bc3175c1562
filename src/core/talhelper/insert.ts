/**
 * Inserting the API server OIDC settings into a talhelper talconfig.yaml: into the inline patch
 * that already configures `cluster.apiServer` for control-plane nodes (edits computed on the
 * patch text and carried into the block string), or as a new inline patch under
 * `controlPlane.patches`. talhelper then merges it into every control-plane node's config.
 */
import { isMap, isSeq } from 'yaml';
import type { TextEdit } from '../checks/finding';
import { insertOidcEdits, type InsertPlan } from '../generate/insert';
import type { OidcSetup } from '../generate/setup';
import type { ParsedFile } from '../workspace/types';
import { findNode, nodeRange } from '../yaml/source';

export function insertOidcEditsInTalconfig(parsed: ParsedFile, setup: OidcSetup): InsertPlan {
  if (!parsed.talhelper) throw new Error('the file is not a talhelper talconfig.yaml');
  const target = (parsed.embedded ?? []).find(
    (entry) =>
      (entry.role === 'controlPlane' || entry.role === 'all') &&
      entry.node === undefined &&
      entry.parsed.talos?.legacyApiServer,
  );
  if (target) {
    const plan = insertOidcEdits({ file: target.parsed.file, text: target.parsed.text }, setup, { layout: 'legacy' });
    const edits = plan.edits.map((edit): TextEdit => ({
      file: parsed.file,
      startOffset: target.map.toHost(edit.startOffset),
      endOffset: target.map.toHost(edit.endOffset),
      newText: target.map.toHostText(edit.newText),
    }));
    return { ...plan, edits, summary: `${plan.summary} (talhelper patch ${target.label})` };
  }
  return appendControlPlanePatch(parsed, setup);
}

/** A new `- |-` patch at the end of `controlPlane.patches` (created when missing). */
function appendControlPlanePatch(parsed: ParsedFile, setup: OidcSetup): InsertPlan {
  const patch = insertOidcEdits({ file: 'patch.yaml', text: '' }, setup, { layout: 'legacy' });
  const patchText = patch.edits
    .map((edit) => edit.newText)
    .join('')
    .replace(/^\n+|\n+$/g, '');
  const eol = parsed.text.includes('\r\n') ? '\r\n' : '\n';
  const block = (indent: number) => [
    `${' '.repeat(indent)}- |-`,
    ...patchText.split('\n').map((line) => (line ? ' '.repeat(indent + 2) + line : '')),
  ];
  const root = parsed.source.documents[0]?.contents;
  const patches = findNode(root, ['controlPlane', 'patches']);
  const controlPlane = findNode(root, ['controlPlane']);
  let offset: number;
  let lines: string[];
  if (patches && isSeq(patches.node) && patches.node.items.length > 0) {
    const last = nodeRange(parsed.source, patches.node.items[patches.node.items.length - 1]);
    const first = nodeRange(parsed.source, patches.node.items[0])!;
    const itemIndent = first.start.character - 2;
    offset = parsed.lines.lineEnd(last!.end.character === 0 ? last!.end.line - 1 : last!.end.line);
    lines = block(Math.max(itemIndent, 0));
  } else if (controlPlane && isMap(controlPlane.node) && controlPlane.node.items.length > 0) {
    const key = nodeRange(parsed.source, controlPlane.node.items[0].key)!;
    const lastPair = controlPlane.node.items[controlPlane.node.items.length - 1];
    const end = nodeRange(parsed.source, lastPair.value ?? lastPair.key)!;
    offset = parsed.lines.lineEnd(end.end.character === 0 ? end.end.line - 1 : end.end.line);
    lines = [`${' '.repeat(key.start.character)}patches:`, ...block(key.start.character + 2)];
  } else if (!controlPlane) {
    offset = parsed.text.replace(/\s+$/, '').length;
    lines = ['controlPlane:', '  patches:', ...block(4)];
  } else {
    throw new Error('`controlPlane` has a shape the insert cannot extend; add the patch by hand');
  }
  return {
    layout: 'legacy',
    edits: [{ file: parsed.file, startOffset: offset, endOffset: offset, newText: eol + lines.join(eol) }],
    summary: 'Added an inline controlPlane patch with the API server OIDC settings',
  };
}
