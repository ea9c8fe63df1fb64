import { describe, expect, it } from 'vitest';
import { readabilityLabel, readabilityOf } from './readability.ts';

describe('the live readability of a draft', () => {
  it('counts as the server does: 2 sentences, 10 words, 11 syllables', () => {
    const score = readabilityOf('We send you news. You can stop at any time.');
    expect(score!.readingEase).toBeCloseTo(108.7, 1);
    expect(score!.grade).toBeCloseTo(-0.66, 2);
  });

  it('names the Flesch band, the rounded score and the grade', () => {
    expect(readabilityLabel({ readingEase: 65.4, grade: 7.6 })).toBe('Plain: 65 — about grade 8');
    expect(readabilityLabel({ readingEase: 12, grade: 17.2 })).toBe('Very hard: 12 — about grade 17');
    expect(readabilityLabel({ readingEase: 108.7, grade: -0.7 })).toBe('Very easy: 109 — about grade 1');
    expect(readabilityLabel(readabilityOf(''))).toBe('No words to score yet');
  });
});
