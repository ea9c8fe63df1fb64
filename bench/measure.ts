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

/** Median and spread of a figure's per-round values: min–max and the interquartile range. */
export type Spread = { median: number; min: number; max: number; q1: number; q3: number; rounds: number };

export function spreadOf(values: readonly number[]): Spread {
  if (values.length === 0) throw new RangeError('no values to summarise');
  const sorted = [...values].sort((a, b) => a - b);
  // Linear interpolation between ranks, so the quartiles of 5 rounds are not just two of the values.
  const at = (p: number) => {
    const rank = (sorted.length - 1) * p;
    const low = Math.floor(rank);
    return sorted[low] + (sorted[Math.min(low + 1, sorted.length - 1)] - sorted[low]) * (rank - low);
  };
  return { median: at(0.5), min: sorted[0], max: sorted[sorted.length - 1], q1: at(0.25), q3: at(0.75), rounds: sorted.length };
}

/** Per-round quotients a[i] ÷ b[i] of two series measured in the same rounds. */
export function quotients(numerators: readonly number[], denominators: readonly number[]): number[] {
  if (numerators.length !== denominators.length) throw new RangeError('series of different lengths');
  return numerators.map((value, round) => value / denominators[round]);
}

/**
 * `rounds` rounds of `perRound` timed calls of each series, interleaved call by call (with
 * the rotating order of `interleave`): samples[series][round] holds that round's latencies.
 * A figure then takes a percentile per round and the median over rounds.
 */
export async function latencyRounds(rounds: number, perRound: number, series: ReadonlyArray<(sample: number) => Promise<unknown>>): Promise<number[][][]> {
  const samples = series.map(() => [] as number[][]);
  for (let round = 0; round < rounds; round += 1) {
    const measured = await interleave(
      perRound,
      series.map((work) => (sample: number) => timed(() => work(round * perRound + sample))),
    );
    for (const [which, values] of measured.entries()) samples[which].push(values);
  }
  return samples;
}
