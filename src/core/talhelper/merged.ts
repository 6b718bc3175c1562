/**
 * talhelper merges every patch a control-plane node gets into one machine config. When the OIDC
 * flags are spread over several inline patches (the issuer in one, the client ID in another), no
 * patch alone switches OIDC on; the merged view does, so the checks that need the whole flag set
 * (prefixes, the lockout guard) run on it, and their findings go back to the patch they are in.
 */
import type { Finding } from '../checks/finding';
import { parseYamlFile } from '../workspace/parse';
import type { EmbeddedFile, ParsedFile } from '../workspace/types';

/** Codes that need the issuer and client ID together; the others already ran on each patch. */
export const MERGED_CODES = new Set(['TOIDC109', 'TOIDC110', 'TOIDC111', 'TOIDC301', 'TOIDC304']);

export interface MergedControlPlane {
  parsed: ParsedFile;
  segments: { start: number; end: number; entry: EmbeddedFile }[];
}

function sets(entry: EmbeddedFile, name: string): boolean {
  return (entry.parsed.talos?.extraArgs ?? []).some(
    (arg) => arg.origin === 'cluster.apiServer' && arg.name === name && arg.values.some((value) => value !== ''),
  );
}

/** The merged control-plane patches of a talconfig, when the flags are split over several of them. */
export function mergedControlPlane(host: ParsedFile): MergedControlPlane | undefined {
  if (!host.talhelper) return undefined;
  const entries = (host.embedded ?? []).filter(
    (entry) => entry.role !== 'worker' && entry.node === undefined && entry.parsed.talos,
  );
  if (entries.some((entry) => sets(entry, 'oidc-issuer-url') && sets(entry, 'oidc-client-id'))) return undefined;
  if (
    !entries.some((entry) => sets(entry, 'oidc-issuer-url')) ||
    !entries.some((entry) => sets(entry, 'oidc-client-id'))
  )
    return undefined;
  const segments: MergedControlPlane['segments'] = [];
  let text = '';
  for (const entry of entries) {
    if (text !== '') text += '\n---\n';
    segments.push({ start: text.length, end: text.length + entry.parsed.text.length, entry });
    text += entry.parsed.text;
  }
  const parsed = parseYamlFile(`${host.file}#controlPlane`, text);
  parsed.host = { file: host.file, label: 'controlPlane (merged patches)' };
  return { parsed, segments };
}

/** A finding of the merged view, placed in the talconfig; undefined when it falls between patches. */
export function mergedFindingToHost(
  host: ParsedFile,
  merged: MergedControlPlane,
  finding: Finding,
): Finding | undefined {
  const segmentOf = (offset: number) =>
    merged.segments.find((segment) => offset >= segment.start && offset <= segment.end);
  const segment = segmentOf(finding.range.startOffset);
  if (!segment) return undefined;
  const toHost = (offset: number) => segment.entry.map.toHost(Math.min(offset, segment.end) - segment.start);
  const start = toHost(finding.range.startOffset);
  const mapped: Finding = {
    ...finding,
    file: host.file,
    range: host.lines.range(start, Math.max(start, toHost(finding.range.endOffset))),
  };
  delete mapped.fixes;
  const fixes = (finding.fixes ?? []).filter((entry) =>
    entry.edits.every((edit) => edit.file !== merged.parsed.file || segmentOf(edit.startOffset) === segment),
  );
  if (fixes.length > 0) {
    mapped.fixes = fixes.map((entry) => ({
      ...entry,
      edits: entry.edits.map((edit) =>
        edit.file === merged.parsed.file
          ? {
              file: host.file,
              startOffset: toHost(edit.startOffset),
              endOffset: toHost(edit.endOffset),
              newText: segment.entry.map.toHostText(edit.newText),
            }
          : edit,
      ),
    }));
  }
  return mapped;
}
