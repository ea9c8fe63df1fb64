import { describe, expect, it } from 'vitest';
import { neighbourColumn } from './boardKeyboard.ts';

describe('the column an arrow key moves a card to', () => {
  // Listed out of screen order: the map's order is the order the columns were registered in.
  const columns = new Map([
    ['offer', { left: 300, width: 280 }],
    ['lead', { left: 0, width: 280 }],
    ['won', { left: 600, width: 280 }],
  ]);

  it('is the next column to the right or to the left on screen', () => {
    expect(neighbourColumn(columns, 'lead', 1)).toBe('offer');
    expect(neighbourColumn(columns, 'offer', 1)).toBe('won');
    expect(neighbourColumn(columns, 'won', -1)).toBe('offer');
  });

  it('is none past the first or last column, or when the card is over no column', () => {
    expect(neighbourColumn(columns, 'lead', -1)).toBeUndefined();
    expect(neighbourColumn(columns, 'won', 1)).toBeUndefined();
    expect(neighbourColumn(columns, undefined, 1)).toBeUndefined();
  });
});
