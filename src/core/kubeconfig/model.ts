/**
 * Kubeconfig files: the users whose `exec` plugin runs kubelogin, with the ranges of their
 * arguments. Parsing only; writing a user is the job of `edit.ts`.
 */
import { isMap, isScalar, isSeq, type Document, type Scalar } from 'yaml';
import type { SourceRange } from '../text/range';
import type { KubeconfigExecUser, KubeloginFlag } from '../workspace/types';
import { findNode, nodeRange, scalarText, type YamlSource } from '../yaml/source';
import { isRecord } from '../data/record';

/** kubelogin flags that take a value (`--flag=value` or `--flag value`). */
const VALUE_FLAGS = new Set([
  'oidc-issuer-url',
  'oidc-client-id',
  'oidc-client-secret',
  'oidc-extra-scope',
  'oidc-redirect-url',
  'oidc-pkce-method',
  'oidc-auth-request-extra-params',
  'oidc-token-endpoint-auth-method',
  'grant-type',
  'listen-address',
  'authentication-timeout-sec',
  'browser-command',
  'local-server-cert',
  'local-server-key',
  'open-url-after-authentication',
  'certificate-authority',
  'certificate-authority-data',
  'token-cache-dir',
  'token-cache-storage',
  'username',
  'password',
  'tls-renegotiation',
  'v',
]);

export function isKubeconfigData(data: unknown): boolean {
  if (!isRecord(data)) return false;
  if (data.kind === 'Config' && (data.apiVersion === 'v1' || data.apiVersion === undefined)) return true;
  if ('kind' in data) return false;
  return Array.isArray(data.users) && (Array.isArray(data.contexts) || Array.isArray(data.clusters));
}

/** Every `users[]` entry with an `exec` block. */
export function extractKubeconfigUsers(
  source: YamlSource,
  document: Document.Parsed,
  documentIndex: number,
): KubeconfigExecUser[] {
  const usersNode = findNode(document.contents, ['users']);
  if (!usersNode || !isSeq(usersNode.node)) return [];
  const users: KubeconfigExecUser[] = [];
  usersNode.node.items.forEach((item, index) => {
    if (!isMap(item)) return;
    const exec = findNode(item, ['user', 'exec']);
    if (!exec || !isMap(exec.node)) return;
    const range = nodeRange(source, item);
    if (!range) return;
    const execMap = exec.node;
    const argsNode = execMap.get('args', true);
    const args: string[] = [];
    const argRanges: SourceRange[] = [];
    const argNodes: Scalar[] = [];
    if (isSeq(argsNode)) {
      for (const argNode of argsNode.items) {
        const text = scalarText(argNode);
        const argRange = nodeRange(source, argNode);
        if (text === undefined || !argRange || !isScalar(argNode)) continue;
        args.push(text);
        argRanges.push(argRange);
        argNodes.push(argNode);
      }
    }
    const apiVersionNode = execMap.get('apiVersion', true);
    const user: KubeconfigExecUser = {
      name: scalarText(item.get('name', true)) ?? '',
      apiVersion: scalarText(apiVersionNode),
      apiVersionRange: nodeRange(source, apiVersionNode),
      command: scalarText(execMap.get('command', true)),
      args,
      interactiveMode: scalarText(execMap.get('interactiveMode', true)),
      range,
      argRanges,
      documentIndex,
      path: ['users', index],
    };
    const subcommandIndex = kubeloginSubcommandIndex(user.command, args);
    if (subcommandIndex !== undefined)
      user.kubelogin = parseKubeloginArgs(source, args, argNodes, argRanges, subcommandIndex);
    users.push(user);
  });
  return users;
}

/**
 * Where `get-token` is when the exec runs int128/kubelogin: `kubectl oidc-login get-token`,
 * `kubelogin get-token` or `kubectl-oidc_login get-token`. A missing command with `oidc-login`
 * first (the seed guide's snippet) still counts, so that its mistakes can be reported.
 */
