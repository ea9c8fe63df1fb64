import { describe, expect, it } from 'vitest';
import { mapHeaders } from './columnMapping.ts';
import { consentColumnPurpose, consentDateOf, parseConsentCells } from './consentColumns.ts';

describe('consent columns of a contact import', () => {
  it('reads consent:<purpose key> headers, and nothing else, as consent columns', () => {
    expect(consentColumnPurpose('consent:email_marketing')).toBe('email_marketing');
    expect(consentColumnPurpose(' Consent : web_analytics ')).toBe('web_analytics');
    for (const header of ['consent', 'consent:', 'email_marketing', 'consent:two words']) expect(consentColumnPurpose(header), header).toBeNull();
  });

  it('keeps consent columns and consent_date out of the field mapping and out of the unmapped list', () => {
    const mapped = mapHeaders('contact', ['Email', 'consent:email_marketing', 'Consent Date', 'Shoe size']);
    expect(mapped.consentColumns).toEqual([{ column: 1, header: 'consent:email_marketing', purposeKey: 'email_marketing' }]);
    expect(mapped.consentDateColumn).toBe(2);
    expect(mapped.unmapped).toEqual(['Shoe size']);
    expect(mapHeaders('company', ['name', 'consent:email_marketing']).consentColumns).toEqual([]);
  });

  it('takes given, refused, withdrawn, yes and no, skips empty cells, and names the column of any other value', () => {
    const parsed = parseConsentCells([
      { purposeKey: 'a', value: 'Yes' },
      { purposeKey: 'b', value: 'no' },
      { purposeKey: 'c', value: ' withdrawn ' },
      { purposeKey: 'd', value: '' },
      { purposeKey: 'e', value: 'subscribed' },
    ]);
    expect(parsed.consents).toEqual([
      { purposeKey: 'a', state: 'given' },
      { purposeKey: 'b', state: 'refused' },
      { purposeKey: 'c', state: 'withdrawn' },
    ]);
    expect(parsed.errors).toEqual([{ field: 'consent:e', reason: 'not a consent value (given, refused, withdrawn, yes or no)' }]);
  });

  it('dates consents by the row, else the import, and refuses a missing or future date', () => {
    const now = new Date('2026-06-01T12:00:00Z');
    const row = new Date('2026-05-01T00:00:00Z');
    const fallback = new Date('2026-04-01T00:00:00Z');
    expect(consentDateOf(row, fallback, now)).toEqual(row);
    expect(consentDateOf(undefined, fallback, now)).toEqual(fallback);
    expect(consentDateOf(undefined, undefined, now)).toMatchObject({ field: 'consent_date' });
    expect(consentDateOf(new Date('2026-06-02T00:00:00Z'), undefined, now)).toEqual({ field: 'consent_date', reason: 'must not be in the future' });
  });
});
