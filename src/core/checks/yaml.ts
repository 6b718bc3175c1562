/**
 * The file as YAML: syntax errors, unquoted `oidc:` values, placeholders left from a guide.
 * Codes: TOIDC001, TOIDC002, TOIDC003.
 */
import { isMap, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import type { SourceRange } from '../text/range';
import type { ExtraArg, ParsedFile } from '../workspace/types';
import { findNode, keyOnlyMap, nodeRange, type YamlPath } from '../yaml/source';
import { findPlaceholder, fix, replaceEdit, report, yamlScalar, type CheckContext } from './context';

export function checkSyntax(context: CheckContext): void {
  const { parsed } = context;
  for (const problem of parsed.yamlProblems) {
    if (parsed.skipped) continue;
    report(
      context,
      'TOIDC001',
      `YAML syntax error: ${problem.message}. The whole file is rejected until this is corrected.`,
      problem.range,
    );
  }
  checkUnquotedColons(context);
}

/**
 * TOIDC002: an API server flag whose value ends with a colon and was not quoted
 * (`oidc-groups-prefix: oidc:`). YAML reads that as the start of a nested map: on the key's line
 * the file does not parse (the parser quotes such a value to read the rest, and lists it in
 * `source.colonRepairs`); on a line of its own it is the map `{oidc: null}`, which Talos rejects.
 */
function checkUnquotedColons(context: CheckContext): void {
  const { parsed } = context;
  for (const arg of parsed.talos?.extraArgs ?? []) {
    const mistake = unquotedColon(parsed, arg);
    if (!mistake) continue;
    const { meant, onOneLine } = mistake;
    const quoted = JSON.stringify(meant);
    const what = onOneLine
      ? 'YAML reads a value that ends with a colon as the start of a nested map, so the file does not parse'
      : 'YAML reads it as a map with the key `' + meant.slice(0, -1) + '`, not as text, and Talos rejects the config';
    report(
      context,
      'TOIDC002',
      `\`${arg.name}: ${meant}\` is not the text "${meant}": ${what}. Quote it: \`${arg.name}: ${quoted}\`.`,
      arg.valueRange,
      [fix(`Quote the value: ${quoted}`, [replaceEdit(parsed.file, arg.valueRange, quoted)], true)],
    );
  }
}

/**
 * Whether the flag's value is an unquoted value ending with a colon, and what was meant (the last
 * value: `extract.ts` reads `{oidc: null}` as `oidc:`). Also used by the migration, which refuses
 * to move such a value.
 */
export function unquotedColon(parsed: ParsedFile, arg: ExtraArg): { meant: string; onOneLine: boolean } | undefined {
  const meant = arg.values[arg.values.length - 1] ?? '';
  const onOneLine = parsed.source.colonRepairs.some((repair) => repair.startOffset === arg.valueRange.startOffset);
  if (onOneLine) return { meant, onOneLine };
  const map = findNode(parsed.source.documents[arg.documentIndex]?.contents, arg.mapPath)?.node;
  if (!isMap(map)) return undefined;
  const pair = map.items.find((item) => nodeRange(parsed.source, item.key)?.startOffset === arg.keyRange.startOffset);
  const value = pair?.value;
  const readAsMap = isSeq(value)
    ? value.items.some((item) => keyOnlyMap(item) !== undefined)
    : keyOnlyMap(value) !== undefined;
  return readAsMap ? { meant, onOneLine } : undefined;
}

/** Placeholders in the settings that matter: API server flags, authentication bodies, binding subjects. */
export function checkPlaceholders(context: CheckContext): void {
  const { parsed, options } = context;
  const talos = parsed.talos;
  for (const arg of talos?.extraArgs ?? []) {
    arg.values.forEach((value, index) => {
      const placeholder = findPlaceholder(value);
      const range = arg.itemRanges[index];
      if (!placeholder || !range) return;
      const replacement =
        arg.name === 'oidc-issuer-url'
          ? options.issuerUrl
          : arg.name === 'oidc-client-id'
            ? options.clientId
            : undefined;
      reportPlaceholder(context, placeholder, describeFlag(arg.name), range, replacement);
    });
  }
  const bodies: { documentIndex: number; path: YamlPath }[] = [];
  if (talos?.kubeAuthenticationConfig)
    bodies.push({ documentIndex: talos.kubeAuthenticationConfig.documentIndex, path: ['configuration'] });
  if (parsed.authenticationConfig) bodies.push({ documentIndex: parsed.authenticationConfig.documentIndex, path: [] });
  for (const body of bodies) {
    const document = parsed.source.documents[body.documentIndex];
    const root = body.path.length === 0 ? document?.contents : findNode(document?.contents, body.path)?.node;
    walkScalars(root, [], (node, path) => {
      const value = typeof node.value === 'string' ? node.value : undefined;
      const placeholder = findPlaceholder(value);
      const range = nodeRange(parsed.source, node);
      if (!placeholder || !range) return;
      const field = path.join('.');
      const isIssuer = /^jwt\.\d+\.issuer\.url$/.test(field);
      const isAudience = /^jwt\.\d+\.issuer\.audiences\.\d+$/.test(field);
      const replacement = isIssuer ? options.issuerUrl : isAudience ? options.clientId : undefined;
      const description = isIssuer
        ? 'The issuer URL; the API server refuses to start with it, because it must be an https URL'
        : isAudience
          ? 'The audience (client ID); every token is rejected, because its `aud` is the real client ID'
          : `\`${field}\` is used literally`;
      reportPlaceholder(context, placeholder, description, range, replacement);
    });
  }
  for (const binding of parsed.bindings) {
    for (const subject of binding.subjects) {
      const placeholder = findPlaceholder(subject.name);
      if (placeholder)
        reportPlaceholder(
          context,
          placeholder,
          `The ${subject.kind} name never matches anyone`,
          subject.nameRange,
          undefined,
        );
    }
  }
}

export function reportPlaceholder(
  context: CheckContext,
  placeholder: string,
  consequence: string,
  range: SourceRange,
  replacement: string | undefined,
): void {
  const fixes = replacement
    ? [fix(`Replace with ${replacement}`, [replaceEdit(context.parsed.file, range, yamlScalar(replacement))], true)]
    : undefined;
  report(
    context,
    'TOIDC003',
    `\`${placeholder}\` is a placeholder that was never filled in. ${consequence}. Replace it with the real value.`,
    range,
    fixes,
  );
}

function describeFlag(name: string): string {
  switch (name) {
    case 'oidc-issuer-url':
      return 'The API server refuses to start: the issuer URL must be an https URL such as your Pocket-ID address (`https://id.example.com`, no trailing slash)';
    case 'oidc-client-id':
      return "Every token is rejected (`oidc: expected audience`), because the token's `aud` is the real client ID from the provider's OIDC client page";
    default:
      return `The API server uses \`${name}\` literally`;
  }
}

function walkScalars(
  node: unknown,
  path: (string | number)[],
  visit: (node: Scalar, path: (string | number)[]) => void,
  depth = 0,
): void {
  if (depth > 64 || node === null || node === undefined) return;
  if (isScalar(node)) visit(node, path);
  else if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '?';
      walkScalars(pair.value as Node, [...path, key], visit, depth + 1);
    }
  } else if (isSeq(node)) node.items.forEach((item, index) => walkScalars(item, [...path, index], visit, depth + 1));
}
