import { describe, expect, it } from 'vitest';
import { filterParameters, filterQuery, parseFilters } from './contactFilters.ts';

describe('the contacts filters', () => {
  it('read from the address only the values the API knows', () => {
    expect(parseFilters(new URLSearchParams('stage=customer&source=import&owner=me'))).toEqual({ stage: 'customer', source: 'import', mine: true });
    expect(parseFilters(new URLSearchParams('stage=toString&source=__proto__&owner=someone'))).toEqual({ stage: null, source: null, mine: false });
  });

  it('go back to the address and to the API as parameters, "mine" as the user id', () => {
    const filters = { stage: 'lead' as const, source: null, mine: true };
    expect(filterParameters(filters)).toEqual({ stage: 'lead', owner: 'me' });
    expect(filterQuery(filters, 'user-1')).toEqual({ lifecycleStage: 'lead', ownerId: 'user-1' });
  });
});
