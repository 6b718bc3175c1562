/**
 * Adds or updates one user (and optionally a context and `current-context`) in a kubeconfig
 * text, changing only the bytes of what it edits: comments, key order, quoting, flow style,
 * anchors, line endings and indentation elsewhere stay exactly as they were. The edits themselves
 * (on the `yaml` package's node ranges, in the file's own style) are yamlEditor.ts; this file
 * decides what to edit and checks the result.
 */
import { isMap, parseAllDocuments } from 'yaml';
import { applyTextEdits } from '../generate/insert';
import { toYaml } from '../generate/yaml';
import { canonical, KubeconfigEditError, KubeconfigYamlEditor, namedItems } from './yamlEditor';

export { KubeconfigEditError } from './yamlEditor';

export interface KubeconfigExecSpec {
  apiVersion: string;
  command: string;
  args: string[];
  interactiveMode?: string;
  env?: { name: string; value: string }[];
  provideClusterInfo?: boolean;
}

export interface SetKubeconfigUserOptions {
  /** users[].name */
  name: string;
  exec: KubeconfigExecSpec;
  /** A context that uses the user; `cluster` must exist in the file. */
  context?: { name: string; cluster: string; namespace?: string };
  /** Set `current-context` to the context (needs `context`). */
  useContext?: boolean;
}

export interface SetKubeconfigUserResult {
  text: string;
  changed: boolean;
}

/**
 * The YAML library's warnings (a collection used as a key, read as a string) go to the process's
 * stderr, where they mean nothing to the user: the edit keeps such keys byte for byte.
 */
const QUIET = { logLevel: 'error' } as const;

export function setKubeconfigUser(text: string, options: SetKubeconfigUserOptions): SetKubeconfigUserResult {
  if (!options.name) throw new KubeconfigEditError('the user name is empty');
  if (options.useContext && !options.context)
    throw new KubeconfigEditError('--use-context needs a context (name and cluster)');
  const userValue = { exec: execObject(options.exec) };
  const contextValue = options.context ? contextObject(options.context, options.name) : undefined;

  const docs = parseAllDocuments(text, QUIET);
  const documents = Array.isArray(docs) ? docs : [];
  for (const doc of documents) {
    if (doc.errors.length > 0) {
      const error = doc.errors[0];
      const where = error.linePos ? ` (line ${error.linePos[0].line}, column ${error.linePos[0].col})` : '';
      throw new KubeconfigEditError(`the kubeconfig is not valid YAML${where}: ${firstLine(error.message)}`);
    }
    // Aliases are resolved only when the data is read: an alias to no anchor, or an alias bomb,
    // is found here (and refused) rather than as an exception halfway through the edit.
    try {
      doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      throw new KubeconfigEditError(`the kubeconfig cannot be read: ${firstLine((error as Error).message)}`);
    }
  }
  const withContent = documents.filter((doc) => doc.contents !== null);
  if (withContent.length > 1)
    throw new KubeconfigEditError('the kubeconfig holds several YAML documents; kubectl reads only one');
  if (withContent.length === 0) return createKubeconfig(text, options, userValue, contextValue);

  const doc = withContent[0];
  const root = doc.contents;
  if (!isMap(root)) throw new KubeconfigEditError('the kubeconfig is not a YAML mapping at the top level');
  const editor = new KubeconfigYamlEditor(text, doc);

  if (options.context) {
    const clusterNames = namedItems(root, 'clusters').map((item) => item.name);
    if (!clusterNames.includes(options.context.cluster)) {
      const known =
        clusterNames.length > 0 ? ` (clusters in the file: ${clusterNames.join(', ')})` : ' (the file has no clusters)';
      throw new KubeconfigEditError(`cluster "${options.context.cluster}" is not in the kubeconfig${known}`);
    }
  }

  // Compute every edit on the original text (parts of the tree do not overlap), then apply.
  editor.setNamedItem(root, 'users', options.name, 'user', userValue);
  if (options.context && contextValue)
    editor.setNamedItem(root, 'contexts', options.context.name, 'context', contextValue);
  if (options.useContext && options.context) editor.setScalar(root, 'current-context', options.context.name);
  editor.flushRootAdditions(root);

  if (editor.edits.length === 0) return { text, changed: false };
  const result = applyTextEdits(text, editor.edits);
  verify(result, options, userValue, contextValue);
  return { text: result, changed: result !== text };
}

