/**
 * One YAML file of the workspace → what the core knows about it (`ParsedFile`): which kinds of
 * file it is, and every setting that matters to OIDC login, each with its source range.
 */
import { isMap, isPair, isSeq } from 'yaml';
import { extractKubeconfigUsers, isKubeconfigData } from '../kubeconfig/model';
import { extractBindings, extractInlineManifestBindings } from '../rbac/extract';
import { classifyTalosDocument, extractTalosSettings, type TalosDocumentKind } from '../talos/extract';
import type { SourceRange } from '../text/range';
import {
  documentToPlain,
  emptyValueRange,
  findNode,
  nodeRange,
  parseYamlSource,
  type ParseOptions,
  type YamlPath,
  type YamlSource,
} from '../yaml/source';
import { extractTalhelper, isTalconfigData } from '../talhelper/config';
import { YamlDocumentCache } from '../yaml/documentCache';
import { blockScalarMap } from './embedded';
import { isJsonPatchData, jsonPatchAsMergePatch } from './jsonPatch';
import { isJinjaTemplateFile, neutralizeJinja } from './templates';
import type { EmbeddedFile, FileKind, ParsedFile, RbacBinding, KubeconfigExecUser, TalhelperConfig } from './types';

export function isAuthenticationConfigurationData(
  data: unknown,
): data is { apiVersion: string; kind: 'AuthenticationConfiguration' } {
  return (
    typeof data === 'object' &&
    data !== null &&
    (data as Record<string, unknown>).kind === 'AuthenticationConfiguration' &&
    typeof (data as Record<string, unknown>).apiVersion === 'string' &&
    ((data as Record<string, unknown>).apiVersion as string).startsWith('apiserver.config.k8s.io/')
  );
}

export function parseYamlFile(file: string, text: string, options?: ParseOptions): ParsedFile {
  // A Jinja template is parsed with its tags neutralized (same length); its text stays the original.
  return fileFromSource(
    file,
    text,
    parseYamlSource(isJinjaTemplateFile(file) ? neutralizeJinja(text) : text, options),
    options,
  );
}

/**
 * Parses the files of an editor as they are typed in: each file's documents are kept, and a
 * document whose text did not change is not parsed again (`YamlDocumentCache`). The result equals
 * `parseYamlFile`'s; a file's previous result stays valid.
 */
export class ParseCache {
  private readonly byFile = new Map<string, YamlDocumentCache>();

  parse(file: string, text: string, options?: ParseOptions): ParsedFile {
    if (isJinjaTemplateFile(file)) return parseYamlFile(file, text, options);
    let documents = this.byFile.get(file);
    if (!documents) this.byFile.set(file, (documents = new YamlDocumentCache()));
    return fileFromSource(file, text, documents.parse(text, options), options);
  }

  /** Drops what is kept for a file (closed, deleted). */
  forget(file: string): void {
    this.byFile.delete(file);
  }
}

