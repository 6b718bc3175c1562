/**
 * One conformance run: generate configurations and tokens for a seed, let the API server's code
 * (the Go judge) and the project's core judge each, and count agreements.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseJwks } from '../../src/core/authn';
import {
  NOW,
  Rng,
  celExpressionsOf,
  generateConfig,
  generateToken,
  makeKeys,
  type ConfigCase,
  type TokenCase,
} from './generate';
import {
  compareConfig,
  compareToken,
  goCaseConfig,
  projectConfig,
  projectToken,
  runGoJudge,
  type Comparison,
  type GoCase,
} from './judges';

export interface RunOptions {
  /** Token cases. */
  cases: number;
  /** Configuration-validation cases (besides the configurations the token cases use). */
  configCases: number;
  seed: number;
  /** How many disagreements to keep as examples. */
  examples?: number;
}

export interface Example {
  kind: 'config' | 'token';
  id: string;
  shape: string;
  field: string;
  project: unknown;
  apiServer: unknown;
  config: unknown;
  token?: string;
}

export interface RunResult {
  cases: number;
  agree: number;
  disagree: number;
  unpredictable: number;
  examples: Example[];
  /** The breakdown, for the report (not part of the --json answer). */
  detail: {
    tokenCases: number;
    /** Token cases the API server accepted (so username, groups, uid and extra were compared). */
    accepted: number;
    configCases: number;
    token: Tally;
    config: Tally;
    unpredictableReasons: Record<string, number>;
    /** One case per reason, with what the API server said: where the project could learn. */
    unpredictableExamples: Record<string, { apiServer: unknown; config: unknown; token?: string }>;
    cel: { expressions: number; exact: number; inexact: string[] };
    seconds: { generate: number; go: number; project: number };
  };
}

interface Tally {
  agree: number;
  disagree: number;
  unpredictable: number;
}

const projectRoot = join(__dirname, '..', '..');

