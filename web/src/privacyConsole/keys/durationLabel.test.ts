import { describe, expect, it } from 'vitest';
import { durationLabel } from './durationLabel.ts';

describe('a span of seconds in words', () => {
  it('names the largest whole unit, singular or plural', () => {
    expect(durationLabel(60)).toBe('1 minute');
    expect(durationLabel(960)).toBe('16 minutes');
    expect(durationLabel(7_200)).toBe('2 hours');
    expect(durationLabel(86_400)).toBe('1 day');
    expect(durationLabel(1)).toBe('1 second');
  });

  it('rounds to minutes what no whole unit fits', () => {
    expect(durationLabel(90)).toBe('2 minutes');
  });
});
