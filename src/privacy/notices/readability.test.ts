import { describe, expect, it } from 'vitest';
import { noticeReadability, textReadability } from './readability.ts';

describe('notice readability', () => {
  it('scores short plain sentences as very easy and long Latinate ones as hard', () => {
    const plain = textReadability('We send you news. You can stop it at any time.');
    const hard = textReadability(
      'Personal information is processed subsequently for the legitimate interests pursued by the controller, notwithstanding considerations regarding proportionality.',
    );
    expect(plain!.readingEase).toBeGreaterThan(90);
    expect(plain!.grade).toBeLessThan(3);
    expect(hard!.readingEase).toBeLessThan(10);
    expect(hard!.grade).toBeGreaterThan(15);
  });

  it('counts the sentences, words and syllables the Flesch formulas take', () => {
    // 2 sentences, 10 words, 11 syllables ("any" has 2): ease 206.835 − 1.015 × 5 − 84.6 × 1.1,
    // grade 0.39 × 5 + 11.8 × 1.1 − 15.59 (below the first grade: the formula is not clamped).
    expect(textReadability('We send you news. You can stop at any time.')).toEqual({ readingEase: 108.7, grade: -0.7, words: 10, sentences: 2 });
  });

  it('scores the words of Markdown, not its markup, and a heading as a sentence of its own', () => {
    expect(noticeReadability('# We send you news\n\n**You** can stop at [any time](https://example.com/stop).')).toEqual(
      textReadability('We send you news.\nYou can stop at any time.'),
    );
  });

  it('has no score for a text without words', () => {
    expect(textReadability('')).toBeNull();
    expect(noticeReadability('---\n\n42.')).toBeNull();
  });
});
