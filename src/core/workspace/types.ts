/**
 * What the core knows about one YAML file of the workspace. Produced by `parseYamlFile`
 * (src/core/workspace/parse.ts) and consumed by the checks, the generators' "fill from the
 * workspace", the command line and the extension. Owned by the config-model work: it may add
 * fields, but keeps these names.
 */
import type { SourceRange, LineIndex } from '../text/range';
import type { YamlSource } from '../yaml/source';
import type { TalosVersion } from '../talos/version';

export type FileKind =
  | 'talos-config' // a Talos machine config (v1alpha1 document, either layout)
  | 'talos-patch' // a strategic-merge patch: partial Talos config, possibly multi-document
  | 'authentication-config' // a standalone Kubernetes AuthenticationConfiguration
  | 'rbac' // holds ClusterRoleBindings / RoleBindings
  | 'kubeconfig' // a kubeconfig (users, clusters, contexts)
  | 'talhelper' // a talhelper talconfig.yaml: its inline patches are embedded files
  | 'talos-json-patch'; // an RFC 6902 JSON patch of a Talos config: its add/replace values are an embedded file

export interface Located<T> {
  value: T;
  keyRange?: SourceRange;
  valueRange: SourceRange;
}

export interface YamlProblem {
  message: string;
  range: SourceRange;
}

/** One `extraArgs` entry that matters to authentication (`oidc-*`, `authentication-config`, ...). */
export interface ExtraArg {
  name: string;
  /** A string value, or each item of a list value (read by Talos 1.14+). */
  values: string[];
  /** Where it is: the v1alpha1 `cluster.apiServer.extraArgs` or a `KubeAPIServerConfig` document. */
  origin: 'cluster.apiServer' | 'KubeAPIServerConfig';
  keyRange: SourceRange;
  valueRange: SourceRange;
  /** Range of each value: the scalar itself, or each list item. */
  itemRanges: SourceRange[];
  /** Index of the YAML document in the file. */
  documentIndex: number;
  /** The value is written as a YAML list (only Talos 1.14's config code reads one). */
  list?: boolean;
  /** The path of the `extraArgs` map in its document, e.g. ['cluster', 'apiServer', 'extraArgs']. */
  mapPath: (string | number)[];
}

export interface TalosAuthSettings {
  /** legacy: v1alpha1 cluster.apiServer; multi-document: Talos 1.14+ documents; both: a mix. */
  layout: 'legacy' | 'multi-document' | 'both' | 'none';
  isPatch: boolean;
  /** `machine.type`: controlplane, init or worker (absent in many patches). */
  machineType?: Located<string>;
  /** Every API-server flag under extraArgs (all of them, not only oidc-*: unknown/misspelled ones matter). */
  extraArgs: ExtraArg[];
  /** The `KubeAuthenticationConfig` document, when present. */
  kubeAuthenticationConfig?: {
    documentIndex: number;
    /** The `configuration:` body as plain data (an AuthenticationConfiguration without apiVersion/kind). */
    configuration: unknown;
    range: SourceRange;
  };
  extraVolumes: {
    hostPath?: string;
    mountPath?: string;
    readonly?: boolean;
    range: SourceRange;
    documentIndex: number;
  }[];
  machineFiles: {
    path?: string;
    content?: string;
    range: SourceRange;
    contentRange?: SourceRange;
    documentIndex: number;
  }[];
  /** The v1alpha1 document (`version: v1alpha1` or a patch's machine/cluster document), if any. */
  v1alpha1DocumentIndex?: number;
  /** `cluster.apiServer` in the v1alpha1 document, when present. */
  legacyApiServer?: { documentIndex: number; keyRange: SourceRange };
  /** Each `KubeAPIServerConfig` document. */
  kubeApiServerConfigs: { documentIndex: number; range: SourceRange; kindRange: SourceRange }[];
  /** `--service-account-issuer` values, if configured (`cluster.serviceAccount`/extraArgs), for the overlap rule. */
  serviceAccountIssuers?: string[];
  /** The Talos release the file names for itself (installer image tag or `# talos: v1.x` comment). */
  talosVersion?: TalosVersion;
}

export interface RbacSubject {
  kind: string; // User | Group | ServiceAccount
  name: string;
  namespace?: string;
  apiGroup?: string;
  range: SourceRange;
  /** Range of the `name` value (where a prefix fix goes). */
  nameRange: SourceRange;
}

