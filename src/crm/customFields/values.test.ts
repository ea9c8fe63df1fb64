import { describe, expect, it } from 'vitest';
import { customValueProblem, mergeCustomValues } from './values.ts';

describe('custom field values', () => {
  it('accepts values of the declared type', () => {
    expect(customValueProblem({ type: 'text', options: null }, 'hello')).toBeNull();
    expect(customValueProblem({ type: 'number', options: null }, 3.5)).toBeNull();
    expect(customValueProblem({ type: 'boolean', options: null }, false)).toBeNull();
    expect(customValueProblem({ type: 'date', options: null }, '2024-02-29')).toBeNull();
    expect(customValueProblem({ type: 'select', options: ['gold', 'silver'] }, 'gold')).toBeNull();
  });

  it('refuses values of another type, impossible dates and unknown options without quoting them', () => {
    expect(customValueProblem({ type: 'text', options: null }, 12)).toMatch(/text/);
    expect(customValueProblem({ type: 'number', options: null }, '12')).toMatch(/number/);
    expect(customValueProblem({ type: 'number', options: null }, Number.NaN)).toMatch(/number/);
    expect(customValueProblem({ type: 'boolean', options: null }, 'true')).toMatch(/true or false/);
    expect(customValueProblem({ type: 'date', options: null }, '2023-02-29')).toMatch(/YYYY-MM-DD/);
    expect(customValueProblem({ type: 'select', options: ['gold'] }, 'platinum-secret')).not.toContain('platinum-secret');
  });

  it('merges changes where null removes a value', () => {
    expect(mergeCustomValues({ a: 1, b: 'x' }, { a: null, c: true })).toEqual({ b: 'x', c: true });
  });
});
