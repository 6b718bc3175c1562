// Timing helpers shared by the benchmarks: warm medians in one process, percentiles of samples.

export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest rank: the smallest sample at or above the fraction of all samples.
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(fraction * sorted.length)));
  return sorted[rank - 1];
}

export const median = (values: readonly number[]): number => percentile(values, 0.5);

export interface Budget {
  /** Warm-up runs, not counted. */
  warmUp?: number;
  minRuns: number;
  /** Keep running until this much time has passed, even after `minRuns`. */
  minMs: number;
}

/** Runs `work` until the budget is spent; returns every timed run in milliseconds. */
export function sample(work: () => void, { warmUp = 3, minRuns, minMs }: Budget): number[] {
  for (let i = 0; i < warmUp; i++) work();
  const times: number[] = [];
  const started = performance.now();
  while (times.length < minRuns || performance.now() - started < minMs) {
    const t0 = performance.now();
    work();
    times.push(performance.now() - t0);
  }
  return times;
}

/** The same for asynchronous work (the YAML language server's validation returns a promise). */
export async function sampleAsync(
  work: () => Promise<unknown>,
  { warmUp = 3, minRuns, minMs }: Budget,
): Promise<number[]> {
  for (let i = 0; i < warmUp; i++) await work();
  const times: number[] = [];
  const started = performance.now();
  while (times.length < minRuns || performance.now() - started < minMs) {
    const t0 = performance.now();
    await work();
    times.push(performance.now() - t0);
  }
  return times;
}

/** Rounds for the JSON output: figures compared between runs, not nanoseconds of noise. */
export const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

/**
 * Times several pieces of work in alternation, one run of each per round, so that a ratio
 * between them is measured under the same load (the machine is shared and noisy).
 */
export async function sampleAlternating<Name extends string>(
  works: Record<Name, () => unknown>,
  { warmUp = 3, minRuns, minMs }: Budget,
): Promise<Record<Name, number[]>> {
  const names = Object.keys(works) as Name[];
  for (let i = 0; i < warmUp; i++) for (const name of names) await works[name]();
  const times = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<Name, number[]>;
  const started = performance.now();
  let rounds = 0;
  while (rounds < minRuns || performance.now() - started < minMs) {
    for (const name of names) {
      const t0 = performance.now();
      await works[name]();
      times[name].push(performance.now() - t0);
    }
    rounds++;
  }
  return times;
}
