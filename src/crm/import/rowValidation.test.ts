import fc from 'fast-check';
import { describe, it, expect } from 'vitest';
import { COMPANY_FIELDS, CONTACT_FIELDS } from './columnMapping.ts';
import { parseDecimal, parseImportDate, validateRow } from './rowValidation.ts';

function errorsOf(result: ReturnType<typeof validateRow>): Array<{ field: string; reason: string }> {
  return result.ok ? [] : result.errors;
}

describe('validateRow for contacts', () => {
  it('trims cells, drops empty ones and normalises email and phone', () => {
    const result = validateRow('contact', {
      first_name: '  Jane ',
      last_name: '',
      email: ' Jane.Doe@Example.com',
      phone: '+44 (0)20 7946 0018',
      city: '   ',
    });
    expect(result).toEqual({
      ok: true,
      record: { first_name: 'Jane', email: 'jane.doe@example.com', phone: '+442079460018' },
    });
  });

  it('accepts HubSpot lifecycle stage labels and stores the Candor value', () => {
    const stage = (label: string) => {
      const result = validateRow('contact', { email: 'a@example.com', lifecycle_stage: label });
      return result.ok ? result.record.lifecycle_stage : undefined;
    };
    expect(stage('Marketing Qualified Lead')).toBe('marketing_qualified_lead');
    expect(stage('salesqualifiedlead')).toBe('sales_qualified_lead');
    expect(stage('sales_qualified_lead')).toBe('sales_qualified_lead');
    expect(stage('Customer')).toBe('customer');
  });

  it('reduces the company website to a domain', () => {
    const result = validateRow('contact', { email: 'a@example.com', company_domain: 'https://www.acme.example.com/' });
    expect(result.ok && result.record.company_domain).toBe('acme.example.com');
  });

  it('parses HubSpot and Salesforce creation dates', () => {
    const created = (value: string) => {
      const result = validateRow('contact', { email: 'a@example.com', created_at: value });
      return result.ok ? result.record.created_at?.toISOString() : undefined;
    };
    expect(created('2024-01-31 10:00')).toBe('2024-01-31T10:00:00.000Z');
    expect(created('2024-01-31T10:00:00.000Z')).toBe('2024-01-31T10:00:00.000Z');
  });

  it('requires at least one of email, phone, last name or first name', () => {
    expect(errorsOf(validateRow('contact', { city: 'Lisbon', job_title: 'Buyer' }))).toEqual([
      { field: 'row', reason: 'a contact needs at least one of email, phone, last_name, first_name' },
    ]);
    expect(validateRow('contact', { phone: '+351 21 555 0110' }).ok).toBe(true);
  });

  it('reports a bad email once, without also complaining that the contact has no identity', () => {
    expect(errorsOf(validateRow('contact', { email: 'jane@' }))).toEqual([{ field: 'email', reason: 'not a valid email address' }]);
  });

  it('names every invalid field with a reason', () => {
    const errors = errorsOf(
      validateRow('contact', {
        first_name: 'Eva',
        email: 'eva@',
        phone: 'call me maybe',
        lifecycle_stage: 'Prospect',
        owner_email: 'Sales One',
        created_at: '31/01/2024',
        company_domain: 'not a site',
      }),
    );
    expect(errors.map((e) => e.field)).toEqual(['email', 'phone', 'company_domain', 'lifecycle_stage', 'owner_email', 'created_at']);
    expect(errors.every((e) => e.reason.length > 0)).toBe(true);
  });

  it('rejects over-long text instead of silently truncating it', () => {
    expect(errorsOf(validateRow('contact', { last_name: 'x'.repeat(501) }))).toEqual([{ field: 'last_name', reason: 'longer than 500 characters' }]);
  });
});

describe('validateRow for companies', () => {
  it('parses counts and amounts, and reduces the website to a domain', () => {
    expect(
      validateRow('company', {
        name: 'Acme',
        domain: 'https://www.acme.example.com/',
        employee_count: '1,200',
        annual_revenue: '830000.5',
      }),
    ).toEqual({
      ok: true,
      record: { name: 'Acme', domain: 'acme.example.com', employee_count: 1200, annual_revenue: 830000.5 },
    });
  });

  it('accepts a company known only by its domain', () => {
    expect(validateRow('company', { domain: 'stark.example.com' }).ok).toBe(true);
  });

  it('requires a name or a domain', () => {
    expect(errorsOf(validateRow('company', { industry: 'Energy' }))).toEqual([{ field: 'row', reason: 'a company needs at least one of name, domain' }]);
  });

  it('rejects fractional, negative and non-numeric counts', () => {
    const reason = (value: string) => errorsOf(validateRow('company', { name: 'A', employee_count: value }))[0]?.reason;
    expect(reason('12.5')).toBe('not a whole number');
    expect(reason('-3')).toBe('must not be negative');
    expect(reason('about 40')).toBe('not a number');
    expect(reason('12.0')).toBeUndefined();
  });
});

describe('privacy of validation errors', () => {
  const objects = [
    ['contact', CONTACT_FIELDS],
    ['company', COMPANY_FIELDS],
  ] as const;

  it.each(objects)('never repeats a %s cell value in an error reason', (object, fields) => {
    fc.assert(
      fc.property(fc.constantFrom(...fields), fc.string({ minLength: 1, maxLength: 600 }), (field, body) => {
        // Markers make the value distinctive, so a reason can only contain it by echoing it.
        const value = `Qz${body}Xj`;
        const result = validateRow(object, { [field]: value });
        for (const error of errorsOf(result)) {
          expect(error.reason).not.toContain(value);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('does not echo realistic personal data in reasons', () => {
    const values = { email: 'jane.doe@', phone: 'Jane Doe', created_at: '1987-13-45', owner_email: 'Jane Doe' };
    for (const error of errorsOf(validateRow('contact', values))) {
      expect(error.reason).not.toMatch(/jane|doe|1987/i);
    }
  });
});

describe('cell parsers', () => {
  it.each([
    ['2024-01-31', '2024-01-31T00:00:00.000Z'],
    ['2024-01-31 10:00', '2024-01-31T10:00:00.000Z'],
    ['2024-01-31 10:00:05', '2024-01-31T10:00:05.000Z'],
    ['2024-01-31T10:00:00.000Z', '2024-01-31T10:00:00.000Z'],
    ['2024-01-31T10:00:00+02:00', '2024-01-31T08:00:00.000Z'],
    ['2024-01-31T10:00:00.1234-0130', '2024-01-31T11:30:00.123Z'],
  ])('reads date %j as %s', (value, iso) => {
    expect(parseImportDate(value)?.toISOString()).toBe(iso);
  });

  it.each([['31/01/2024'], ['01/31/2024'], ['2024-02-30'], ['2024-13-01'], ['2024-01-31 24:00'], ['yesterday']])('rejects date %j', (value) => {
    expect(parseImportDate(value)).toBeNull();
  });

  it.each([
    ['42', 42],
    ['1,250,000', 1250000],
    ['1 250 000', 1250000],
    ['1.5E7', 15000000],
    ['-0.5', -0.5],
  ])('reads number %j', (value, expected) => {
    expect(parseDecimal(value)).toBe(expected);
  });

  it.each([['1,5'], ['1.250.000'], ['$100'], ['12,34,567'], ['']])('refuses to guess number %j', (value) => {
    expect(parseDecimal(value)).toBeNull();
  });
});
