import { describe, expect, it } from 'vitest';
import { importFieldLabel, issueFieldLabel } from './fieldLabels.ts';

describe('the import field labels', () => {
  it('read camelCase field names as words, with the house spelling of e-mail', () => {
    expect(importFieldLabel('jobTitle')).toBe('Job title');
    expect(importFieldLabel('employeeCount')).toBe('Employee count');
    expect(importFieldLabel('email')).toBe('E-mail');
    expect(importFieldLabel('ownerEmail')).toBe('Owner e-mail');
  });

  it("read an issue's snake_case field, or the part of the file it is about", () => {
    expect(issueFieldLabel('first_name')).toBe('First name');
    expect(issueFieldLabel('email')).toBe('E-mail');
    expect(issueFieldLabel('header')).toBe('Header');
  });
});
