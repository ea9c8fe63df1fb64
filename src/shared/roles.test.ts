import { describe, expect, it } from 'vitest';
import { roleIncludes, roles } from './roles.ts';

describe('roleIncludes', () => {
  it('holds for every role against itself and for admin against every role', () => {
    for (const role of roles) {
      expect(roleIncludes(role, role)).toBe(true);
      expect(roleIncludes('admin', role)).toBe(true);
    }
  });

  it('does not let a lesser role include a greater one', () => {
    expect(roleIncludes('sales', 'admin')).toBe(false);
    expect(roleIncludes('analyst', 'sales')).toBe(false);
    expect(roleIncludes('sales', 'analyst')).toBe(true);
    // Neither includes the other: privacy officers delete contacts, sales delete deals.
    expect(roleIncludes('privacy_officer', 'sales')).toBe(false);
    expect(roleIncludes('sales', 'privacy_officer')).toBe(false);
  });
});
