import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiSlug } from './slug.ts';

describe('asciiSlug', () => {
  it('folds accented and special Latin letters to their plain ASCII forms', () => {
    expect(asciiSlug('José')).toBe('jose');
    expect(asciiSlug('Zoë')).toBe('zoe');
    expect(asciiSlug('Łukasz')).toBe('lukasz');
    expect(asciiSlug('Søren')).toBe('soren');
    expect(asciiSlug('Weiß')).toBe('weiss');
    expect(asciiSlug('Guðrún')).toBe('gudrun');
    expect(asciiSlug('Yılmaz')).toBe('yilmaz');
  });

  it('drops apostrophes and joins words with the separator', () => {
    expect(asciiSlug("O'Brien", '-')).toBe('obrien');
    expect(asciiSlug('Ní Bhriain', '-')).toBe('ni-bhriain');
    expect(asciiSlug('van den Berg', '.')).toBe('van.den.berg');
  });

  it('only ever emits lower-case ASCII letters, digits and the separator', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(asciiSlug(text, '-')).toMatch(/^([a-z0-9]+(-[a-z0-9]+)*)?$/);
      }),
    );
  });
});
