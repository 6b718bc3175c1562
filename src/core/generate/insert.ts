/**
 * Edits that put the OIDC settings into an existing Talos config at the right place for its
 * layout, as text edits on the original text (comments and formatting elsewhere untouched):
 * - legacy: merge into `cluster.apiServer.extraArgs` (updating keys that exist, never adding a
 *   second `extraArgs` key), creating the missing parents;
 * - Talos 1.14+: add or update the issuer's entry in the `KubeAuthenticationConfig` document's
 *   `jwt` list, or append that document (with Talos's default anonymous block).
 */
import {
  Document,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  type Node,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import type { TextEdit } from '../checks/finding';
import { LineIndex } from '../text/range';
import {
  authenticationConfiguration,
  generateKubeAuthenticationConfig,
  jwtAuthenticator,
} from './authenticationConfig';
import { oidcExtraArgs } from './extraArgs';
import type { OidcSetup } from './setup';
import { toYaml } from './yaml';
import { nodeContentEnd } from './yamlText';
import { isRecord } from '../data/record';

export type InsertLayout = 'legacy' | 'multi-document';

export interface InsertPlan {
  layout: InsertLayout;
  edits: TextEdit[];
  /** One line for the user: what the edits do. */
  summary: string;
}

const QUOTED = new Set(['oidc-username-prefix', 'oidc-groups-prefix', 'prefix']);

/** Throws when the text is not YAML the edits can be computed on. */
export function insertOidcEdits(
  target: { file: string; text: string },
  setup: OidcSetup,
  options: { layout?: InsertLayout } = {},
): InsertPlan {
  const ctx = new EditContext(target.file, target.text);
  const docs = parseAllDocuments(target.text);
  if (!Array.isArray(docs)) throw new Error('the file is empty or has no YAML document');
  for (const doc of docs) {
    if (doc.errors.length > 0) throw new Error(`the file is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
  }
  const kindOf = (doc: Document.Parsed) => (isMap(doc.contents) ? scalarAt(doc.contents, 'kind') : undefined);
  // Talos reads a KubeAuthenticationConfig only beside a KubeAPIServerConfig; with `.cluster.apiServer`
  // it is ignored, so a config that keeps that uses the flags even when the document is there.
  const hasApiServerDocument = docs.some((doc) => kindOf(doc) === 'KubeAPIServerConfig');
  // A whole config without a KubeAPIServerConfig takes its API server settings from v1alpha1, even
  // with no `.cluster.apiServer` written; only a patch may leave that to the config it is applied to.
  const isWholeConfig = docs.some(
    (doc) =>
      isMap(doc.contents) &&
      scalarAt(doc.contents, 'version') === 'v1alpha1' &&
      isMap(doc.contents.get('machine')) &&
      isMap(doc.contents.get('cluster')),
  );
  const hasLegacyApiServer = docs.some(
    (doc) =>
      isMap(doc.contents) &&
      isMap(doc.contents.get('cluster')) &&
      (doc.contents.get('cluster') as YAMLMap).has('apiServer'),
  );
  const hasAuthenticationDocument = docs.some((doc) => kindOf(doc) === 'KubeAuthenticationConfig');
  const layout =
    options.layout ??
    (hasApiServerDocument || (hasAuthenticationDocument && !hasLegacyApiServer && !isWholeConfig)
      ? 'multi-document'
      : 'legacy');
  if (layout === 'legacy') return insertLegacy(ctx, docs, setup);
  return insertMultiDocument(ctx, docs, setup);
}

class EditContext {
  readonly lines: LineIndex;
  readonly eol: string;
  readonly edits: TextEdit[] = [];
  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    this.lines = new LineIndex(text);
    this.eol = text.includes('\r\n') ? '\r\n' : '\n';
  }
  column(offset: number): number {
    return this.lines.positionAt(offset).character;
  }
  edit(startOffset: number, endOffset: number, newText: string): void {
    this.edits.push({ file: this.file, startOffset, endOffset, newText: newText.replace(/\r?\n/g, this.eol) });
  }
  /** Where to insert new lines after a node: after its line (and trailing comment), or at the start of the next line. */
  afterNode(endOffset: number): { offset: number; atLineStart: boolean } {
    if (endOffset > 0 && this.text[endOffset - 1] === '\n') return { offset: endOffset, atLineStart: true };
    const line = this.lines.positionAt(endOffset).line;
    return { offset: this.lines.lineEnd(line), atLineStart: false };
  }
  insertLinesAfter(endOffset: number, lines: string[]): void {
    const at = this.afterNode(endOffset);
    const body = lines.join('\n');
    this.edit(at.offset, at.offset, at.atLineStart ? `${body}\n` : `\n${body}`);
  }
}

function indentLines(text: string, column: number): string[] {
  const pad = ' '.repeat(column);
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => (line ? pad + line : line));
}

function scalarAt(map: YAMLMap, key: string): unknown {
  const node = map.get(key, true);
  return isScalar(node) ? node.value : undefined;
}

function pairsOf(map: YAMLMap): Pair<Node, Node | null>[] {
  return map.items as Pair<Node, Node | null>[];
}

function findPair(map: YAMLMap, key: string): Pair<Node, Node | null> | undefined {
  return pairsOf(map).find((pair) => isScalar(pair.key) && pair.key.value === key);
}

/** The end offset of a pair (its value, or its key when the value is empty). */
function pairEnd(ctx: EditContext, pair: Pair<Node, Node | null>): number {
  return nodeContentEnd(ctx.text, pair.value, (pair.key as Node).range?.[1] ?? 0);
}

/** Indentation step used in the document: the column difference of the first nested block map. */
function indentUnit(ctx: EditContext, root: YAMLMap): number {
  for (const pair of pairsOf(root)) {
    const value = pair.value;
    if (isMap(value) && !value.flow && value.items.length > 0) {
      const child = (value.items[0].key as Node).range?.[0];
      const parent = (pair.key as Node).range?.[0];
      if (child !== undefined && parent !== undefined) {
        const unit = ctx.column(child) - ctx.column(parent);
        if (unit > 0) return unit;
      }
    }
  }
  return 2;
}

/** YAML text of a value written on the same line as its key (flow for lists). */
function inlineValue(key: string, value: string | string[]): string {
  const doc = new Document(value);
  if (isSeq(doc.contents)) doc.contents.flow = true;
  if (isScalar(doc.contents) && QUOTED.has(key)) doc.contents.type = 'QUOTE_DOUBLE';
  return doc.toString({ lineWidth: 0 }).replace(/\n$/, '');
}

function insertLegacy(ctx: EditContext, docs: Document.Parsed[], setup: OidcSetup): InsertPlan {
  const entries = oidcExtraArgs(setup);
  const entriesObject = Object.fromEntries(entries);
  const summary = 'Set the OIDC flags under cluster.apiServer.extraArgs';
  // The v1alpha1 document (or, in a patch, the first document that is a map).
  const doc =
    docs.find(
      (d) =>
        isMap(d.contents) &&
        (scalarAt(d.contents, 'version') === 'v1alpha1' || d.contents.has('cluster') || d.contents.has('machine')),
    ) ?? docs.find((d) => isMap(d.contents) && !d.contents.has('kind'));
  if (!doc || !isMap(doc.contents)) {
    const block = toYaml({ cluster: { apiServer: { extraArgs: entriesObject } } }, { quotedKeys: QUOTED });
    const end = ctx.text.length;
    const needsNewline = end > 0 && !ctx.text.endsWith('\n');
    const separator = docs.some((d) => d.contents !== null) ? '---\n' : '';
    ctx.edit(end, end, `${needsNewline ? '\n' : ''}${separator}${block}`);
    return { layout: 'legacy', edits: ctx.edits, summary };
  }
  const root = doc.contents;
  const unit = indentUnit(ctx, root);
  const path = ['cluster', 'apiServer', 'extraArgs'];
  let map: YAMLMap = root;
  for (let depth = 0; depth < path.length; depth++) {
    const key = path[depth];
    const pair = findPair(map, key);
    const rest = path.slice(depth + 1);
    const nested = (): Record<string, unknown> =>
      rest.reduceRight<Record<string, unknown>>((inner, name) => ({ [name]: inner }), entriesObject);
    const mapColumn = map.items.length > 0 ? ctx.column((map.items[0].key as Node).range![0]) : 0;
    if (!pair) {
      // Add `key:` with the nested block after the map's last pair.
      const block = toYaml({ [key]: nested() }, { quotedKeys: QUOTED, indent: unit });
      ctx.insertLinesAfter(pairEnd(ctx, pairsOf(map)[map.items.length - 1]), indentLines(block, mapColumn));
      return { layout: 'legacy', edits: ctx.edits, summary };
    }
    const value = pair.value;
    if (isMap(value) && !value.flow && value.items.length > 0) {
      map = value;
      continue;
    }
    const isFlowMap = isMap(value) && value.flow === true;
    if (value && !isFlowMap && !(isScalar(value) && (value.value === null || value.value === ''))) {
      throw new Error(`${path.slice(0, depth + 1).join('.')} is not a map; fix it before inserting the OIDC settings`);
    }
    // Empty, null or a flow map (`{}`, `{image: x}`): replace everything after the key's colon
    // with a block holding what was there plus the OIDC flags.
    const keyEnd = (pair.key as Node).range![1];
    const colon = ctx.text.indexOf(':', keyEnd);
    const valueEnd = value?.range ? nodeContentEnd(ctx.text, value, value.range[1]) : colon + 1;
    const existing = isFlowMap ? (value.toJSON() as Record<string, unknown>) : {};
    const block = toYaml(mergeInto(existing, nested()), { quotedKeys: QUOTED, indent: unit });
    ctx.edit(colon + 1, valueEnd, `\n${indentLines(block, mapColumn + unit).join('\n')}`);
    return { layout: 'legacy', edits: ctx.edits, summary };
  }
  // extraArgs exists as a block map: update or add each flag.
  const column = ctx.column((map.items[0].key as Node).range![0]);
  const added: string[] = [];
  for (const [key, value] of entries) {
    const pair = findPair(map, key);
    if (pair) {
      const node = pair.value as Node | null;
      const current = node ? (node as Node).toJSON() : null;
      if (JSON.stringify(current) === JSON.stringify(value)) continue;
      if (node?.range) ctx.edit(node.range[0], nodeContentEnd(ctx.text, node, node.range[1]), inlineValue(key, value));
      else {
        const keyEnd = (pair.key as Node).range![1];
        const colon = ctx.text.indexOf(':', keyEnd);
        ctx.edit(colon + 1, colon + 1, ` ${inlineValue(key, value)}`);
      }
    } else added.push(`${key}: ${inlineValue(key, value)}`);
  }
  if (added.length > 0)
    ctx.insertLinesAfter(
      pairEnd(ctx, pairsOf(map)[map.items.length - 1]),
      added.map((line) => ' '.repeat(column) + line),
    );
  return {
    layout: 'legacy',
    edits: ctx.edits,
    summary: ctx.edits.length > 0 ? summary : 'The OIDC flags are already set',
  };
}

function insertMultiDocument(ctx: EditContext, docs: Document.Parsed[], setup: OidcSetup): InsertPlan {
  const authDoc = docs.find((d) => isMap(d.contents) && scalarAt(d.contents, 'kind') === 'KubeAuthenticationConfig');
  if (!authDoc || !isMap(authDoc.contents)) {
    const end = ctx.text.length;
    const needsNewline = end > 0 && !ctx.text.endsWith('\n');
    const hasContent = docs.some((d) => d.contents !== null);
    ctx.edit(
      end,
      end,
      `${needsNewline ? '\n' : ''}${hasContent ? '---\n' : ''}${generateKubeAuthenticationConfig(setup)}`,
    );
    return {
      layout: 'multi-document',
      edits: ctx.edits,
      summary: 'Add a KubeAuthenticationConfig document for the issuer',
    };
  }
  const root = authDoc.contents;
  const unit = indentUnit(ctx, root);
  const rootColumn = ctx.column((root.items[0].key as Node).range![0]);
  const configPair = findPair(root, 'configuration');
  const configuration = configPair?.value;
  if (!configPair || !isMap(configuration) || configuration.flow || configuration.items.length === 0) {
    const block = toYaml({ configuration: authenticationConfiguration(setup) }, { quotedKeys: QUOTED, indent: unit });
    if (configPair) {
      // An empty or flow `configuration`: replace the pair.
      const start = (configPair.key as Node).range![0];
      ctx.edit(start, pairEnd(ctx, configPair), indentLines(block, rootColumn).join('\n').slice(rootColumn));
    } else ctx.insertLinesAfter(pairEnd(ctx, pairsOf(root)[root.items.length - 1]), indentLines(block, rootColumn));
    return {
      layout: 'multi-document',
      edits: ctx.edits,
      summary: 'Write the KubeAuthenticationConfig configuration for the issuer',
    };
  }
  const configColumn = ctx.column((configuration.items[0].key as Node).range![0]);
  const jwtPair = findPair(configuration, 'jwt');
  const entry = jwtAuthenticator(setup);
  const jwt = jwtPair?.value;
  if (!jwtPair || !isSeq(jwt) || jwt.flow || jwt.items.length === 0) {
    const block = toYaml({ jwt: [entry] }, { quotedKeys: QUOTED, indent: unit });
    if (jwtPair) {
      if (jwt && !(isSeq(jwt) && jwt.items.length === 0) && !(isScalar(jwt) && jwt.value === null)) {
        throw new Error('configuration.jwt is not a list; fix it before inserting the OIDC settings');
      }
      const start = (jwtPair.key as Node).range![0];
      ctx.edit(start, pairEnd(ctx, jwtPair), indentLines(block, configColumn).join('\n').slice(configColumn));
    } else
      ctx.insertLinesAfter(
        pairEnd(ctx, pairsOf(configuration)[configuration.items.length - 1]),
        indentLines(block, configColumn),
      );
    return { layout: 'multi-document', edits: ctx.edits, summary: 'Add the issuer to KubeAuthenticationConfig jwt' };
  }
  const items = (jwt as YAMLSeq).items as Node[];
  const itemText = (column: number) => {
    const lines = indentLines(toYaml(entry, { quotedKeys: QUOTED, indent: unit }), column);
    return lines;
  };
  const existing = items.find(
    (item) =>
      isMap(item) &&
      JSON.stringify((item.toJSON() as { issuer?: { url?: unknown } }).issuer?.url) === JSON.stringify(setup.issuerUrl),
  );
  if (existing?.range) {
    if (JSON.stringify(existing.toJSON()) === JSON.stringify(entry)) {
      return { layout: 'multi-document', edits: [], summary: 'The issuer is already configured' };
    }
    const column = ctx.column(existing.range[0]);
    const end = ctx.lines.lineEnd(ctx.lines.positionAt(nodeContentEnd(ctx.text, existing, existing.range[1])).line);
    ctx.edit(existing.range[0], end, itemText(column).join('\n').slice(column));
    return { layout: 'multi-document', edits: ctx.edits, summary: 'Update the issuer in KubeAuthenticationConfig jwt' };
  }
  const last = items[items.length - 1];
  const contentColumn = ctx.column(last.range![0]);
  const lineStart = ctx.lines.lineStart(ctx.lines.positionAt(last.range![0]).line);
  const dash = ctx.text.lastIndexOf('-', last.range![0]);
  const dashColumn = dash >= lineStart ? dash - lineStart : Math.max(0, contentColumn - 2);
  const lines = itemText(contentColumn);
  lines[0] = `${' '.repeat(dashColumn)}-${' '.repeat(Math.max(1, contentColumn - dashColumn - 1))}${lines[0].slice(contentColumn)}`;
  ctx.insertLinesAfter(nodeContentEnd(ctx.text, last, last.range![1]), lines);
  return { layout: 'multi-document', edits: ctx.edits, summary: 'Add the issuer to KubeAuthenticationConfig jwt' };
}

/** `base` with `extra` merged in (maps merged key by key, other values replaced). */
function mergeInto(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = result[key];
    result[key] = isRecord(current) && isRecord(value) ? mergeInto(current, value) : value;
  }
  return result;
}

/** Applies non-overlapping edits to a text (for tests and the command line). */
export function applyTextEdits(
  text: string,
  edits: readonly Pick<TextEdit, 'startOffset' | 'endOffset' | 'newText'>[],
): string {
  const sorted = [...edits]
    .map((edit, index) => ({ edit, index }))
    .sort((a, b) => b.edit.startOffset - a.edit.startOffset || b.index - a.index);
  let result = text;
  for (const { edit } of sorted)
    result = result.slice(0, edit.startOffset) + edit.newText + result.slice(edit.endOffset);
  return result;
}
