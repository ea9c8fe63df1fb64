import { describe, expect, it } from 'vitest';
import { retentionLabel } from './retention.ts';

describe('retentionLabel', () => {
  it('says a whole number of years in years as well as days', () => {
    expect(retentionLabel(730)).toBe('730 days (2 years)');
    expect(retentionLabel(365)).toBe('365 days (1 year)');
  });

  it('says days alone when they are no whole number of years, and "Not limited" without a period', () => {
    expect(retentionLabel(30)).toBe('30 days');
    expect(retentionLabel(1)).toBe('1 day');
    expect(retentionLabel(null)).toBe('Not limited');
  });
});
