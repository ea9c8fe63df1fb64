import { describe, expect, it } from 'vitest';
import { consentValidityLabel, retentionLabel } from './retention.ts';

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

describe('consentValidityLabel', () => {
  it('says how long a consent counts, "Until withdrawn" without a period, and nothing for a purpose that asks no consent', () => {
    expect(consentValidityLabel('consent', 365)).toBe('365 days (1 year)');
    expect(consentValidityLabel('consent', null)).toBe('Until withdrawn');
    expect(consentValidityLabel('contract', 365)).toBeNull();
  });
});