function execObject(exec: KubeconfigExecSpec): Record<string, unknown> {
  const value: Record<string, unknown> = { apiVersion: exec.apiVersion, command: exec.command, args: [...exec.args] };
  if (exec.env && exec.env.length > 0) value.env = exec.env.map((entry) => ({ ...entry }));
  if (exec.interactiveMode) value.interactiveMode = exec.interactiveMode;
  if (exec.provideClusterInfo !== undefined) value.provideClusterInfo = exec.provideClusterInfo;
  return value;
}

function contextObject(context: { cluster: string; namespace?: string }, user: string): Record<string, unknown> {
  const value: Record<string, unknown> = { cluster: context.cluster };
  if (context.namespace) value.namespace = context.namespace;
  value.user = user;
  return value;
}

/** An empty (or comments-only) file: write a whole kubeconfig after what is there. */
function createKubeconfig(
  text: string,
  options: SetKubeconfigUserOptions,
  userValue: Record<string, unknown>,
  contextValue: Record<string, unknown> | undefined,
): SetKubeconfigUserResult {
  if (options.context) {
    throw new KubeconfigEditError(`cluster "${options.context.cluster}" is not in the kubeconfig (the file is empty)`);
  }
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const body = toYaml(
    {
      apiVersion: 'v1',
      kind: 'Config',
      preferences: {},
      clusters: [],
      users: [{ name: options.name, user: userValue }],
      contexts: contextValue ? [{ name: options.context!.name, context: contextValue }] : [],
      'current-context': '',
    },
    { indentSeq: false },
  ).replace(/\n/g, eol);
  const prefix = text.trim() === '' ? '' : text.endsWith('\n') ? text : text + eol;
  return { text: prefix + body, changed: true };
}

function verify(
  text: string,
  options: SetKubeconfigUserOptions,
  userValue: Record<string, unknown>,
  contextValue: Record<string, unknown> | undefined,
): void {
  const docs = parseAllDocuments(text, QUIET);
  const doc = (Array.isArray(docs) ? docs : []).find((d) => d.contents !== null);
  const fail = (why: string) => {
    throw new KubeconfigEditError(`internal error: the edited kubeconfig ${why}; the file was not changed`);
  };
  if (!doc || doc.errors.length > 0 || !isMap(doc.contents)) return fail('is not valid YAML');
  let data: Record<string, unknown>;
  try {
    data = doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown>;
  } catch (error) {
    return fail(`cannot be read back (${firstLine((error as Error).message)})`);
  }
  const find = (key: string, name: string) =>
    (Array.isArray(data[key]) ? (data[key] as Record<string, unknown>[]) : []).filter(
      (item) => item && item.name === name,
    );
  const users = find('users', options.name);
  if (users.length !== 1 || canonical(users[0].user) !== canonical(userValue))
    fail('does not hold the user as requested');
  if (options.context) {
    const contexts = find('contexts', options.context.name);
    if (contexts.length !== 1 || canonical(contexts[0].context) !== canonical(contextValue))
      fail('does not hold the context as requested');
  }
  if (options.useContext && options.context && data['current-context'] !== options.context.name)
    fail('does not switch current-context');
}

/** The first line of a `yaml` error message, without its repeated position. */
function firstLine(message: string): string {
  return message.split('\n')[0].replace(/\s+at line \d+, column \d+:?\s*$/, '');
}
