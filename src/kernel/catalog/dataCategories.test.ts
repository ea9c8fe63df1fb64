import { describe, expect, it } from 'vitest';
import { dataCategoryProblem } from './dataCategories.ts';

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
