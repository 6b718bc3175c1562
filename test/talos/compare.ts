/**
 * The comparison every differential test makes: Talos's verdict on a config against what the
 * extension says about the same config (its findings and its model of what the API server gets).
 */
import * as assert from 'node:assert/strict';
import { checkFiles, type CheckOptions, type Finding } from '../../src/core/checks';
import { apiServerAuthentication } from '../../src/core/talos/authenticator';
import { parseYamlFile } from '../../src/core/workspace/parse';
import type { ParsedFile } from '../../src/core/workspace/types';
import type { TalosJudge, Verdict } from './judge';

/** Findings whose meaning is "Talos refuses this config" (load, patch or validation error). */
export const TALOS_REJECTS = new Set([
  'TOIDC001',
  'TOIDC002',
  'TOIDC105',
  'TOIDC106',
  'TOIDC113',
  'TOIDC122',
  'TOIDC123',
]);

export function talosRejection(verdict: Verdict): string | undefined {
  if (verdict.patchError) return `patch: ${verdict.patchError}`;
  if (verdict.loadError) return `load: ${verdict.loadError}`;
  // The fixtures carry only the OIDC part of a config; what Talos says about the rest (cluster name,
  // install disk, machine identity) is outside what the tool checks and is left out here.
  const ours = (verdict.errors ?? []).filter((error) =>
    /kube-apiserver|apiServer|KubeAuthentication|KubeAPIServer|extra arg|only allowed on control plane|authentication/i.test(
      error,
    ),
  );
  if (ours.length > 0) return `validate: ${ours.join('; ')}`;
  if (verdict.apiServer?.flagError) return `static pod: ${verdict.apiServer.flagError}`;
  return undefined;
}

export function rejectionFindings(findings: Finding[]): Finding[] {
  return findings.filter((finding) => TALOS_REJECTS.has(finding.code) && finding.severity === 'error');
}

export interface Comparison {
  label: string;
  disagreements: string[];
}

export const tally = { compared: new Map<string, number>(), disagreements: [] as string[] };

function count(minor: string): void {
  tally.compared.set(minor, (tally.compared.get(minor) ?? 0) + 1);
}

/**
 * Judges `config` (with `patches`) with Talos and compares: Talos rejects exactly when the tool has
 * a rejection finding on one of the inputs; when Talos accepts, what the API server gets equals the
 * tool's model of the result. Returns the disagreements (empty when they agree).
 */
