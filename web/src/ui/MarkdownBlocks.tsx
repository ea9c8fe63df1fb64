import type { ReactNode } from 'react';
import type { Block, Inline } from '../privacyConsole/notices/markdownBlocks.ts';

// Parsed Markdown (privacyConsole/notices/markdownBlocks.ts) as React elements: no text is ever
// set as HTML. Its headings sit under the heading of the place that shows it.

function inlines(items: Inline[]): ReactNode[] {
  return items.map((item, index) => {
    const key = `${item.kind}-${index}`;
    switch (item.kind) {
      case 'text':
        return item.text;
      case 'code':
        return <code key={key}>{item.text}</code>;
      case 'strong':
        return <strong key={key}>{inlines(item.children)}</strong>;
      case 'emphasis':
        return <em key={key}>{inlines(item.children)}</em>;
      case 'link':
        return (
          <a key={key} href={item.href} rel="noopener noreferrer nofollow" target="_blank">
            {inlines(item.children)}
          </a>
        );
    }
    return null;
  });
}

type HeadingTag = 'h3' | 'h4' | 'h5' | 'h6';
const headingTags: HeadingTag[] = ['h3', 'h4', 'h5', 'h6'];

function block(item: Block, index: number, firstHeading: HeadingTag): ReactNode {
  switch (item.kind) {
    case 'heading': {
      const Heading = headingTags[Math.min(headingTags.indexOf(firstHeading) + item.level - 1, headingTags.length - 1)];
      return <Heading key={index}>{inlines(item.children)}</Heading>;
    }
    case 'paragraph':
      return <p key={index}>{inlines(item.children)}</p>;
    case 'list': {
      const List = item.ordered ? 'ol' : 'ul';
      return (
        <List key={index}>
          {item.items.map((entry, entryIndex) => (
            // Items have no identity beyond their place in the list.
            // biome-ignore lint/suspicious/noArrayIndexKey: the blocks are drawn again from the text whenever it changes
            <li key={entryIndex}>{inlines(entry)}</li>
          ))}
        </List>
      );
    }
  }
  return null;
}

/** The blocks of a notice; its level-one headings become `firstHeading` (h3 under a section's h2). */
export function MarkdownBlocks({ blocks, firstHeading = 'h3' }: { blocks: Block[]; firstHeading?: HeadingTag }) {
  return <>{blocks.map((item, index) => block(item, index, firstHeading))}</>;
}
