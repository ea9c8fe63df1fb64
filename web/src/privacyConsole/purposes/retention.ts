import { formatCount } from '../../ui/format.ts';

/** A retention period as people read it: 730 → "730 days (2 years)"; none → "Not limited". */
export function retentionLabel(days: number | null): string {
  if (days === null) return 'Not limited';
  const years = days / 365;
  const inYears = Number.isInteger(years) ? ` (${years} ${years === 1 ? 'year' : 'years'})` : '';
  return `${formatCount(days)} ${days === 1 ? 'day' : 'days'}${inYears}`;
}

/**
 * How long a consent counts once given or renewed, for a purpose on the consent basis:
 * 365 → "365 days (1 year)"; none → "Until withdrawn". Other bases ask no consent: null.
 */
export function consentValidityLabel(legalBasis: string, days: number | null): string | null {
  if (legalBasis !== 'consent') return null;
  return days === null ? 'Until withdrawn' : retentionLabel(days);
}
