/**
 * Finds, in the documents of one file, every Talos setting that decides how the API server
 * authenticates users, each with its source range.
 */
import { isMap, isPair, isScalar, isSeq, type Document, type Pair } from 'yaml';
import type { SourceRange } from '../text/range';
import type { ExtraArg, TalosAuthSettings } from '../workspace/types';
import { talosVersionInFile } from './version';
import { isRecord } from '../data/record';
import {
  emptyValueRange,
  findNode,
  keyOnlyMap,
  nodeRange,
  scalarText,
  type YamlPath,
  type YamlSource,
} from '../yaml/source';

const MACHINE_KEYS = new Set([
  'type',
  'token',
  'ca',
  'acceptedCAs',
  'certSANs',
  'controlPlane',
  'kubelet',
  'pods',
  'network',
  'disks',
  'install',
  'files',
  'env',
  'time',
  'sysctls',
  'sysfs',
  'registries',
  'systemDiskEncryption',
  'features',
  'udev',
  'logging',
  'kernel',
  'seccompProfiles',
  'baseRuntimeSpecOverrides',
  'nodeLabels',
  'nodeAnnotations',
  'nodeTaints',
]);
const CLUSTER_KEYS = new Set([
  'id',
  'secret',
  'controlPlane',
  'clusterName',
  'network',
  'token',
  'aescbcEncryptionSecret',
  'secretboxEncryptionSecret',
  'ca',
  'acceptedCAs',
  'aggregatorCA',
  'serviceAccount',
  'apiServer',
  'controllerManager',
  'proxy',
  'scheduler',
  'discovery',
  'etcd',
  'coreDNS',
  'externalCloudProvider',
  'extraManifests',
  'extraManifestHeaders',
  'inlineManifests',
  'adminKubeconfig',
  'allowSchedulingOnControlPlanes',
  'allowSchedulingOnMasters',
]);
const V1ALPHA1_TOP_KEYS = new Set(['version', 'debug', 'persist', 'machine', 'cluster']);

export type TalosDocumentKind = 'v1alpha1-full' | 'v1alpha1-partial' | 'typed';

/**
 * Whether one document is Talos machine configuration, and which sort. `broken`: the document has
 * syntax errors, which can move keys to the top level (a tab in the indentation), so unknown
 * top-level keys are tolerated.
 */
export function classifyTalosDocument(data: unknown, broken = false): TalosDocumentKind | undefined {
  if (!isRecord(data)) return undefined;
  if (data.apiVersion === 'v1alpha1' && typeof data.kind === 'string') return 'typed';
  if ('apiVersion' in data || 'kind' in data) return undefined;
  const keys = Object.keys(data);
  if (keys.length === 0 || (!broken && !keys.every((key) => V1ALPHA1_TOP_KEYS.has(key)))) return undefined;
  const machine = data.machine;
  const cluster = data.cluster;
  if (data.version === 'v1alpha1' && isRecord(machine) && isRecord(cluster)) return 'v1alpha1-full';
  const knownMachine = isRecord(machine) && Object.keys(machine).some((key) => MACHINE_KEYS.has(key));
  const knownCluster = isRecord(cluster) && Object.keys(cluster).some((key) => CLUSTER_KEYS.has(key));
  if (knownMachine || knownCluster) return 'v1alpha1-partial';
  if (data.version === 'v1alpha1') return 'v1alpha1-partial';
  return undefined;
}

interface TalosDocumentInput {
  index: number;
  document: Document.Parsed;
  data: unknown;
  kind: TalosDocumentKind;
}

