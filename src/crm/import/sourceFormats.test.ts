import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectSourceFormat } from './sourceFormats.ts';

// The examples' header rows quote every name and hold no comma inside one.
const headersOf = (file: string) =>
  (readFileSync(new URL(`../../../examples/${file}`, import.meta.url), 'utf8').split('\n')[0] ?? '').split(',').map((name) => name.replace(/"/g, ''));

describe('detectSourceFormat', () => {
  it('recognises the example HubSpot and Salesforce contact exports', () => {
    expect(detectSourceFormat('contact', headersOf('hubspot-export.csv'))).toBe('hubspot');
    expect(detectSourceFormat('contact', headersOf('salesforce-Contact.csv'))).toBe('salesforce');
  });

  it("recognises Candor's own camelCase export, but not a hand-made snake_case file", () => {
    expect(detectSourceFormat('contact', ['id', 'firstName', 'lastName', 'email', 'jobTitle', 'createdAt'])).toBe('candor');
    expect(detectSourceFormat('contact', ['first_name', 'last_name', 'email', 'job_title', 'created_at'])).toBeNull();
  });

  it('needs two identifying headers, so one shared column name does not decide', () => {
    expect(detectSourceFormat('contact', ['First Name', 'Email', 'Mobile'])).toBeNull();
    expect(detectSourceFormat('company', ['Account ID', 'Account Name', 'Website'])).toBe('salesforce');
  });
});
