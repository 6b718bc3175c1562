/**
 * One YAML file of the workspace → what the core knows about it (`ParsedFile`): which kinds of
 * file it is, and every setting that matters to OIDC login, each with its source range.
 */
import { isPair } from 'yaml';
import { extractKubeconfigUsers, isKubeconfigData } from '../kubeconfig/model';
import { extractBindings, extractInlineManifestBindings } from '../rbac/extract';
import { classifyTalosDocument, extractTalosSettings, type TalosDocumentKind } from '../talos/extract';
import type { SourceRange } from '../text/range';
import { documentToPlain, emptyValueRange, findNode, nodeRange, parseYamlSource, type ParseOptions, type YamlPath } from '../yaml/source';
import type { FileKind, ParsedFile, RbacBinding, KubeconfigExecUser } from './types';

export function isAuthenticationConfigurationData(data: unknown): data is { apiVersion: string; kind: 'AuthenticationConfiguration' } {
  return (
    typeof data === 'object' && data !== null &&
    (data as Record<string, unknown>).kind === 'AuthenticationConfiguration' &&
    typeof (data as Record<string, unknown>).apiVersion === 'string' &&
    ((data as Record<string, unknown>).apiVersion as string).startsWith('apiserver.config.k8s.io/')
  );
}

export function parseYamlFile(file: string, text: string, options?: ParseOptions): ParsedFile {
  const source = parseYamlSource(text, options);
  const kinds = new Set<FileKind>();
  const bindings: RbacBinding[] = [];
  const kubeconfigUsers: KubeconfigExecUser[] = [];
  const talosDocuments: { index: number; document: (typeof source.documents)[number]; data: unknown; kind: TalosDocumentKind }[] = [];
  let authenticationConfig: ParsedFile['authenticationConfig'];

  source.documents.forEach((document, index) => {
    const data = documentToPlain(document);
    if (data === null || typeof data !== 'object') return;
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
  }

  const yamlProblems = source.syntaxProblems.map((problem) => ({
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
    if (part === 'key') return found.pair && isPair(found.pair) ? nodeRange(source, found.pair.key) : nodeRange(source, found.node);
    const valueRange = nodeRange(source, found.node);
    if (valueRange) return valueRange;
    return found.pair ? emptyValueRange(source, found.pair) : undefined;
  };

  return {
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
}
