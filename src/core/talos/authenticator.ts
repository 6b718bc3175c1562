/**
 * A Talos config or patch (either layout) or a standalone AuthenticationConfiguration → the API
 * server's authenticator model, with every configuration problem placed at its source range.
 */
import {
  authenticatorFromConfig,
  authenticatorFromFlags,
  isOidcFlag,
  type AuthenticatorModel,
  type ConfigProblem,
} from '../authn';
import type { SourceRange } from '../text/range';
import type { ExtraArg, ParsedFile, TalosAuthSettings } from '../workspace/types';
import { parseYamlSource, documentToPlain } from '../yaml/source';

export type LocatedProblem = ConfigProblem & { range: SourceRange };

export interface TalosAuthenticatorResult {
  model?: AuthenticatorModel;
  problems: LocatedProblem[];
}

const cache = new WeakMap<ParsedFile, TalosAuthenticatorResult>();

/** Flags that decide authentication; other API server flags do not go into the model. */
function isAuthFlag(name: string): boolean {
  return name.startsWith('oidc-') || name === 'authentication-config';
}

export function talosAuthenticator(parsed: ParsedFile): TalosAuthenticatorResult {
  const cached = cache.get(parsed);
  if (cached) return cached;
  const result = computeAuthenticator(parsed);
  cache.set(parsed, result);
  return result;
}

/** Where Talos 1.14 writes the KubeAuthenticationConfig body (constants.KubernetesAPIServerConfigDir). */
export const TALOS_AUTHENTICATION_CONFIG_PATH = '/system/config/kubernetes/kube-apiserver/authentication-config.yaml';

/** What the API server's authentication comes from, as Talos's config layer decides it. */
export interface ApiServerAuthentication {
  /**
   * Talos passes `--authentication-config` with the KubeAuthenticationConfig document's body. Only
   * a `KubeAPIServerConfig` document does that (UseAuthenticationConfig); with the legacy
   * `.cluster.apiServer` Talos passes `--anonymous-auth=false` and the document is read by nothing.
   * A patch without either is judged as applied to a config made by Talos 1.14's `gen config`,
   * which has a KubeAPIServerConfig.
   */
  usesKubeAuthenticationConfig: boolean;
  /** A KubeAuthenticationConfig document is there but Talos does not use it. */
  kubeAuthenticationConfigIgnored: boolean;
  /** The authentication flags of the API server (`oidc-*`, `authentication-config`, `anonymous-auth`), Talos's own included. */
  flags: Map<string, string[]>;
}

export function apiServerAuthentication(talos: TalosAuthSettings): ApiServerAuthentication {
  const kac = talos.kubeAuthenticationConfig;
  const hasApiServerDocument = talos.kubeApiServerConfigs.length > 0;
  const onlyAuthenticationDocument = talos.isPatch && !talos.legacyApiServer && !hasApiServerDocument;
  const usesDocument = hasApiServerDocument || onlyAuthenticationDocument;
  const flags = new Map<string, string[]>();
  if (usesDocument) {
    flags.set('authentication-config', [TALOS_AUTHENTICATION_CONFIG_PATH]);
  } else if (!talos.isPatch) {
    flags.set('anonymous-auth', ['false']);
  }
  const origin = usesDocument ? 'KubeAPIServerConfig' : 'cluster.apiServer';
  for (const arg of talos.extraArgs) {
    if (arg.origin !== origin || !isTalosAuthFlag(arg.name)) continue;
    // With the document Talos denies these in extraArgs (a finding says so); they never reach the API server.
    if (usesDocument) continue;
    flags.set(arg.name, arg.values);
  }
  return {
    usesKubeAuthenticationConfig: usesDocument && kac !== undefined,
    kubeAuthenticationConfigIgnored: kac !== undefined && !usesDocument,
    flags,
  };
}

function isTalosAuthFlag(name: string): boolean {
  return isAuthFlag(name) || name === 'anonymous-auth';
}

