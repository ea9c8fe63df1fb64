import { describe, expect, it } from 'vitest';
import { auditQueryOf, filtersFrom } from './auditFilters.ts';

const subjectId = '0190a5b4-7c8e-7d0f-9a1b-2c3d4e5f6a7b';

describe('the audit viewer filters', () => {
  it('take from the address only the parameters the API accepts, trimmed, leaving empty ones out', () => {
    const search = new URLSearchParams({ subjectId: ` ${subjectId} `, colour: 'blue', cursor: 'abc' });
    expect(filtersFrom(search)).toEqual({ subjectId });
    expect(filtersFrom(new URLSearchParams({ subjectId: '  ' }))).toEqual({});
  });

  it('send the filters set, and nothing for the ones left empty', () => {
    expect(auditQueryOf({ subjectId })).toEqual({ subjectId });
    expect(auditQueryOf({})).toEqual({});
  });

  it('send a moment typed in local time as an ISO instant, and the other filters as typed', () => {
    expect(auditQueryOf({ from: '2026-12-01T10:00', action: 'contact.', purpose: 'sales' })).toEqual({
      from: new Date('2026-12-01T10:00').toISOString(),
      action: 'contact.',
      purpose: 'sales',
    });
  });
});
