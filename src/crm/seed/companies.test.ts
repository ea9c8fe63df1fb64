import { describe, expect, it } from 'vitest';
import { INDUSTRIES } from './business.ts';
import { companyPlaceAt, demoCompanies } from './companies.ts';

const SEED = 4;
const companies = Array.from(demoCompanies(SEED, 20_000));

describe('demoCompanies', () => {
  it('gives every company a unique key and a unique domain under example.com or example.org', () => {
    expect(new Set(companies.map((company) => company.key)).size).toBe(companies.length);
    expect(new Set(companies.map((company) => company.domain)).size).toBe(companies.length);
    const pattern = /^[a-z0-9]+(-[a-z0-9]+)*\.example\.(com|org)$/;
    expect(companies.filter(({ domain }) => !pattern.test(domain))).toEqual([]);
  });

  it('names companies in many different ways, some with a legal form', () => {
    const names = new Set(companies.map((company) => company.name));
    expect(names.size).toBeGreaterThan(companies.length * 0.5);
    expect(companies.some((company) => company.name.endsWith(' GmbH'))).toBe(true);
    expect(companies.some((company) => company.name.includes(' & '))).toBe(true);
  });

  it('keeps headcounts between 1 and 50,000 with small firms the most common', () => {
    const implausible = companies.filter(({ employeeCount }) => !(Number.isInteger(employeeCount) && employeeCount >= 1 && employeeCount <= 50_000));
    expect(implausible).toEqual([]);
    const small = companies.filter((company) => company.employeeCount <= 200).length;
    const huge = companies.filter((company) => company.employeeCount > 5_000).length;
    expect(small / companies.length).toBeGreaterThan(0.6);
    expect(huge).toBeGreaterThan(0);
    expect(huge).toBeLessThan(small);
  });

  it('picks industries from the known list and covers all of them', () => {
    const seen = new Set(companies.map((company) => company.industry));
    for (const industry of seen) expect(INDUSTRIES).toContain(industry);
    expect(seen.size).toBe(INDUSTRIES.length);
  });

  it('reports the same location through the cheap place lookup as the full record', () => {
    for (const [index, company] of companies.slice(0, 500).entries()) {
      const place = companyPlaceAt(SEED, index);
      expect([place.city, place.country]).toEqual([company.city, company.country]);
    }
  });
});