/** Builds (or reuses) the Go judge; throws with Go's output when it cannot be built. */
export function goJudgeBinary(): string {
  const out = execFileSync(process.execPath, [join(projectRoot, 'scripts', 'go-tools.mjs'), 'k8s-authn'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = out
    .trim()
    .split('\n')
    .find((l) => l.startsWith('k8s-authn\t'));
  if (!line) throw new Error(`go-tools printed no path for k8s-authn: ${out}`);
  return line.split('\t')[1];
}

function reasonKey(reason: string): string {
  return reason
    .replace(/^cannot predict: /, '')
    .replace(/expression '[^']*'/g, 'expression')
    .replace(/"[^"]*"/g, '"…"')
    .slice(0, 140);
}

function configDescription(c: ConfigCase): unknown {
  return c.config.kind === 'flags' ? c.config.flags.map(([n, v]) => `--${n}=${v}`) : c.config.text;
}

export async function runConformance(options: RunOptions, binary = goJudgeBinary()): Promise<RunResult> {
  const started = Date.now();
  const rng = new Rng(options.seed);
  const keys = makeKeys();
  const jwks = parseJwks(keys.jwks);
  const maxExamples = options.examples ?? 10;

  // Configurations: some aimed at starting (for tokens), some at validation.
  const tokenConfigs: ConfigCase[] = [];
  const perConfig = 10;
  const tokenConfigCount = Math.max(1, Math.ceil(options.cases / perConfig));
  for (let i = 0; i < tokenConfigCount; i++) tokenConfigs.push({ ...generateConfig(rng, 'tokens'), id: `t${i}` });
  const validationConfigs: ConfigCase[] = [];
  for (let i = 0; i < options.configCases; i++)
    validationConfigs.push({ ...generateConfig(rng, 'validation'), id: `c${i}` });
  const allConfigs = [...tokenConfigs, ...validationConfigs];
  const generated = Date.now();

  // Phase 1: every configuration, judged by the API server's code.
  let goSeconds = 0;
  let t = Date.now();
  const configVerdicts = await runGoJudge(
    binary,
    allConfigs.map((c): GoCase => ({ id: c.id, ...goCaseConfig(c.config), jwks: keys.jwks, now: NOW })),
  );
  goSeconds += (Date.now() - t) / 1000;

  const config: Tally = { agree: 0, disagree: 0, unpredictable: 0 };
  const token: Tally = { agree: 0, disagree: 0, unpredictable: 0 };
  const reasons: Record<string, number> = {};
  const unpredictableExamples: RunResult['detail']['unpredictableExamples'] = {};
  const examples: Example[] = [];
  let projectSeconds = 0;
  const tally = (
    into: Tally,
    c: Comparison,
    example: () => Omit<Example, 'field' | 'project' | 'apiServer'>,
    apiServer?: unknown,
  ) => {
    if (c.result === 'agree') into.agree++;
    else if (c.result === 'unpredictable') {
      into.unpredictable++;
      const key = reasonKey(c.reason);
      reasons[key] = (reasons[key] ?? 0) + 1;
      if (!unpredictableExamples[key]) {
        const { config: described, token: sample } = example();
        unpredictableExamples[key] = { apiServer, config: described, token: sample };
      }
    } else {
      into.disagree++;
      if (examples.length < maxExamples)
        examples.push({ ...example(), field: c.field, project: c.project, apiServer: c.apiServer });
    }
  };

  t = Date.now();
  const projectConfigs = allConfigs.map((c) => projectConfig(c.config));
  allConfigs.forEach((c, i) =>
    tally(
      config,
      compareConfig(projectConfigs[i], configVerdicts[i].config),
      () => ({ kind: 'config', id: c.id, shape: c.shape, config: configDescription(c) }),
      configVerdicts[i].config,
    ),
  );
  projectSeconds += (Date.now() - t) / 1000;

  // Phase 2: tokens, for the configurations both judges let start.
  const tokenCases: { config: ConfigCase; index: number; token: TokenCase }[] = [];
  let attempts = 0;
  while (tokenCases.length < options.cases && attempts < options.cases * 20) {
    const index = attempts++ % tokenConfigs.length;
    if (!configVerdicts[index].config.valid || projectConfigs[index].valid !== true) continue;
    const c = tokenConfigs[index];
    tokenCases.push({
      config: c,
      index,
      token: { ...generateToken(rng, c.facts, keys), id: `${c.id}.${tokenCases.length}` },
    });
  }
  t = Date.now();
  const tokenVerdicts = await runGoJudge(
    binary,
    tokenCases.map(({ config: c, token: tk }): GoCase => ({
      id: tk.id,
      ...goCaseConfig(c.config),
      jwks: keys.jwks,
      token: tk.token,
      now: tk.now,
    })),
  );
  goSeconds += (Date.now() - t) / 1000;

  // CEL exactness: an expression is evaluated exactly when no case using it was unpredictable
  // because of it and no case using it disagreed.
  const celUses = new Map<string, { inexact: boolean }>();
  t = Date.now();
  tokenCases.forEach(({ config: c, index, token: tk }, i) => {
    const model = projectConfigs[index].model;
    const go = tokenVerdicts[i].token;
    if (!model || !go) throw new Error(`no verdict for ${tk.id}`);
    const review = projectToken(model, tk.token, tk.now, jwks);
    const comparison = compareToken(review, go);
    tally(
      token,
      comparison,
      () => ({ kind: 'token', id: tk.id, shape: tk.shape, config: configDescription(c), token: tk.token }),
      go,
    );
    for (const expr of celExpressionsOf(c.config)) {
      const use = celUses.get(expr) ?? { inexact: false };
      const about =
        comparison.result === 'unpredictable' ? comparison.reason : comparison.result === 'disagree' ? 'disagree' : '';
      if (comparison.result === 'disagree' || about.includes(`'${expr}'`)) use.inexact = true;
      celUses.set(expr, use);
    }
  });
  projectSeconds += (Date.now() - t) / 1000;

  const inexact = [...celUses].filter(([, u]) => u.inexact).map(([e]) => e);
  return {
    cases: allConfigs.length + tokenCases.length,
    agree: config.agree + token.agree,
    disagree: config.disagree + token.disagree,
    unpredictable: config.unpredictable + token.unpredictable,
    examples,
    detail: {
      tokenCases: tokenCases.length,
      accepted: tokenVerdicts.filter((v) => v.token?.authenticated).length,
      configCases: allConfigs.length,
      token,
      config,
      unpredictableReasons: reasons,
      unpredictableExamples,
      cel: { expressions: celUses.size, exact: celUses.size - inexact.length, inexact },
      seconds: { generate: (generated - started) / 1000, go: goSeconds, project: projectSeconds },
    },
  };
}
