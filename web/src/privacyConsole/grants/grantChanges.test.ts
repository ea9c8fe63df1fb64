import { describe, expect, it } from 'vitest';
import { grantChanges, type RoleGrants, toggledGrant } from './grantChanges.ts';

const saved: RoleGrants = new Map([
  ['sales', new Set(['sales', 'order_fulfilment'])],
  ['support', new Set(['support'])],
]);

describe('grantChanges', () => {
  it('finds no change while the draft is the saved grants', () => {
    expect(grantChanges(saved, saved)).toEqual([]);
  });

  it('names each changed role with its new list and the purposes it gains and loses', () => {
    let draft = toggledGrant(saved, 'sales', 'support', true);
    draft = toggledGrant(draft, 'sales', 'order_fulfilment', false);
    expect(grantChanges(saved, draft)).toEqual([{ role: 'sales', purposes: ['sales', 'support'], added: ['support'], removed: ['order_fulfilment'] }]);
  });

  it('forgets a change that was undone', () => {
    const draft = toggledGrant(toggledGrant(saved, 'support', 'sales', true), 'support', 'sales', false);
    expect(grantChanges(saved, draft)).toEqual([]);
  });

  it('leaves the saved grants as they were', () => {
    toggledGrant(saved, 'support', 'sales', true);
    expect([...(saved.get('support') ?? [])]).toEqual(['support']);
  });
});
