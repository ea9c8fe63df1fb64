import { describe, expect, it } from 'vitest';
import { demoCompanyAt } from './companies.ts';
import { demoContacts, demoPhone } from './contacts.ts';
import { companyCountFor } from './demoData.ts';
import { indexFromKey } from './keys.ts';
import { NAME_GROUPS } from './names.ts';
import { DEFAULT_TIMELINE } from './timeline.ts';
import type { DemoContact } from './types.ts';

const SEED = 99;
const COUNT = 100_000;
const COMPANIES = companyCountFor(COUNT);
const contacts: DemoContact[] = Array.from(demoContacts(SEED, COUNT, COMPANIES));

const share = (predicate: (contact: DemoContact) => boolean) => contacts.filter(predicate).length / COUNT;

describe('demoContacts over 100,000 records', () => {
  it('never repeats an email address, ignoring case', () => {
    const emails = new Set(contacts.map((contact) => contact.email.toLowerCase()));
    expect(emails.size).toBe(COUNT);
  });

  it('never repeats a phone number or key', () => {
    expect(new Set(contacts.map((contact) => contact.phone)).size).toBe(COUNT);
    expect(new Set(contacts.map((contact) => contact.key)).size).toBe(COUNT);
  });

  it('uses only ASCII addresses on the reserved example.com, example.org and example.net domains', () => {
    const pattern = /^[a-z][a-z0-9._-]*\.\d+@example\.(com|org|net)$/;
    expect(contacts.filter(({ email }) => !pattern.test(email))).toEqual([]);
  });

  it('formats phones as E.164 digits in the fictional +1 555 range', () => {
    expect(contacts.filter(({ phone }) => !/^\+1555\d{7}$/.test(phone))).toEqual([]);
    expect(demoPhone(0)).toBe('+15550100000');
    expect(demoPhone(999_999)).toBe('+15551099999');
  });

  it('draws first and last names from the name lists, including accented ones', () => {
    const firstNames = new Set(NAME_GROUPS.flatMap((group) => group.first));
    const lastNames = new Set(NAME_GROUPS.flatMap((group) => group.last));
    for (const contact of contacts.slice(0, 5_000)) {
      expect(firstNames.has(contact.firstName)).toBe(true);
      expect(lastNames.has(contact.lastName)).toBe(true);
    }
    const seen = new Set(contacts.map((contact) => contact.firstName));
    expect(seen).toContain('José');
    expect(seen).toContain('Zoë');
    expect(seen).toContain('Łukasz');
    expect(seen.size).toBeGreaterThan(200);
  });

  it('links about 85% of contacts to a company that exists', () => {
    expect(share((contact) => contact.companyKey !== null)).toBeCloseTo(0.85, 1);
    const dangling = contacts.filter((contact) => {
      if (contact.companyKey === null) return false;
      const index = indexFromKey(contact.companyKey);
      return !(index >= 0 && index < COMPANIES);
    });
    expect(dangling).toEqual([]);
  });

  it('often places people in the same city as their employer', () => {
    const sample = contacts.filter((contact) => contact.companyKey !== null).slice(0, 2_000);
    const sameCity = sample.filter((contact) => {
      const company = demoCompanyAt(SEED, indexFromKey(contact.companyKey ?? ''));
      return company.city === contact.city && company.country === contact.country;
    });
    expect(sameCity.length / sample.length).toBeGreaterThan(0.6);
  });

  it('follows a funnel: leads outnumber customers, who outnumber evangelists', () => {
    const lead = share((contact) => contact.lifecycleStage === 'lead');
    const customer = share((contact) => contact.lifecycleStage === 'customer');
    const evangelist = share((contact) => contact.lifecycleStage === 'evangelist');
    expect(lead).toBeGreaterThan(customer);
    expect(customer).toBeGreaterThan(evangelist);
    expect(evangelist).toBeGreaterThan(0);
  });

  it('uses every source and lifecycle stage', () => {
    expect(new Set(contacts.map((contact) => contact.source)).size).toBe(4);
    expect(new Set(contacts.map((contact) => contact.lifecycleStage)).size).toBe(8);
  });

  it('creates contacts within the default two-year window, more of them recently', () => {
    const end = DEFAULT_TIMELINE.end.getTime();
    const start = end - DEFAULT_TIMELINE.days * 86_400_000;
    const midpoint = (start + end) / 2;
    const outside = contacts.filter(({ createdAt }) => !(createdAt.getTime() >= start && createdAt.getTime() <= end));
    expect(outside).toEqual([]);
    expect(share((contact) => contact.createdAt.getTime() > midpoint)).toBeGreaterThan(0.6);
  });

  it('fills every text field with a non-empty value and uses ISO country codes', () => {
    for (const contact of contacts.slice(0, 5_000)) {
      for (const field of [contact.firstName, contact.lastName, contact.jobTitle, contact.city]) {
        expect(field.trim().length).toBeGreaterThan(0);
      }
      expect(contact.country).toMatch(/^[A-Z]{2}$/);
    }
  });

  it('leaves everyone without a company when there are no companies', () => {
    for (const contact of demoContacts(SEED, 100, 0)) expect(contact.companyKey).toBeNull();
  });
});
