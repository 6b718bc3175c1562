/**
 * Which Talos release a config is for. Talos's config code differs between releases in ways that
 * decide findings (which document kinds exist, whether an extra arg may be a list), so each
 * version-dependent check asks here. Sources, first match wins: the file's
 * `machine.install.image` tag, a `# talos: v1.x` hint comment in the file, the user's setting,
 * then another file of the workspace.
 */
import { isScalar } from 'yaml';
import type { SourceRange } from '../text/range';
import { findNode, nodeRange, type YamlSource } from '../yaml/source';

export interface TalosVersion {
  /** The minor release, e.g. 14 for Talos 1.14 (every supported release is 1.x). */
  minor: number;
  /** As written, e.g. `v1.13.2`. */
  text: string;
  source: 'install-image' | 'hint' | 'setting' | 'workspace';
  range?: SourceRange;
}

/** The oldest release the checks know; what kinds and values older ones take is not checked. */
export const OLDEST_KNOWN_TALOS_MINOR = 12;
/** The first release with the multi-document Kubernetes kinds (KubeAPIServerConfig, KubeAuthenticationConfig). */
export const MULTI_DOCUMENT_TALOS_MINOR = 14;
/**
 * The first release whose config loader takes a list as an `extraArgs` value: 1.13's types have a
 * list form, but its loader still refuses one (`unexpected type for yaml sequence: v1alpha1.ArgValue`).
 */
export const LIST_EXTRA_ARGS_TALOS_MINOR = 14;

/** `v1.13`, `1.13.2`, `v1.14.0-beta.1` → the version; anything else → undefined. */
export function parseTalosVersion(
  text: string,
  source: TalosVersion['source'],
  range?: SourceRange,
): TalosVersion | undefined {
  const match = /^v?1\.(\d+)(?:\.\d+)?(?:[-+][0-9A-Za-z.-]+)?$/.exec(text.trim());
  if (!match) return undefined;
  return { minor: Number(match[1]), text: text.trim(), source, range };
}

const HINT = /^[ \t]*#[ \t]*talos:[ \t]*(v?1\.\d+(?:\.\d+)?)\b/im;

/** The version a file names for itself: its installer image tag, else a `# talos: v1.x` comment. */
export function talosVersionInFile(
  source: YamlSource,
  text: string,
  documentIndex: number | undefined,
): TalosVersion | undefined {
  if (documentIndex !== undefined) {
    const image = findNode(source.documents[documentIndex]?.contents, ['machine', 'install', 'image']);
    if (image && isScalar(image.node) && typeof image.node.value === 'string') {
      const tag = /:([^:/@]+)(?:@sha256:[0-9a-f]+)?$/.exec(image.node.value)?.[1];
      const version = tag ? parseTalosVersion(tag, 'install-image', nodeRange(source, image.node)) : undefined;
      if (version) return version;
    }
  }
  const hint = HINT.exec(text);
  if (hint) {
    const offset = hint.index + hint[0].indexOf(hint[1]);
    const range = source.lines.range(offset, offset + hint[1].length);
    return parseTalosVersion(hint[1], 'hint', range);
  }
  return undefined;
}

export function describeTalosVersion(version: TalosVersion): string {
  const where = {
    'install-image': 'from machine.install.image',
    hint: 'from the `# talos:` comment',
    setting: 'from the talosOidc.talosVersion setting',
    workspace: 'from another config of the workspace',
  }[version.source];
  return `Talos 1.${version.minor} (${where})`;
}
