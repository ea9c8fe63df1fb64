import { describe, expect, it } from 'vitest';
import { dataCategoryProblem, isPersonalDataCategory } from './dataCategories.ts';

describe('fideslang data categories', () => {
  it('accepts a key from the taxonomy', () => {
    expect(dataCategoryProblem('user.contact.email')).toBeNull();
    expect(dataCategoryProblem('user.demographic.date_of_birth')).toBeNull();
  });

  it('refuses a key that is not in the taxonomy', () => {
    expect(dataCategoryProblem('user.shoe_size')).toMatch(/not a fideslang data category/);
    expect(dataCategoryProblem('')).not.toBeNull();
  });
});

describe('personal data categories', () => {
  it('are the user branch of the taxonomy, and nothing else', () => {
    expect(['user', 'user.contact.email', 'user.name.first'].map(isPersonalDataCategory)).toEqual([true, true, true]);
    expect(['system.operations', 'employee', 'username', 'user_data'].map(isPersonalDataCategory)).toEqual([false, false, false, false]);
  });
});
