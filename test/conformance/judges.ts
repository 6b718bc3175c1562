/**
 * The two judges of a conformance case: the project's core (the code behind `review-token`, the
 * lint findings and the claims webview) and the Kubernetes API server's own code, run by the Go
 * program test/go/k8s-authn. And how their verdicts are compared.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import {
  authenticatorFromFlags,
  authenticatorInitError,
  decodeBearerToken,
  reviewToken,
  type AuthenticatorModel,
  type ConfigProblem,
  type JsonWebKeySet,
  type TokenReview,
} from '../../src/core/authn';
import { aggregateText } from '../../src/core/authn/goformat';
import { talosAuthenticator } from '../../src/core/talos/authenticator';
import { parseYamlFile } from '../../src/core/workspace/parse';
import type { GeneratedConfig } from './generate';

// ---------------------------------------------------------------------------------------------
// The API server (Go)

export interface GoConfigVerdict {
  valid: boolean;
  error?: string;
  stage?: 'flags' | 'options' | 'load' | 'validation' | 'init';
}

export interface GoTokenVerdict {
  authenticated: boolean;
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
  error?: string;
  skipped?: boolean;
}

export interface GoVerdict {
  id: string;
  config: GoConfigVerdict;
  token?: GoTokenVerdict;
}

export interface GoCase {
  id: string;
  flags?: string[];
  config?: string;
  jwks: string;
  token?: string;
  now: number;
}

/** The file name the Go program gives the configuration (it appears in load errors). */
export const CONFIG_FILE_NAME = 'authentication-config.yaml';

export function goCaseConfig(config: GeneratedConfig): Pick<GoCase, 'flags' | 'config'> {
  if (config.kind === 'flags') return { flags: config.flags.map(([name, value]) => `--${name}=${value}`) };
  return { config: config.text };
}

/** Runs the Go judge over a batch of cases (one process, answers in order). */
export async function runGoJudge(binary: string, cases: readonly GoCase[]): Promise<GoVerdict[]> {
  const child: ChildProcessWithoutNullStreams = spawn(binary, [], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const verdicts: GoVerdict[] = [];
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    if (line.trim()) verdicts.push(JSON.parse(line) as GoVerdict);
  });
  const exited = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
  for (const c of cases) {
    if (!child.stdin.write(`${JSON.stringify(c)}\n`))
      await new Promise((resolve) => child.stdin.once('drain', resolve));
  }
  child.stdin.end();
  const code = await exited;
  if (code !== 0) throw new Error(`k8s-authn exited with ${code}: ${stderr.trim()}`);
  if (verdicts.length !== cases.length)
    throw new Error(`k8s-authn answered ${verdicts.length} of ${cases.length} cases: ${stderr.trim()}`);
  return verdicts;
}

// ---------------------------------------------------------------------------------------------
// The project

export interface ProjectConfigVerdict {
  model?: AuthenticatorModel;
  /** null: the project cannot say (a problem it marks as uncertain). */
  valid: boolean | null;
  /** The text the project expects the API server to print, when it rejects. */
  error?: string;
  /** The project's message is its own wording, not the API server's (it says so). */
  messageUnverified?: boolean;
  reason?: string;
}

const FIELD_ERROR =
  /^[A-Za-z][\w[\].]*: (Invalid value|Required value|Duplicate value|Forbidden|Too many|Internal error|Unsupported value|Too long)/;

function stageOf(problem: ConfigProblem): 'flags' | 'options' | 'validation' | 'init' | 'load' {
  const m = problem.message;
  if (/^(unknown flag|invalid argument|flag needs an argument)/.test(m)) return 'flags';
  if (/must be specified together|mutually exclusive/.test(m)) return 'options';
  if (/^oidc: /.test(m)) return 'init';
  if (m.startsWith('invalid authentication configuration: ') || FIELD_ERROR.test(m)) return 'validation';
  return 'load';
}

const STAGE_ORDER = ['flags', 'options', 'load', 'validation', 'init'] as const;

