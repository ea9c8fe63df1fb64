import { describe, expect, it } from 'vitest';
import { blocksText, parseInline, parseMarkdown } from './markdownBlocks.ts';

describe('the notice preview Markdown', () => {
  it('reads headings, paragraphs and both kinds of list', () => {
    expect(parseMarkdown('# Why\n\nWe write\nto you.\n\n- news\n- offers\n\n1. first')).toEqual([
      { kind: 'heading', level: 1, children: [{ kind: 'text', text: 'Why' }] },
      { kind: 'paragraph', children: [{ kind: 'text', text: 'We write to you.' }] },
      { kind: 'list', ordered: false, items: [[{ kind: 'text', text: 'news' }], [{ kind: 'text', text: 'offers' }]] },
      { kind: 'list', ordered: true, items: [[{ kind: 'text', text: 'first' }]] },
    ]);
  });

  it('reads strong, emphasis, code and web or mail links', () => {
    expect(parseInline('We **never** *sell* `data`: [ask](mailto:dpo@example.com).')).toEqual([
      { kind: 'text', text: 'We ' },
      { kind: 'strong', children: [{ kind: 'text', text: 'never' }] },
      { kind: 'text', text: ' ' },
      { kind: 'emphasis', children: [{ kind: 'text', text: 'sell' }] },
      { kind: 'text', text: ' ' },
      { kind: 'code', text: 'data' },
      { kind: 'text', text: ': ' },
      { kind: 'link', href: 'mailto:dpo@example.com', children: [{ kind: 'text', text: 'ask' }] },
      { kind: 'text', text: '.' },
    ]);
  });

  it('keeps HTML as the characters typed and a script link as plain text', () => {
    expect(parseInline("<img src=x onerror=alert(1)> [click](javascript:location='x')")).toEqual([
      { kind: 'text', text: '<img src=x onerror=alert(1)> click' },
    ]);
  });

  it('leaves an underscore inside a word alone', () => {
    expect(parseInline('first_name and last_name')).toEqual([{ kind: 'text', text: 'first_name and last_name' }]);
  });

  it('gives the words one block or list item per line, for the score', () => {
    expect(blocksText(parseMarkdown('# We send you news\n\n**You** can stop at [any time](https://example.com).\n\n- one\n- two'))).toBe(
      'We send you news\nYou can stop at any time.\none\ntwo',
    );
  });
});
