import { describe, expect, it } from 'vitest';
import { markdownToText } from './markdownText.ts';

describe('markdownToText', () => {
  it('keeps the words of headings, paragraphs and list items, one block per line', () => {
    expect(markdownToText('# Why we ask\n\nWe send offers\nonce a month.\n\n- one\n* two\n1. three')).toBe(
      'Why we ask\nWe send offers once a month.\none\ntwo\nthree',
    );
  });

  it('drops emphasis, code marks, HTML tags and link targets but keeps their text', () => {
    expect(markdownToText('We **never** _sell_ `data`; see [our policy](https://example.com/p) or <b>ask</b>.')).toBe(
      'We never sell data; see our policy or ask .',
    );
  });

  it('keeps an underscore inside a word and escaped characters', () => {
    expect(markdownToText('The field first_name is kept\\*.')).toBe('The field first_name is kept*.');
  });

  it('drops rules, fences and quote markers', () => {
    expect(markdownToText('> Quoted words\n\n---\n\n```\nplain\n```')).toBe('Quoted words\nplain');
  });

  it('gives nothing for Markdown without words', () => {
    expect(markdownToText('\n\n---\n')).toBe('');
  });
});