export async function compare(
  judge: TalosJudge,
  label: string,
  config: string,
  patches: string[] = [],
  options: CheckOptions = {},
  /** Codes that must not be reported on the result (a generator's own output must not need them). */
  forbidOnResult: string[] = [],
): Promise<string[]> {
  count(judge.minor);
  const verdict = await judge.judge(config, patches);
  const talosVersion = `v${judge.minor}`;
  const checkOptions: CheckOptions = { talosVersion, ...options };
  const inputs: ParsedFile[] = [
    parseYamlFile('/cfg/config.yaml', config),
    ...patches.map((patch, index) => parseYamlFile(`/cfg/patch-${index}.yaml`, patch)),
  ];
  // The config is in the workspace beside its patches, as a user would have it.
  const inputFindings = checkFiles(inputs, checkOptions);
  const rejected = talosRejection(verdict);
  // The tool may say it on the inputs, or on the merged config Talos would load.
  const merged = verdict.patched ? checkFiles([parseYamlFile('/cfg/result.yaml', verdict.patched)], checkOptions) : [];
  const predicted = rejectionFindings([...inputFindings, ...merged]);
  const out: string[] = [];
  if (rejected && predicted.length === 0)
    out.push(`${label} [Talos ${judge.minor}]: Talos rejects (${rejected}) but no finding says so`);
  if (!rejected && predicted.length > 0)
    out.push(
      `${label} [Talos ${judge.minor}]: Talos accepts but ${predicted.map((f) => `${f.code} (${f.message})`).join(', ')}`,
    );
  if (rejected || !verdict.apiServer) return out;

  // What the API server gets, on the config Talos produced.
  const result = parseYamlFile('/cfg/result.yaml', verdict.patched ?? config);
  const resultFindings = checkFiles([result], checkOptions);
  const resultRejections = rejectionFindings(resultFindings);
  if (resultRejections.length > 0)
    out.push(
      `${label} [Talos ${judge.minor}]: Talos accepts the result but ${resultRejections.map((f) => f.code).join(', ')} on it`,
    );
  for (const finding of resultFindings.filter((f) => forbidOnResult.includes(f.code)))
    out.push(`${label} [Talos ${judge.minor}]: the result still gets ${finding.code}: ${finding.message}`);
  // TOIDC104 (the API server refuses --authentication-config with oidc-* flags) only where Talos passes both.
  const bothFlags = (flags: Record<string, unknown>) =>
    'authentication-config' in flags && Object.keys(flags).some((name) => name.startsWith('oidc-'));
  const talosPassesBoth = bothFlags(verdict.apiServer.authFlags ?? verdict.apiServer.extraArgs);
  const says104 = resultFindings.some((f) => f.code === 'TOIDC104');
  if (says104 !== talosPassesBoth)
    out.push(
      `${label} [Talos ${judge.minor}]: TOIDC104 ${says104 ? 'reported' : 'missing'}, but Talos ${talosPassesBoth ? 'passes' : 'does not pass'} --authentication-config together with oidc-* flags`,
    );
  const talos = result.talos;
  if (!talos) {
    out.push(`${label} [Talos ${judge.minor}]: the tool does not read the result as a Talos config`);
    return out;
  }
  const ours = apiServerAuthentication(talos);
  const view = verdict.apiServer;
  // Talos's controller refuses a body that does not fit the typed AuthenticationConfiguration: the tool must say so too.
  if (
    view.authenticationConfigError &&
    !resultFindings.some((f) => f.severity === 'error' && /^TOIDC(2|1(19|20))/.test(f.code))
  ) {
    out.push(
      `${label} [Talos ${judge.minor}]: Talos cannot write the authentication config (${view.authenticationConfigError}) but no finding says so`,
    );
  }
  if (
    ours.usesKubeAuthenticationConfig !== (view.useAuthenticationConfig && talos.kubeAuthenticationConfig !== undefined)
  ) {
    out.push(
      `${label} [Talos ${judge.minor}]: Talos ${view.useAuthenticationConfig ? 'uses' : 'does not use'} the KubeAuthenticationConfig, the tool says the opposite`,
    );
  }
  if (view.authenticationConfig && ours.usesKubeAuthenticationConfig) {
    try {
      assert.deepEqual(normalize(talos.kubeAuthenticationConfig?.configuration), normalize(view.authenticationConfig));
    } catch {
      out.push(
        `${label} [Talos ${judge.minor}]: the AuthenticationConfiguration body differs: Talos ${JSON.stringify(view.authenticationConfig)}, tool ${JSON.stringify(talos.kubeAuthenticationConfig?.configuration)}`,
      );
    }
  }
  const talosFlags =
    view.authFlags ?? Object.fromEntries(Object.entries(view.extraArgs).filter(([name]) => isAuthFlag(name)));
  const ourFlags = Object.fromEntries([...ours.flags].filter(([name]) => view.authFlags || isAuthFlag(name)));
  try {
    assert.deepEqual(sortKeys(ourFlags), sortKeys(talosFlags));
  } catch {
    out.push(
      `${label} [Talos ${judge.minor}]: API server flags differ: Talos ${JSON.stringify(sortKeys(talosFlags))}, tool ${JSON.stringify(sortKeys(ourFlags))}`,
    );
  }
  return out;
}

function isAuthFlag(name: string): boolean {
  return name.startsWith('oidc-') || name === 'authentication-config';
}

function sortKeys(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

/** apiVersion/kind are Talos's to set; compare the rest as JSON. */
function normalize(body: unknown): unknown {
  if (!body || typeof body !== 'object') return body;
  const { apiVersion: _apiVersion, kind: _kind, ...rest } = body as Record<string, unknown>;
  return JSON.parse(JSON.stringify(rest));
}

export function record(disagreements: string[]): void {
  tally.disagreements.push(...disagreements);
}
