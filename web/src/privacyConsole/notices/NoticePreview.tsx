import { MarkdownBlocks } from '../../ui/MarkdownBlocks.tsx';
import type { Block } from './markdownBlocks.ts';

// Notice headings sit under the page's h1 and the preview's h2.

/** The notice as people will read it. */
export function NoticePreview({ title, language, blocks }: { title: string; language: string; blocks: Block[] }) {
  return (
    <section className="notice-preview" aria-labelledby="notice-preview-heading">
      <h2 id="notice-preview-heading" className="notice-preview-label">
        Preview
      </h2>
      <div className="notice-preview-body" lang={language || undefined}>
        <p className="notice-preview-title">{title || 'Untitled notice'}</p>
        {blocks.length === 0 ? <p className="muted">Nothing written yet.</p> : <MarkdownBlocks blocks={blocks} />}
      </div>
    </section>
  );
}
