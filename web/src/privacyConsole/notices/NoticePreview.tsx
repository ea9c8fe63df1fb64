import type { ReactNode } from 'react';
import type { Block, Inline } from './markdownBlocks.ts';

// The preview renders parsed Markdown as React elements (markdownBlocks.ts): no text is ever
// set as HTML. Notice headings sit under the page's h1 and the preview's h2.

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

function block(item: Block, index: number): ReactNode {
  switch (item.kind) {
    case 'heading': {
      const Heading = item.level === 1 ? 'h3' : item.level === 2 ? 'h4' : 'h5';
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
            // biome-ignore lint/suspicious/noArrayIndexKey: the preview is redrawn from the text at each key press
            <li key={entryIndex}>{inlines(entry)}</li>
          ))}
        </List>
      );
    }
  }
  return null;
}

/** The notice as people will read it. */
export function NoticePreview({ title, language, blocks }: { title: string; language: string; blocks: Block[] }) {
  return (
    <section className="notice-preview" aria-labelledby="notice-preview-heading">
      <h2 id="notice-preview-heading" className="notice-preview-label">
        Preview
      </h2>
      <div className="notice-preview-body" lang={language || undefined}>
        <p className="notice-preview-title">{title || 'Untitled notice'}</p>
        {blocks.length === 0 ? <p className="muted">Nothing written yet.</p> : blocks.map(block)}
      </div>
    </section>
  );
}
