import { describe, expect, it } from 'vitest';
import { interleave, latencyRounds, percentile, quotients, spreadOf } from './measure.ts';

describe('measuring helpers', () => {
  it('gives the median and the interquartile range with interpolation, whatever the order of the rounds', () => {
    expect(spreadOf([5, 1, 4, 2, 3])).toEqual({ median: 3, min: 1, max: 5, q1: 2, q3: 4, rounds: 5 });
    expect(spreadOf([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4, q1: 1.75, q3: 3.25, rounds: 4 });
  });

  it('refuses to summarise no rounds at all', () => {
    expect(() => spreadOf([])).toThrow(RangeError);
  });

  it('takes the nearest-rank percentile', () => {
    const values = Array.from({ length: 100 }, (_, index) => 100 - index);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 50)).toBe(50);
  });

  it('divides series round by round and refuses series of different lengths', () => {
    expect(quotients([2, 9], [1, 3])).toEqual([2, 3]);
    expect(() => quotients([1], [1, 2])).toThrow(RangeError);
  });

  it('rotates which series goes first in each round, so drift falls on all alike', async () => {
    const order: string[] = [];
    const series = ['a', 'b', 'c'].map((name) => async (round: number) => {
      order.push(name);
      return round;
    });
    const samples = await interleave(3, series);
    expect(order.join('')).toBe('abcbcacab');
    expect(samples).toEqual([
      [0, 1, 2],
      [0, 1, 2],
      [0, 1, 2],
    ]);
  });
});

describe('latency rounds', () => {
  it('gives each series its own samples per round, numbered across rounds', async () => {
    const seen: number[][] = [[], []];
    const samples = await latencyRounds(2, 3, [async (sample) => seen[0].push(sample), async (sample) => seen[1].push(sample)]);
    expect(samples.map((series) => series.map((round) => round.length))).toEqual([
      [3, 3],
      [3, 3],
    ]);
    expect(seen).toEqual([
      [0, 1, 2, 3, 4, 5],
      [0, 1, 2, 3, 4, 5],
    ]);
  });
});
