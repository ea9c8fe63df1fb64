import { describe, expect, it } from 'vitest';
import { camelCaseName, snakeCaseName } from './camelCase.ts';

describe('names between the API and storage', () => {
  it('turns stored snake_case names into the camelCase the API speaks, and back', () => {
    for (const [stored, api] of [
      ['first_name', 'firstName'],
      ['anonymous_id', 'anonymousId'],
      ['annual_revenue', 'annualRevenue'],
      ['email', 'email'],
    ]) {
      expect(camelCaseName(stored)).toBe(api);
      expect(snakeCaseName(api)).toBe(stored);
    }
  });

  it('leaves a name already in the case asked for as it is', () => {
    expect(camelCaseName('firstName')).toBe('firstName');
    expect(snakeCaseName('first_name')).toBe('first_name');
  });
});
