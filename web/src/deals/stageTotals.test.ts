import { describe, expect, it } from 'vitest';
import type { Deal } from '../api/types.ts';
import { figuresOf, totalsAfterMove } from './stageTotals.ts';

const deal = (amountMinor: number | null, currency: string | null) => ({ id: 'd1', stageId: 'lead', amountMinor, currency }) as Deal;

describe('stage totals after a move', () => {
  const totals = [
    { stageId: 'lead', count: 2, amounts: [{ currency: 'EUR', amountMinor: 3_000 }] },
    { stageId: 'offer', count: 1, amounts: [{ currency: 'USD', amountMinor: 500 }] },
  ];

  it("takes the deal's amount from the stage it leaves and adds it to the one it enters, per currency", () => {
    const moved = totalsAfterMove(totals, deal(1_000, 'EUR'), 'offer');
    expect(figuresOf(moved, 'lead')).toEqual({ stageId: 'lead', count: 1, amounts: [{ currency: 'EUR', amountMinor: 2_000 }] });
    expect(figuresOf(moved, 'offer')).toEqual({
      stageId: 'offer',
      count: 2,
      amounts: [
        { currency: 'EUR', amountMinor: 1_000 },
        { currency: 'USD', amountMinor: 500 },
      ],
    });
  });

  it('counts a deal without an amount and leaves a stage it empties out, as the server does', () => {
    const single = [{ stageId: 'lead', count: 1, amounts: [] }];
    const moved = totalsAfterMove(single, deal(null, null), 'won');
    expect(moved).toEqual([{ stageId: 'won', count: 1, amounts: [] }]);
    expect(figuresOf(moved, 'lead')).toEqual({ count: 0, amounts: [] });
  });

  it('changes nothing when the deal is dropped back on its own stage', () => {
    expect(totalsAfterMove(totals, deal(1_000, 'EUR'), 'lead')).toBe(totals);
  });
});
