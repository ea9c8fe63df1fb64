import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertTotalMatches, totalOfLines } from './purchaseTotals.ts';

const fieldOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    return (error as { issues: Array<{ field: string }> }).issues[0]?.field;
  }
  return undefined;
};

describe('purchase totals', () => {
  it('sums quantity × unit price over the lines', () => {
    expect(
      totalOfLines([
        { name: 'Widget', quantity: 3, unitPriceMinor: 1250 },
        { name: 'Gadget', quantity: 1, unitPriceMinor: 0 },
      ]),
    ).toBe(3750);
  });

  it('equals the sum of line totals for any lines that fit', () => {
    const line = fc.record({ name: fc.constant('x'), quantity: fc.integer({ min: 1, max: 1000 }), unitPriceMinor: fc.integer({ min: 0, max: 1_000_000 }) });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), (lines) => {
        expect(totalOfLines(lines)).toBe(lines.reduce((sum, item) => sum + item.quantity * item.unitPriceMinor, 0));
      }),
    );
  });

  it('refuses a line or a total that cannot be stored exactly, naming where', () => {
    expect(fieldOf(() => totalOfLines([{ name: 'x', quantity: 2, unitPriceMinor: Number.MAX_SAFE_INTEGER }]))).toBe('lines.0');
    const half = Math.floor(Number.MAX_SAFE_INTEGER / 2) + 1;
    expect(
      fieldOf(() =>
        totalOfLines([
          { name: 'a', quantity: 1, unitPriceMinor: half },
          { name: 'b', quantity: 1, unitPriceMinor: half },
        ]),
      ),
    ).toBe('lines');
  });

  it('refuses a sent total that disagrees with the lines and accepts one that agrees', () => {
    expect(fieldOf(() => assertTotalMatches(100, 99))).toBe('totalMinor');
    expect(() => assertTotalMatches(99, 99)).not.toThrow();
    expect(() => assertTotalMatches(undefined, 99)).not.toThrow();
  });
});