export interface RbacBinding {
  kind: 'ClusterRoleBinding' | 'RoleBinding';
  name: string;
  namespace?: string;
  roleRef: { kind: string; name: string };
  subjects: RbacSubject[];
  file: string;
  range: SourceRange;
  /** True for a binding inside a Talos inline manifest whose ranges cover the whole manifest (no edits there). */
  approximateRanges?: boolean;
}

export interface KubeconfigExecUser {
  /** users[].name */
  name: string;
  apiVersion?: string;
  command?: string;
  args: string[];
  /** Parsed kubelogin arguments, when the exec runs kubelogin (`kubectl oidc-login get-token` or `kubelogin get-token`). */
  kubelogin?: {
    issuerUrl?: string;
    clientId?: string;
    clientSecret?: string;
    extraScopes: string[];
    listenAddresses: string[];
    redirectUrl?: string;
    certificateAuthority?: string;
    /** Every `--flag[=value]` argument after the subcommand, with ranges (for checks and fixes). */
    flags: KubeloginFlag[];
    /** Index in `args` of the `get-token` subcommand (new flags go after the last arg). */
    subcommandIndex: number;
  };
  /** Range of the `apiVersion` value of the exec block, when present. */
  apiVersionRange?: SourceRange;
  documentIndex: number;
  /** Path of the user entry in its document, e.g. ['users', 2]. */
  path: (string | number)[];
  interactiveMode?: string;
  range: SourceRange;
  /** Range of each arg in `args`, same order. */
  argRanges: SourceRange[];
}

export interface KubeloginFlag {
  /** Without leading dashes, e.g. `oidc-client-id`. */
  name: string;
  value?: string;
  /** Index in `args` of the argument holding the flag name. */
  argIndex: number;
  /** Range of the whole argument (or both arguments for `--flag value`). */
  range: SourceRange;
  /** Range of just the value text, when there is one. */
  valueRange?: SourceRange;
}

export interface ParsedFile {
  file: string;
  text: string;
  lines: LineIndex;
  /** Empty when the file is none of ours (a Deployment, a compose file): it gets no findings. */
  kinds: Set<FileKind>;
  yamlProblems: YamlProblem[];
  talos?: TalosAuthSettings;
  /** A standalone AuthenticationConfiguration body (plain data) and its range. */
  authenticationConfig?: { body: unknown; apiVersion: string; documentIndex: number; range: SourceRange };
  bindings: RbacBinding[];
  kubeconfigUsers: KubeconfigExecUser[];
  /** Why the file was not parsed at all (binary, too large, took too long); it then has no kinds. */
  skipped?: string;
  /** Not parsed because of the size or time budget (not because it is binary): worth a finding if it looks like a config. */
  notChecked?: 'too-large' | 'too-slow' | 'too-deep';
  /** The parsed documents with positions (for checks and fixes that need the syntax tree). */
  source: YamlSource;
  /**
   * The range of a node by its path in one YAML document (keys and list indexes), `key` for the
   * key of a map pair, `value` for its value. Undefined when the path does not exist.
   */
  rangeOf(documentIndex: number, path: (string | number)[], part?: 'key' | 'value'): SourceRange | undefined;
  /** YAML held inside this file (talhelper inline patches, JSON patch values, machine.files content), checked as files of their own. */
  embedded?: EmbeddedFile[];
  /** Set on an embedded file: the file the user edits and what part of it this is. */
  host?: { file: string; label: string };
  /** A talhelper talconfig.yaml: the cluster and the patches it applies. */
  talhelper?: TalhelperConfig;
}

/** Which nodes a talhelper patch is applied to. */
export type TalhelperRole = 'all' | 'controlPlane' | 'worker';

export interface EmbeddedFile {
  /** The virtual file; its findings are carried to the host through `map`. */
  parsed: ParsedFile;
  /** e.g. `controlPlane.patches[3]`, `machine.files[0].content`. */
  label: string;
  map: HostOffsetMap;
  role?: TalhelperRole;
  /** The node (hostname) of a per-node talhelper patch. */
  node?: string;
}

export interface TalhelperConfig {
  clusterName?: string;
  /** `@./patches/...` references, resolved against the talconfig's folder. */
  references: { path: string; role: TalhelperRole; node?: string; range: SourceRange }[];
}

/**
 * Maps offsets and inserted text of an embedded file back to its host file. Implemented by
 * OffsetMap in embedded.ts; declared here so that the types need nothing from the code.
 */
export interface HostOffsetMap {
  toHost(offset: number): number;
  /** Text inserted on new lines in the embedded file, with the host's indentation and line breaks. */
  toHostText(text: string): string;
}
