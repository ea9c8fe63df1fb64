import { describe, expect, it } from 'vitest';
import { defaultColumns, moveColumn, parseColumns, toggleColumn } from './contactColumnChoice.ts';
import {
  addressOfView,
  contactsAddressParameters,
  parseContactsAddress,
  sameViewContent,
  storedViewContent,
  viewContentOfAddress,
} from './contactViewAddress.ts';

const userId = '7b0c3f5e-1111-4a4a-9999-000000000001';
const view = {
  id: '0d9e8a1c-2222-4b4b-8888-000000000002',
  filters: { lifecycleStage: 'lead', source: 'import', ownerId: userId },
  sort: '-lastActivityAt',
  columns: ['email', 'customFields.tier', 'lastActivityAt'],
};

describe('a saved view of the contacts and the page address', () => {
  it('opens a view as the address of its filters, sort, columns and id', () => {
    const params = new URLSearchParams(contactsAddressParameters(addressOfView(view, userId)));
    expect(Object.fromEntries(params)).toEqual({
      view: view.id,
      sort: '-lastActivityAt',
      stage: 'lead',
      source: 'import',
      owner: 'me',
      columns: 'email,customFields.tier,lastActivityAt',
    });
  });

  it('saves the address back as the same view content, the owner as the user id', () => {
    const address = parseContactsAddress(new URLSearchParams(contactsAddressParameters(addressOfView(view, userId))));
    const content = viewContentOfAddress(address, userId);
    expect(content).toEqual({ filters: view.filters, sort: view.sort, columns: view.columns });
    expect(sameViewContent(content, storedViewContent(view))).toBe(true);
  });

  it('spells out the defaults: a view without sort or columns is the list as it opens, and leaves them out of the address', () => {
    const plain = { id: view.id, filters: {}, sort: null, columns: [] };
    const address = addressOfView(plain, userId);
    expect(contactsAddressParameters(address)).toEqual({ view: view.id, sort: '-createdAt' });
    expect(address.columns).toEqual(defaultColumns);
    expect(sameViewContent(viewContentOfAddress(address, userId), storedViewContent(plain))).toBe(true);
  });

  it('sees a change of filter, sort, column order or columns as a changed view', () => {
    const address = addressOfView(view, userId);
    const stored = storedViewContent(view);
    const changed = (next: Partial<typeof address>) => !sameViewContent(viewContentOfAddress({ ...address, ...next }, userId), stored);
    expect(changed({ filters: { ...address.filters, stage: 'customer' } })).toBe(true);
    expect(changed({ filters: { ...address.filters, mine: false } })).toBe(true);
    expect(changed({ sort: { key: 'createdAt', descending: true } })).toBe(true);
    expect(changed({ columns: moveColumn(address.columns, 'email', 1) })).toBe(true);
    expect(changed({ columns: toggleColumn(address.columns, 'phone', true) })).toBe(true);
    expect(changed({ viewId: null })).toBe(false);
  });

  it("does not take another owner's id for Only mine, nor values the list does not know", () => {
    const address = addressOfView({ ...view, filters: { ownerId: 'someone-else', lifecycleStage: 'toString' } }, userId);
    expect(address.filters).toEqual({ stage: null, source: null, mine: false });
  });
});

describe('the column choice', () => {
  it('reads the address keeping well-formed columns once each, and the default for none', () => {
    expect(parseColumns('email,customFields.tier,email,password,customFields.Bad-Key')).toEqual(['email', 'customFields.tier']);
    expect(parseColumns(null)).toEqual(defaultColumns);
    expect(parseColumns(',nothing')).toEqual(defaultColumns);
  });

  it('shows a column at the end, hides one but never the last, and moves one within the ends', () => {
    expect(toggleColumn(['email'], 'phone', true)).toEqual(['email', 'phone']);
    expect(toggleColumn(['email', 'phone'], 'email', false)).toEqual(['phone']);
    expect(toggleColumn(['email'], 'email', false)).toEqual(['email']);
    expect(moveColumn(['email', 'phone', 'city'], 'city', -1)).toEqual(['email', 'city', 'phone']);
    expect(moveColumn(['email', 'phone'], 'email', -1)).toEqual(['email', 'phone']);
    expect(moveColumn(['email', 'phone'], 'phone', 1)).toEqual(['email', 'phone']);
  });
});