export function kubeloginSubcommandIndex(command: string | undefined, args: string[]): number | undefined {
  const base =
    command === undefined
      ? undefined
      : command
          .replace(/\\/g, '/')
          .split('/')
          .pop()!
          .replace(/\.exe$/i, '');
  let index: number | undefined;
  if ((base === undefined || base === 'kubectl') && args[0] === 'oidc-login') index = 1;
  else if (base === 'kubelogin' || base === 'kubectl-oidc_login' || base === 'kubectl-oidc-login') index = 0;
  if (index === undefined || args[index] !== 'get-token') return undefined;
  // Azure's kubelogin is also called `kubelogin get-token`; it has no OIDC issuer flag.
  if (args.some((arg) => arg === '--server-id' || arg.startsWith('--server-id=') || arg === '--login' || arg === '-l'))
    return undefined;
  return index;
}

function parseKubeloginArgs(
  source: YamlSource,
  args: string[],
  argNodes: Scalar[],
  argRanges: SourceRange[],
  subcommandIndex: number,
): NonNullable<KubeconfigExecUser['kubelogin']> {
  const flags: KubeloginFlag[] = [];
  for (let i = subcommandIndex + 1; i < args.length; i++) {
    const arg = args[i];
    const long = /^--([A-Za-z0-9][\w-]*)(?:=([\s\S]*))?$/.exec(arg);
    const verbosity = /^-v(\d+)$/.exec(arg);
    if (verbosity) {
      flags.push({
        name: 'v',
        value: verbosity[1],
        argIndex: i,
        range: argRanges[i],
        valueRange: innerRange(source, argNodes[i], 2, arg.length),
      });
      continue;
    }
    if (!long) continue;
    const name = long[1];
    if (long[2] !== undefined) {
      const offset = name.length + 3;
      flags.push({
        name,
        value: long[2],
        argIndex: i,
        range: argRanges[i],
        valueRange: innerRange(source, argNodes[i], offset, arg.length),
      });
    } else if (VALUE_FLAGS.has(name) && i + 1 < args.length && !args[i + 1].startsWith('-')) {
      flags.push({
        name,
        value: args[i + 1],
        argIndex: i,
        range: source.lines.range(argRanges[i].startOffset, argRanges[i + 1].endOffset),
        valueRange: argRanges[i + 1],
      });
      i++;
    } else {
      flags.push({ name, argIndex: i, range: argRanges[i] });
    }
  }
  const last = (name: string) => [...flags].reverse().find((flag) => flag.name === name)?.value;
  const all = (name: string) =>
    flags.filter((flag) => flag.name === name && flag.value !== undefined).map((flag) => flag.value!);
  return {
    issuerUrl: last('oidc-issuer-url'),
    clientId: last('oidc-client-id'),
    clientSecret: last('oidc-client-secret'),
    extraScopes: all('oidc-extra-scope')
      .flatMap((value) => value.split(','))
      .map((scope) => scope.trim())
      .filter(Boolean),
    listenAddresses: all('listen-address')
      .flatMap((value) => value.split(','))
      .map((address) => address.trim())
      .filter(Boolean),
    redirectUrl: last('oidc-redirect-url'),
    certificateAuthority: last('certificate-authority'),
    flags,
    subcommandIndex,
  };
}

/**
 * The range of characters [from, to) of a scalar's value, when the source spells the value
 * literally (plain, or quoted without escapes); otherwise the whole scalar.
 */
export function innerRange(source: YamlSource, node: Scalar, from: number, to: number): SourceRange | undefined {
  const range = nodeRange(source, node);
  if (!range) return undefined;
  const raw = source.text.slice(range.startOffset, range.endOffset);
  const value = String(node.value);
  let contentStart: number | undefined;
  if (raw === value) contentStart = range.startOffset;
  else if ((raw.startsWith('"') || raw.startsWith("'")) && raw.slice(1, -1) === value)
    contentStart = range.startOffset + 1;
  if (contentStart === undefined) return range;
  return source.lines.range(contentStart + from, contentStart + to);
}
