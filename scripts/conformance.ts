// `npm run conformance -- [--cases N] [--config-cases M] [--seed S] [--json] [--examples K] [--strict]`
//
// The differential conformance suite: generated API server configurations and signed tokens,
// judged by the Kubernetes API server's own code (test/go/k8s-authn, built from Go modules) and by
// this project's core (review-token, the lint findings). --json prints exactly
// {"cases","agree","disagree","unpredictable","examples"}; the breakdown goes to standard error.
// --strict exits 1 on any disagreement (what `npm test` runs).
import { runConformance } from '../test/conformance/run';

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(args[i + 1]);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`--${name} needs a whole number, got '${args[i + 1] ?? ''}'`);
    process.exit(2);
  }
  return value;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const cases = option(args, 'cases', 5000);
  const configCases = option(args, 'config-cases', Math.max(1, Math.ceil(cases / 10)));
  const seed = option(args, 'seed', 1);
  const examples = option(args, 'examples', 10);
  const started = Date.now();
  const result = await runConformance({ cases, configCases, seed, examples });
  const { detail, ...answer } = result;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (args.includes('--json')) {
    process.stdout.write(`${JSON.stringify(answer)}\n`);
  } else {
    console.log(
      `${answer.cases} cases: ${answer.agree} agree, ${answer.disagree} disagree, ${answer.unpredictable} cannot be predicted`,
    );
    for (const example of answer.examples) console.log(JSON.stringify(example, null, 2));
  }
  console.error(
    `tokens: ${detail.tokenCases}, ${detail.accepted} accepted by the API server (${detail.token.agree} agree, ${detail.token.disagree} disagree, ${detail.token.unpredictable} unpredictable); ` +
      `configurations: ${detail.configCases} (${detail.config.agree} agree, ${detail.config.disagree} disagree, ${detail.config.unpredictable} unpredictable)`,
  );
  console.error(
    `CEL expressions evaluated exactly: ${detail.cel.exact} of ${detail.cel.expressions}${detail.cel.inexact.length ? ` (not: ${detail.cel.inexact.join(' | ')})` : ''}`,
  );
  for (const [reason, count] of Object.entries(detail.unpredictableReasons).sort((a, b) => b[1] - a[1]))
    console.error(`  cannot predict ×${count}: ${reason}`);
  console.error(
    `time: ${seconds} s (generate ${detail.seconds.generate.toFixed(1)} s, API server code ${detail.seconds.go.toFixed(1)} s, project ${detail.seconds.project.toFixed(1)} s), seed ${seed}`,
  );
  if (args.includes('--strict')) {
    // The suite must have judged what was asked: a generator that stops producing valid
    // configurations would otherwise pass with few cases.
    if (detail.tokenCases < cases || detail.configCases < configCases) {
      console.error(
        `only ${detail.tokenCases} token and ${detail.configCases} configuration cases were judged (asked: ${cases} and at least ${configCases})`,
      );
      process.exit(1);
    }
    if (answer.disagree > 0) {
      console.error(
        `${answer.disagree} disagreement(s) with the API server's code; run \`npm run conformance -- --seed ${seed} --cases ${cases}\` to see them`,
      );
      process.exit(1);
    }
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(2);
});
