/*
 * The small, safe subset of Markdown a notice preview shows: headings, paragraphs, bulleted
 * and numbered lists, strong, emphasis, code and links to http(s) or mailto addresses. It
 * parses to plain data that React renders as elements, so no text ever becomes HTML: a tag
 * typed into a notice shows as the characters typed, and a javascript: link as its text.
 * Its text, block by block, is also what the live readability score reads — the way the
 * server strips a notice before scoring it.
 */

export type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'strong' | 'emphasis'; children: Inline[] }
  | { kind: 'code'; text: string }
  | { kind: 'link'; href: string; children: Inline[] };

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; children: Inline[] }
  | { kind: 'paragraph'; children: Inline[] }
  | { kind: 'list'; ordered: boolean; items: Inline[][] };

const safeHref = /^(?:https?:\/\/|mailto:)[^\s]+$/i;

// Alternatives in order: code, link, strong, emphasis (with * or _), an escaped character.
const inlinePattern =
  /`([^`]+)`|\[([^\]]+)\]\(([^)\s]*)\)|\*\*(.+?)\*\*|__(.+?)__|\*(\S(?:.*?\S)?)\*|(?<![\p{L}\p{N}])_(\S(?:.*?\S)?)_(?![\p{L}\p{N}])|\\([\\`*_[\]()#+\-.!>~])/gu;

export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  const pushText = (value: string) => {
    if (value === '') return;
    const last = out.at(-1);
    if (last?.kind === 'text') last.text += value;
    else out.push({ kind: 'text', text: value });
  };
  let at = 0;
  for (const match of text.matchAll(inlinePattern)) {
    pushText(text.slice(at, match.index));
    at = match.index + match[0].length;
    const [, code, linkText, href, strong, strongUnderscore, emphasis, emphasisUnderscore, escaped] = match;
    if (code !== undefined) out.push({ kind: 'code', text: code });
    else if (linkText !== undefined) {
      // Only web and mail links are links; anything else (javascript:, data:) stays text.
      if (safeHref.test(href)) out.push({ kind: 'link', href, children: parseInline(linkText) });
      else
        for (const inline of parseInline(linkText)) {
          if (inline.kind === 'text') pushText(inline.text);
          else out.push(inline);
        }
    } else if (strong !== undefined || strongUnderscore !== undefined) out.push({ kind: 'strong', children: parseInline(strong ?? strongUnderscore) });
    else if (emphasis !== undefined || emphasisUnderscore !== undefined) out.push({ kind: 'emphasis', children: parseInline(emphasis ?? emphasisUnderscore) });
    else pushText(escaped);
  }
  pushText(text.slice(at));
  return out;
}

const headingLine = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const bulletLine = /^\s{0,3}[-*+]\s+(.*)$/;
const numberedLine = /^\s{0,3}\d{1,9}[.)]\s+(.*)$/;

/** The blocks of a notice's Markdown. Lines that fit no block join the paragraph they are in. */
export function parseMarkdown(markdown: string): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  const endParagraph = () => {
    if (paragraph.length > 0) blocks.push({ kind: 'paragraph', children: parseInline(paragraph.join(' ')) });
    paragraph = [];
  };
  const listItem = (ordered: boolean, text: string) => {
    endParagraph();
    const last = blocks.at(-1);
    if (last?.kind === 'list' && last.ordered === ordered) last.items.push(parseInline(text));
    else blocks.push({ kind: 'list', ordered, items: [parseInline(text)] });
  };
  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    const heading = headingLine.exec(line);
    const bullet = bulletLine.exec(line);
    const numbered = numberedLine.exec(line);
    if (line.trim() === '') endParagraph();
    else if (heading) {
      endParagraph();
      blocks.push({ kind: 'heading', level: Math.min(heading[1].length, 3) as 1 | 2 | 3, children: parseInline(heading[2]) });
    } else if (bullet) listItem(false, bullet[1]);
    else if (numbered) listItem(true, numbered[1]);
    else paragraph.push(line.trim());
  }
  endParagraph();
  return blocks;
}

const inlineText = (inlines: Inline[]): string =>
  inlines.map((inline) => (inline.kind === 'text' || inline.kind === 'code' ? inline.text : inlineText(inline.children))).join('');

/** The words of the blocks, one block (or list item) per line: what the readability score reads. */
export function blocksText(blocks: Block[]): string {
  return blocks.flatMap((block) => (block.kind === 'list' ? block.items.map(inlineText) : [inlineText(block.children)])).join('\n');
}
