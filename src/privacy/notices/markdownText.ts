/*
 * A notice's Markdown as the words a reader reads, for scoring its readability: markup,
 * link targets, code fences' markers, HTML tags and list bullets go; the words stay. Each
 * block (heading, paragraph, list item, quote line) ends a line of its own, so a heading or
 * a bullet without a full stop still counts as a sentence of its own in the score.
 */

const blockPrefix = /^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d{1,9}[.)]\s+)/;
const rule = /^\s{0,3}(?:[-*_]\s*){3,}$/;
const fence = /^\s{0,3}(?:```|~~~)/;

function inlineText(line: string): string {
  return (
    line
      // Images keep their alt text, links their text: the target is no word the reader reads.
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/<[^>]*>/g, ' ')
      .replace(/`([^`]*)`/g, '$1')
      // Emphasis markers around words (*a*, **a**, _a_, ~~a~~), not an underscore inside a word.
      .replace(/(\*{1,3}|~~)(\S(?:.*?\S)?)\1/g, '$2')
      .replace(/(^|\W)_{1,3}(\S(?:.*?\S)?)_{1,3}(?=\W|$)/g, '$1$2')
      .replace(/\\([\\`*_{}[\]()#+\-.!>~|])/g, '$1')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/** The text of Markdown, one block per line, without markup. */
export function markdownToText(markdown: string): string {
  const lines: string[] = [];
  let paragraph: string[] = [];
  const endParagraph = () => {
    if (paragraph.length > 0) lines.push(paragraph.join(' '));
    paragraph = [];
  };
  for (const raw of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    if (fence.test(raw) || rule.test(raw) || raw.trim() === '' || /^\s{0,3}(?:=+|-+)\s*$/.test(raw)) {
      endParagraph();
      continue;
    }
    const block = blockPrefix.exec(raw);
    if (block) {
      endParagraph();
      const text = inlineText(raw.slice(block[0].length));
      if (text) lines.push(text);
      continue;
    }
    const text = inlineText(raw);
    if (text) paragraph.push(text);
  }
  endParagraph();
  return lines.join('\n');
}
