import { describe, expect, it } from 'vitest';
import { assertActiveCurrency, isActiveCurrency } from './currency.ts';

describe('active currency codes', () => {
  it('accepts current ISO 4217 codes', () => {
    expect(['EUR', 'USD', 'JPY', 'CHF', 'GBP'].every(isActiveCurrency)).toBe(true);
  });

  it('refuses withdrawn, lower-case and made-up codes', () => {
    expect(isActiveCurrency('DEM')).toBe(false);
    expect(isActiveCurrency('eur')).toBe(false);
    expect(isActiveCurrency('ABC')).toBe(false);
  });

  it('names the field it refuses', () => {
    expect(() => assertActiveCurrency('currency', 'XYZ')).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ field: 'currency' })] }));
  });
});
