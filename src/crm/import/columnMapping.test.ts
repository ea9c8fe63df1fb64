import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, it, expect } from 'vitest';
import { COMPANY_FIELDS, CONTACT_FIELDS, aliasesOf, mapHeaders, normalizeHeader, type ImportObject } from './columnMapping.ts';

const fixtureDir = new URL('../../../test/fixtures/import/', import.meta.url);

function headersOf(fixture: string): string[] {
  const rows: string[][] = parse(readFileSync(new URL(fixture, fixtureDir)), { bom: true, to_line: 1 });
  return rows[0];
}

function mappedFields(object: ImportObject, fixture: string): Record<string, string> {
  const { mapping } = mapHeaders(object, headersOf(fixture));
  return Object.fromEntries(mapping.filter((m) => m.field !== null).map((m) => [m.field, m.header]));
}

describe('mapHeaders on real export layouts', () => {
  it('maps every contact field from a HubSpot contact export', () => {
    expect(mappedFields('contact', 'hubspot-contacts.csv')).toEqual({
      external_id: 'Record ID',
      first_name: 'First Name',
      last_name: 'Last Name',
      email: 'Email',
      phone: 'Phone Number',
      job_title: 'Job Title',
      company_name: 'Company Name',
      company_domain: 'Website URL',
      lifecycle_stage: 'Lifecycle Stage',
      owner_email: 'Contact owner',
      city: 'City',
      country: 'Country/Region',
      created_at: 'Create Date',
    });
  });

  it('reports the HubSpot contact columns it does not import, including the losing duplicates', () => {
    const { unmapped } = mapHeaders('contact', headersOf('hubspot-contacts.csv'));
    expect(unmapped).toEqual([
      'Mobile Phone Number',
      'Lead Status',
      'Street Address',
      'State/Region',
      'Postal Code',
      'Original Source',
      'Marketing contact status',
      'Last Activity Date',
      'Last Modified Date',
      'Associated Company',
      'Primary Associated Company ID',
    ]);
  });

  it('maps every company field from a HubSpot company export, preferring the domain over the website', () => {
    expect(mappedFields('company', 'hubspot-companies.csv')).toEqual({
      external_id: 'Record ID',
      name: 'Company name',
      domain: 'Company Domain Name',
      industry: 'Industry',
      phone: 'Phone Number',
      city: 'City',
      country: 'Country/Region',
      employee_count: 'Number of Employees',
      annual_revenue: 'Annual Revenue',
      created_at: 'Create Date',
    });
  });

  it('maps the Salesforce Contact.csv API names that have a Candor field', () => {
    expect(mappedFields('contact', 'salesforce-contacts.csv')).toEqual({
      external_id: 'Id',
      last_name: 'LastName',
      first_name: 'FirstName',
      city: 'MailingCity',
      country: 'MailingCountry',
      phone: 'Phone',
      email: 'Email',
      job_title: 'Title',
      created_at: 'CreatedDate',
    });
  });

  it('leaves Salesforce ids of related records unmapped, since they are not names or emails', () => {
    const { unmapped } = mapHeaders('contact', headersOf('salesforce-contacts.csv'));
    expect(unmapped).toEqual(expect.arrayContaining(['AccountId', 'OwnerId', 'MobilePhone', 'OtherCity', 'Name']));
  });

  it('maps every company field from a Salesforce Account.csv', () => {
    expect(mappedFields('company', 'salesforce-accounts.csv')).toEqual({
      external_id: 'Id',
      name: 'Name',
      industry: 'Industry',
      annual_revenue: 'AnnualRevenue',
      phone: 'Phone',
      domain: 'Website',
      employee_count: 'NumberOfEmployees',
      city: 'BillingCity',
      country: 'BillingCountry',
      created_at: 'CreatedDate',
    });
  });

  it("maps every column of Candor's own contact export to the field of the same name", () => {
    const { mapping, unmapped } = mapHeaders('contact', headersOf('candor-contacts.csv'));
    expect(mapping.map((m) => m.field)).toEqual([...CONTACT_FIELDS]);
    expect(unmapped).toEqual([]);
  });

  it('maps the rows-with-errors fixture, which uses Candor headers, completely', () => {
    expect(mapHeaders('contact', headersOf('contacts-with-errors.csv')).unmapped).toEqual([]);
  });
});

describe('mapHeaders matching rules', () => {
  it('ignores case, spaces, underscores and hyphens in headers', () => {
    const { mapping } = mapHeaders('contact', ['FIRST_NAME', ' last name ', 'E-Mail', 'jobTitle']);
    expect(mapping.map((m) => m.field)).toEqual(['first_name', 'last_name', 'email', 'job_title']);
  });

  it('maps a field to only one column, preferring the better alias over column order', () => {
    const { mapping, unmapped } = mapHeaders('contact', ['Mobile Phone Number', 'Phone Number']);
    expect(mapping.map((m) => m.field)).toEqual([null, 'phone']);
    expect(unmapped).toEqual(['Mobile Phone Number']);
  });

  it('keeps the leftmost of two identical headers', () => {
    const { mapping } = mapHeaders('contact', ['Email', 'email']);
    expect(mapping.map((m) => m.field)).toEqual(['email', null]);
  });

  it('lets an override force a field, beating an automatic match for that field', () => {
    const { mapping } = mapHeaders('contact', ['Email', 'Work Email'], { 'work email': 'email' });
    expect(mapping.map((m) => m.field)).toEqual([null, 'email']);
  });

  it('lets an override ignore a column without reporting it as unmapped', () => {
    const { mapping, unmapped } = mapHeaders('contact', ['Contact owner', 'Favourite colour'], { 'Contact owner': null });
    expect(mapping.map((m) => m.field)).toEqual([null, null]);
    expect(unmapped).toEqual(['Favourite colour']);
  });

  it('takes an override naming the field as the export spells it, or as the import does', () => {
    for (const named of ['jobTitle', 'job_title']) {
      expect(mapHeaders('contact', ['Role'], { Role: named }).mapping[0].field, named).toBe('job_title');
    }
  });

  it('rejects an override naming a field the object does not have', () => {
    expect(() => mapHeaders('company', ['Surname'], { Surname: 'last_name' })).toThrow(RangeError);
  });

  it('strips a byte order mark left on the first header', () => {
    const { mapping } = mapHeaders('company', ['\uFEFFRecord ID', 'Company name']);
    expect(mapping[0]).toEqual({ column: 0, header: 'Record ID', field: 'external_id' });
  });

  it('keeps alias lists free of entries that normalise to the same key for another field', () => {
    for (const object of ['contact', 'company'] as const) {
      const owner = new Map<string, string>();
      for (const [field, aliases] of Object.entries(aliasesOf(object))) {
        for (const alias of aliases) {
          const key = normalizeHeader(alias);
          expect(owner.get(key) ?? field, `${object} alias ${alias}`).toBe(field);
          owner.set(key, field);
        }
      }
      expect([...new Set(owner.values())].sort()).toEqual([...(object === 'contact' ? CONTACT_FIELDS : COMPANY_FIELDS)].sort());
    }
  });
});