function fileFromSource(file: string, text: string, source: YamlSource, options?: ParseOptions): ParsedFile {
  // Embedded files are parsed the same way (the full parse, when the test's oracle asks for it).
  const full = options?.full;
  const embedded: EmbeddedFile[] = [];
  let talhelper: TalhelperConfig | undefined;
  const kinds = new Set<FileKind>();
  const bindings: RbacBinding[] = [];
  const kubeconfigUsers: KubeconfigExecUser[] = [];
  const talosDocuments: {
    index: number;
    document: (typeof source.documents)[number];
    data: unknown;
    kind: TalosDocumentKind;
  }[] = [];
  let authenticationConfig: ParsedFile['authenticationConfig'];

  source.documents.forEach((document, index) => {
    const data = documentToPlain(document);
    if (data === null || typeof data !== 'object') return;
    if (isJsonPatchData(data)) {
      // Only a JSON patch of a Talos config (paths under /cluster or /machine); a Kustomize one is none of ours.
      const merge = jsonPatchAsMergePatch(source, document.contents);
      if (!merge) return;
      kinds.add('talos-json-patch');
      embedded.push(embed(file, `json-patch[${index}]`, merge.text, merge.map, { full }));
      return;
    }
    if (!talhelper && isTalconfigData(file, data)) {
      const { config, blocks } = extractTalhelper(source, document, file);
      talhelper = config;
      kinds.add('talhelper');
      for (const block of blocks)
        embedded.push(embed(file, block.label, block.text, block.map, { full, role: block.role, node: block.node }));
      return;
    }
    const talosKind = classifyTalosDocument(data, document.errors.length > 0);
    if (talosKind) {
      talosDocuments.push({ index, document, data, kind: talosKind });
      return;
    }
    if (isAuthenticationConfigurationData(data)) {
      kinds.add('authentication-config');
      authenticationConfig ??= {
        body: data,
        apiVersion: data.apiVersion,
        documentIndex: index,
        range: nodeRange(source, document.contents) ?? source.lines.range(0, 0),
      };
      return;
    }
    const found = extractBindings(source, document, data, file);
    if (found.length > 0) {
      kinds.add('rbac');
      bindings.push(...found);
      return;
    }
    if (isKubeconfigData(data)) {
      kinds.add('kubeconfig');
      kubeconfigUsers.push(...extractKubeconfigUsers(source, document, index));
    }
  });

  let talos: ParsedFile['talos'];
  if (talosDocuments.length > 0) {
    talos = extractTalosSettings(source, talosDocuments);
    kinds.add(talos.isPatch ? 'talos-patch' : 'talos-config');
    for (const entry of talosDocuments) {
      if (entry.kind !== 'typed') bindings.push(...extractInlineManifestBindings(source, entry.document, file));
    }
    embedded.push(
      ...machineFileAuthConfigs(
        file,
        source,
        talos,
        talosDocuments.map((entry) => entry.document),
        full,
      ),
    );
  }

  // A Jinja template need not be YAML until rendered (`{% if %}` branches repeat keys): no syntax errors on its own.
  const syntaxProblems = isJinjaTemplateFile(file) ? [] : source.syntaxProblems;
  const yamlProblems = syntaxProblems.map((problem) => ({
    message: problem.message,
    range: source.lines.range(problem.startOffset, problem.endOffset),
  }));
  if (source.skipped) yamlProblems.push({ message: source.skipped, range: source.lines.range(0, 0) });

  const rangeOf = (documentIndex: number, path: YamlPath, part: 'key' | 'value' = 'value'): SourceRange | undefined => {
    const document = source.documents[documentIndex];
    if (!document) return undefined;
    if (path.length === 0) return nodeRange(source, document.contents);
    const found = findNode(document.contents, path);
    if (!found) return undefined;
    if (part === 'key')
      return found.pair && isPair(found.pair) ? nodeRange(source, found.pair.key) : nodeRange(source, found.node);
    const valueRange = nodeRange(source, found.node);
    if (valueRange) return valueRange;
    return found.pair ? emptyValueRange(source, found.pair) : undefined;
  };

  const result: ParsedFile = {
    file,
    text,
    lines: source.lines,
    kinds,
    yamlProblems,
    talos,
    authenticationConfig,
    bindings,
    kubeconfigUsers,
    skipped: source.skipped,
    notChecked: source.notChecked,
    source,
    rangeOf,
  };
  if (embedded.length > 0) result.embedded = embedded;
  if (talhelper) result.talhelper = talhelper;
  return result;
}

/** A virtual file for YAML inside `host` (a patch block string, a JSON patch value, a written file). */
function embed(
  host: string,
  label: string,
  text: string,
  map: EmbeddedFile['map'],
  { full, role, node }: { full?: boolean; role?: EmbeddedFile['role']; node?: string },
): EmbeddedFile {
  const parsed = parseYamlFile(`${host}#${label}`, text, { full });
  parsed.host = { file: host, label };
  // A talhelper worker patch reaches workers only: checked as a worker config.
  if (role === 'worker' && parsed.talos && !parsed.talos.machineType) {
    parsed.talos.machineType = { value: 'worker', valueRange: parsed.lines.range(0, 0) };
  }
  const entry: EmbeddedFile = { parsed, label, map };
  if (role) entry.role = role;
  if (node) entry.node = node;
  return entry;
}

/**
 * An AuthenticationConfiguration that `machine.files` writes to a host path the API server sees at
 * another path (an `extraVolumes` mount): checked as a file of its own. One written at exactly the
 * flag's path is already read with the Talos config, so it is left to that.
 */
function machineFileAuthConfigs(
  file: string,
  source: YamlSource,
  talos: NonNullable<ParsedFile['talos']>,
  documents: YamlSource['documents'],
  full: boolean | undefined,
): EmbeddedFile[] {
  const flagPaths = talos.extraArgs.filter((arg) => arg.name === 'authentication-config').flatMap((arg) => arg.values);
  const out: EmbeddedFile[] = [];
  for (const document of documents) {
    const files = findNode(document.contents, ['machine', 'files'])?.node;
    if (!isSeq(files)) continue;
    files.items.forEach((item, index) => {
      if (!isMap(item)) return;
      const path = item.get('path');
      if (typeof path !== 'string' || flagPaths.includes(path)) return;
      // The test on the value first: mapping a large file's lines costs more than one regular expression.
      const content: unknown = item.get('content');
      if (
        typeof content !== 'string' ||
        !content.includes('AuthenticationConfiguration') ||
        !/^kind:\s*AuthenticationConfiguration\s*$/m.test(content)
      )
        return;
      const block = blockScalarMap(source, item.get('content', true));
      if (!block) return;
      out.push(embed(file, `machine.files[${index}].content`, block.text, block.map, { full }));
    });
  }
  return out;
}