/** What the project says about a configuration: starts or not, and the API server's words. */
export function projectConfig(config: GeneratedConfig): ProjectConfigVerdict {
  let model: AuthenticatorModel | undefined;
  let problems: ConfigProblem[];
  if (config.kind === 'flags') {
    const flags = new Map<string, string[]>();
    for (const [name, value] of config.flags) flags.set(name, [...(flags.get(name) ?? []), value]);
    ({ model, problems } = authenticatorFromFlags(flags));
  } else {
    const parsed = parseYamlFile(CONFIG_FILE_NAME, config.text);
    ({ model, problems } = talosAuthenticator(parsed));
  }
  const fatal = problems.filter((p) => p.fatal);
  const uncertain = problems.filter((p) => !p.fatal && p.unverified);
  if (fatal.length === 0 && model) {
    for (let i = 0; i < model.jwt.length; i++) {
      const init = authenticatorInitError(model, i);
      if (init !== undefined) return { model, valid: false, error: init };
    }
  }
  if (fatal.length === 0) {
    if (uncertain.length > 0) return { model, valid: null, reason: uncertain[0].message };
    return { model, valid: true };
  }
  const byStage = new Map<string, ConfigProblem[]>();
  for (const p of fatal) {
    const stage = stageOf(p);
    byStage.set(stage, [...(byStage.get(stage) ?? []), p]);
  }
  const first = STAGE_ORDER.find((stage) => byStage.has(stage)) ?? 'validation';
  const chosen = byStage.get(first) ?? [];
  // A problem the project is unsure of may be one more error in the API server's list.
  const messageUnverified = chosen.some((p) => p.unverified) || uncertain.length > 0;
  let error: string;
  if (first === 'validation') {
    const inner = chosen.map((p) => p.message.replace(/^invalid authentication configuration: /, ''));
    error = `invalid authentication configuration: ${aggregateText(inner)}`;
  } else if (first === 'load') {
    error = `failed to load authentication configuration from file "${CONFIG_FILE_NAME}": ${chosen[0].message}`;
  } else error = chosen[0].message;
  return { model, valid: false, error, messageUnverified };
}

/** What the project's review (review-token, the claims webview) says about a bearer token. */
export function projectToken(model: AuthenticatorModel, token: string, now: number, keys: JsonWebKeySet): TokenReview {
  return reviewToken(model, decodeBearerToken(token), now, { keys });
}

// ---------------------------------------------------------------------------------------------
// Comparing

export type Comparison =
  | { result: 'agree' }
  | { result: 'unpredictable'; reason: string }
  | { result: 'disagree'; field: string; project: unknown; apiServer: unknown };

export function compareConfig(project: ProjectConfigVerdict, go: GoConfigVerdict): Comparison {
  if (project.valid === null) return { result: 'unpredictable', reason: project.reason ?? 'uncertain' };
  if (project.valid !== go.valid)
    return { result: 'disagree', field: 'valid', project: project.error ?? 'starts', apiServer: go.error ?? 'starts' };
  if (!go.valid && project.error !== go.error) {
    if (project.messageUnverified)
      return { result: 'unpredictable', reason: `message in the project's own words: ${project.error}` };
    return { result: 'disagree', field: 'error', project: project.error, apiServer: go.error };
  }
  return { result: 'agree' };
}

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function sameExtra(a: Record<string, string[]> | undefined, b: Record<string, string[]> | undefined): boolean {
  const x = a ?? {};
  const y = b ?? {};
  const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
  for (const key of keys) if (!sameList(x[key], y[key])) return false;
  return true;
}

export function compareToken(project: TokenReview, go: GoTokenVerdict): Comparison {
  if (project.authenticated === null) return { result: 'unpredictable', reason: project.error ?? 'cannot predict' };
  if (project.authenticated !== go.authenticated) {
    return {
      result: 'disagree',
      field: 'authenticated',
      project: project.authenticated ? project.username : project.error,
      apiServer: go.authenticated ? go.username : go.error,
    };
  }
  if (!go.authenticated) {
    if ((project.error ?? '') !== (go.error ?? ''))
      return { result: 'disagree', field: 'error', project: project.error, apiServer: go.error };
    return { result: 'agree' };
  }
  if ((project.username ?? '') !== (go.username ?? ''))
    return { result: 'disagree', field: 'username', project: project.username, apiServer: go.username };
  if ((project.uid ?? '') !== (go.uid ?? ''))
    return { result: 'disagree', field: 'uid', project: project.uid, apiServer: go.uid };
  if (!sameList(project.groups, go.groups))
    return { result: 'disagree', field: 'groups', project: project.groups, apiServer: go.groups };
  if (!sameExtra(project.extra, go.extra))
    return { result: 'disagree', field: 'extra', project: project.extra, apiServer: go.extra };
  return { result: 'agree' };
}
