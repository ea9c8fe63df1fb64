import { describe, expect, it } from 'vitest';
import { domainErrorThrownBy } from '../../shared/domainError.ts';
import { defaultPurposes } from '../../privacy/defaultPurposes.ts';
import { assertDeclared, catalogProblems, declaredFields, validateCatalog, type FieldDeclaration } from './fieldDeclaration.ts';
import { defaultCatalogDeclarations } from './defaultCatalog.ts';

const defaultPurposeKeys = new Set(defaultPurposes.map((purpose) => purpose.key));
const email: FieldDeclaration = {
  object: 'contact',
  field: 'email',
  dataCategory: 'user.contact.email',
  subject: 'contact',
  sensitivity: 'ordinary',
  purposes: ['sales'],
  encrypted: true,
  lookup: true,
  search: false,
};

describe('data catalog', () => {
  it('accepts the default catalog against the fideslang taxonomy and the default purposes', () => {
    const catalog = validateCatalog(defaultCatalogDeclarations, defaultPurposeKeys);
    expect(declaredFields(catalog, 'contact').map((declaration) => declaration.field)).toEqual([
      'first_name',
      'last_name',
      'email',
      'phone',
      'job_title',
      'city',
      'country',
      'external_id',
    ]);
    expect(declaredFields(catalog, 'visitor').map((declaration) => declaration.dataCategory)).toEqual(['user.unique_id.pseudonymous']);
    expect(declaredFields(catalog, 'activity').map((declaration) => declaration.field)).toEqual(['subject', 'body']);
  });

  it('keeps names and phone numbers away from web analytics', () => {
    const catalog = validateCatalog(defaultCatalogDeclarations, defaultPurposeKeys);
    const analytics = declaredFields(catalog, 'contact').filter((declaration) => declaration.purposes.includes('web_analytics'));
    expect(analytics.map((declaration) => declaration.field)).toEqual(['country']);
  });

  it('refuses a data category that is not a fideslang key, naming the field', () => {
    const error = domainErrorThrownBy(() => validateCatalog([{ ...email, dataCategory: 'user.shoe_size' }]));
    expect(error.code).toBe('validation_failed');
    expect(error.issues).toEqual([{ field: 'contact.email', reason: expect.stringMatching(/fideslang/) }]);
  });

  it('refuses a field declared twice, an unknown purpose and a blind index over plaintext', () => {
    const issues = catalogProblems([email, { ...email, purposes: ['telepathy'], encrypted: false }], new Set(['sales']));
    expect(issues.map((issue) => issue.reason)).toEqual([
      'declared twice',
      'unknown purpose telepathy',
      'lookup and search indexes are only for encrypted fields',
    ]);
  });

  it('refuses an undeclared field with validation_failed naming it and no value', () => {
    const catalog = validateCatalog(defaultCatalogDeclarations);
    expect(() => assertDeclared(catalog, 'contact', ['email', 'first_name'])).not.toThrow();
    const error = domainErrorThrownBy(() => assertDeclared(catalog, 'contact', ['email', 'shoe_size']));
    expect(error.code).toBe('validation_failed');
    expect(error.issues).toEqual([{ field: 'shoe_size', reason: 'not declared in the data catalog for contact' }]);
    // A field declared for another object is still undeclared here.
    expect(domainErrorThrownBy(() => assertDeclared(catalog, 'visitor', ['email'])).issues[0]!.field).toBe('email');
  });
});