function computeAuthenticator(parsed: ParsedFile): TalosAuthenticatorResult {
  if (parsed.authenticationConfig) {
    const { body, documentIndex } = parsed.authenticationConfig;
    const { model, problems } = authenticatorFromConfig(body);
    return { model, problems: dedupe(problems.map((problem) => locateInBody(parsed, problem, documentIndex, []))) };
  }
  const talos = parsed.talos;
  if (!talos) return { problems: [] };

  const decided = apiServerAuthentication(talos);
  const kac = talos.kubeAuthenticationConfig;
  if (decided.usesKubeAuthenticationConfig && kac) {
    const { model, problems } = authenticatorFromConfig(kac.configuration ?? {});
    return {
      model,
      problems: dedupe(problems.map((problem) => locateInBody(parsed, problem, kac.documentIndex, ['configuration']))),
    };
  }

  const legacyArgs = talos.extraArgs.filter((arg) => arg.origin === 'cluster.apiServer' && isAuthFlag(arg.name));
  const problems: LocatedProblem[] = [];
  let model: AuthenticatorModel | undefined;
  if (legacyArgs.length > 0 && !decided.usesKubeAuthenticationConfig) {
    const flags = new Map<string, string[]>();
    for (const arg of legacyArgs) flags.set(arg.name, [...(flags.get(arg.name) ?? []), ...arg.values]);
    const result = authenticatorFromFlags(flags, { serviceAccountIssuers: talos.serviceAccountIssuers });
    problems.push(...result.problems.map((problem) => locateFlagProblem(parsed, problem, legacyArgs)));
    model = result.model;

    const authConfigArg = legacyArgs.find((arg) => arg.name === 'authentication-config');
    if (!model && authConfigArg) {
      // The file the flag names may be written by machine.files in the same config: read it there.
      const fileResult = fromMachineFile(parsed, authConfigArg);
      if (fileResult) {
        model = fileResult.model;
        problems.push(...fileResult.problems);
      }
    }
  }
  return { model, problems: dedupe(problems) };
}

function fromMachineFile(parsed: ParsedFile, arg: ExtraArg): TalosAuthenticatorResult | undefined {
  const path = arg.values[arg.values.length - 1];
  const file = parsed.talos?.machineFiles.find((entry) => entry.path === path && entry.content !== undefined);
  if (!file || file.content === undefined) return undefined;
  const inner = parseYamlSource(file.content);
  const body = inner.documents.length > 0 ? documentToPlain(inner.documents[0]) : undefined;
  if (inner.skipped || body === undefined) return undefined;
  const { model, problems } = authenticatorFromConfig(body);
  const range = file.contentRange ?? file.range;
  return { model, problems: problems.map((problem) => ({ ...problem, range })) };
}

function locateFlagProblem(parsed: ParsedFile, problem: ConfigProblem, args: ExtraArg[]): LocatedProblem {
  const name = String(problem.path[0] ?? '');
  const arg = [...args].reverse().find((candidate) => candidate.name === name);
  if (arg) {
    const onKey = problem.message.startsWith('unknown flag') || problem.message.includes('mutually exclusive');
    return { ...problem, range: onKey ? arg.keyRange : arg.valueRange };
  }
  // A missing flag (e.g. no oidc-client-id): point at the flag that is there.
  const anchor = args.find((candidate) => isOidcFlag(candidate.name)) ?? args[0];
  return { ...problem, range: anchor ? anchor.keyRange : parsed.lines.range(0, 0) };
}

/** Maps a path inside an AuthenticationConfiguration body to the nearest existing node. */
function locateInBody(
  parsed: ParsedFile,
  problem: ConfigProblem,
  documentIndex: number,
  prefix: (string | number)[],
): LocatedProblem {
  const path = [...prefix, ...problem.path];
  const unknownField = problem.message.includes('unknown field');
  const exact = parsed.rangeOf(documentIndex, path, unknownField ? 'key' : 'value');
  if (exact) return { ...problem, range: exact };
  for (let length = path.length - 1; length >= 0; length--) {
    const ancestor = path.slice(0, length);
    const last = ancestor[ancestor.length - 1];
    const range = parsed.rangeOf(documentIndex, ancestor, typeof last === 'string' ? 'key' : 'value');
    if (range) return { ...problem, range };
  }
  return { ...problem, range: parsed.lines.range(0, 0) };
}

function dedupe(problems: LocatedProblem[]): LocatedProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.range.startOffset}:${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
