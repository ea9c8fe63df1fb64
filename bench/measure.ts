/** Timing helpers. Figures are medians or percentiles of repeated runs, never single shots. */

export const now = () => performance.now();

export async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = now();
  await work();
  return now() - start;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export const median = (values: readonly number[]) => percentile(values, 50);

/**
 * Runs each of `series` once per round, rotating which goes first (A B C, B C A, …), so
 * drift — a growing table, a warming cache, a noisy neighbour — falls on all alike.
 * Returns the samples of each series.
 */
export async function interleave(rounds: number, series: ReadonlyArray<(round: number) => Promise<number>>): Promise<number[][]> {
  const samples = series.map(() => [] as number[]);
  for (let round = 0; round < rounds; round += 1) {
    for (let step = 0; step < series.length; step += 1) {
      const which = (round + step) % series.length;
      samples[which].push(await series[which](round));
    }
  }
  return samples;
}

export async function alternate(
  rounds: number,
  candor: (round: number) => Promise<number>,
  baseline: (round: number) => Promise<number>,
): Promise<{ candor: number[]; baseline: number[] }> {
  const [candorSamples, baselineSamples] = await interleave(rounds, [candor, baseline]);
  return { candor: candorSamples, baseline: baselineSamples };
}
