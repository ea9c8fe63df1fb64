import { describe, expect, it } from 'vitest';
import { closedAtAfterMove } from './closing.ts';

const earlier = new Date('2025-01-01T00:00:00Z');
const now = new Date('2025-06-01T00:00:00Z');

describe('when a deal counts as closed', () => {
  it('closes a new deal created in a won or lost stage', () => {
    expect(closedAtAfterMove(null, 'won', null, now)).toEqual(now);
    expect(closedAtAfterMove(null, 'open', null, now)).toBeNull();
  });

  it('closes on reaching won or lost and reopens on moving back to an open stage', () => {
    expect(closedAtAfterMove('open', 'lost', null, now)).toEqual(now);
    expect(closedAtAfterMove('won', 'open', earlier, now)).toBeNull();
  });

  it('keeps the closing time between stages of the same outcome, and restamps it from won to lost', () => {
    expect(closedAtAfterMove('won', 'won', earlier, now)).toEqual(earlier);
    expect(closedAtAfterMove('won', 'lost', earlier, now)).toEqual(now);
  });
});