/** Builds the settings from the Talos documents of one file (at least one). */
export function extractTalosSettings(source: YamlSource, talosDocuments: TalosDocumentInput[]): TalosAuthSettings {
  const settings: TalosAuthSettings = {
    layout: 'none',
    isPatch: !talosDocuments.some((entry) => entry.kind === 'v1alpha1-full'),
    extraArgs: [],
    extraVolumes: [],
    machineFiles: [],
    kubeApiServerConfigs: [],
  };
  let legacy = false;
  let multi = false;

  for (const { index, document, data, kind } of talosDocuments) {
    const root = document.contents;
    if (!isRecord(data)) continue;
    if (kind === 'typed') {
      const kindPair = findNode(root, ['kind']);
      const kindRange = (kindPair && nodeRange(source, kindPair.node)) ?? docRange(source, document);
      if (data.kind === 'KubeAPIServerConfig') {
        multi = true;
        settings.kubeApiServerConfigs.push({ documentIndex: index, range: docRange(source, document), kindRange });
        settings.extraArgs.push(...extractExtraArgs(source, root, ['extraArgs'], index, 'KubeAPIServerConfig'));
      } else if (data.kind === 'KubeAuthenticationConfig') {
        multi = true;
        if (!settings.kubeAuthenticationConfig) {
          const configuration = findNode(root, ['configuration']);
          const range =
            (configuration &&
              (nodeRange(source, configuration.node) ??
                (configuration.pair && nodeRange(source, configuration.pair.key)))) ??
            docRange(source, document);
          settings.kubeAuthenticationConfig = { documentIndex: index, configuration: data.configuration, range };
        }
      }
      continue;
    }

    settings.v1alpha1DocumentIndex ??= index;
    const machineType = findNode(root, ['machine', 'type']);
    const typeText = machineType && scalarText(machineType.node);
    if (machineType && typeText !== undefined) {
      const valueRange = nodeRange(source, machineType.node);
      if (valueRange)
        settings.machineType = {
          value: typeText,
          keyRange: machineType.pair && nodeRange(source, machineType.pair.key),
          valueRange,
        };
    }

    const apiServer = findNode(root, ['cluster', 'apiServer']);
    if (apiServer?.pair) {
      legacy = true;
      const keyRange = nodeRange(source, apiServer.pair.key);
      if (keyRange) settings.legacyApiServer = { documentIndex: index, keyRange };
      settings.extraArgs.push(
        ...extractExtraArgs(source, root, ['cluster', 'apiServer', 'extraArgs'], index, 'cluster.apiServer'),
      );
      const volumes = findNode(root, ['cluster', 'apiServer', 'extraVolumes']);
      if (volumes && isSeq(volumes.node)) {
        for (const item of volumes.node.items) {
          const range = nodeRange(source, item);
          if (!range || !isMap(item)) continue;
          settings.extraVolumes.push({
            hostPath: scalarText(item.get('hostPath', true)),
            mountPath: scalarText(item.get('mountPath', true)),
            readonly: item.get('readonly') === true,
            range,
            documentIndex: index,
          });
        }
      }
    }

    const files = findNode(root, ['machine', 'files']);
    if (files && isSeq(files.node)) {
      for (const item of files.node.items) {
        const range = nodeRange(source, item);
        if (!range || !isMap(item)) continue;
        const contentNode = item.get('content', true);
        settings.machineFiles.push({
          path: scalarText(item.get('path', true)),
          content: scalarText(contentNode),
          range,
          contentRange: nodeRange(source, contentNode),
          documentIndex: index,
        });
      }
    }

    const serviceAccountIssuers = settings.extraArgs
      .filter((arg) => arg.name === 'service-account-issuer')
      .flatMap((arg) => arg.values);
    if (serviceAccountIssuers.length > 0) settings.serviceAccountIssuers = serviceAccountIssuers;
  }

  settings.layout = legacy && multi ? 'both' : legacy ? 'legacy' : multi ? 'multi-document' : 'none';
  const version = talosVersionInFile(source, source.text, settings.v1alpha1DocumentIndex);
  if (version) settings.talosVersion = version;
  return settings;
}

function extractExtraArgs(
  source: YamlSource,
  root: unknown,
  mapPath: YamlPath,
  documentIndex: number,
  origin: ExtraArg['origin'],
): ExtraArg[] {
  const found = findNode(root, mapPath);
  if (!found || !isMap(found.node)) return [];
  const args: ExtraArg[] = [];
  for (const item of found.node.items) {
    if (!isPair(item)) continue;
    const pair = item as Pair;
    const name = scalarText(pair.key);
    const keyRange = nodeRange(source, pair.key);
    if (name === undefined || !keyRange) continue;
    const arg = readArgValue(source, pair);
    if (!arg) continue;
    args.push({ name, origin, keyRange, documentIndex, mapPath, ...arg });
  }
  return args;
}

function readArgValue(
  source: YamlSource,
  pair: Pair,
): Pick<ExtraArg, 'values' | 'valueRange' | 'itemRanges' | 'list'> | undefined {
  const value = pair.value;
  if (value === null || value === undefined || (isScalar(value) && value.value === null)) {
    const range = (value ? nodeRange(source, value) : undefined) ?? emptyValueRange(source, pair);
    return range ? { values: [], valueRange: range, itemRanges: [] } : undefined;
  }
  const valueRange = nodeRange(source, value);
  if (!valueRange) return undefined;
  if (isScalar(value)) return { values: [scalarText(value) ?? ''], valueRange, itemRanges: [valueRange] };
  if (isSeq(value)) {
    const values: string[] = [];
    const itemRanges: SourceRange[] = [];
    for (const item of value.items) {
      const range = nodeRange(source, item);
      if (!range) continue;
      values.push(meantByColonMap(item) ?? scalarText(item) ?? '');
      itemRanges.push(range);
    }
    return { values, valueRange, itemRanges, list: true };
  }
  const meant = meantByColonMap(value);
  if (meant !== undefined) return { values: [meant], valueRange, itemRanges: [valueRange] };
  return { values: [], valueRange, itemRanges: [] };
}

/** `oidc:` on a line of its own reads as the map `{oidc: null}`: the value meant (TOIDC002 reports it). */
function meantByColonMap(node: unknown): string | undefined {
  const key = keyOnlyMap(node);
  return key === undefined ? undefined : `${key}:`;
}

function docRange(source: YamlSource, document: Document.Parsed): SourceRange {
  return nodeRange(source, document.contents) ?? source.lines.range(0, 0);
}
