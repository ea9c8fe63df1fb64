import type { Random } from './random.ts';
import type { DemoCurrency } from './types.ts';

// Currency follows the customer's country so amounts read naturally in the demo; countries
// outside the three demo currencies get a mix, as they would in a real EU/US-focused CRM.

const EUROZONE = new Set(['AT', 'BE', 'DE', 'ES', 'FI', 'FR', 'GR', 'HR', 'IE', 'IT', 'NL', 'PT']);

export function currencyFor(country: string, rng: Random): DemoCurrency {
  if (country === 'GB') return 'GBP';
  if (country === 'US' || country === 'CA') return 'USD';
  if (EUROZONE.has(country)) return 'EUR';
  return rng.chance(0.6) ? 'USD' : 'EUR';
}

/** Log-uniform amount between `min` and `max` major units, rounded like a quoted price. */
export function quotedAmountMinor(rng: Random, min: number, max: number): number {
  const major = Math.exp(Math.log(min) + rng.next() * (Math.log(max) - Math.log(min)));
  const step = major >= 10_000 ? 500 : major >= 1_000 ? 50 : 10;
  return Math.max(step, Math.round(major / step) * step) * 100;
}
