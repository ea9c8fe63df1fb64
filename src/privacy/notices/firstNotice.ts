import { createHash } from 'node:crypto';
import type { Executor } from '../../db/connection.ts';
import { purposeNotices } from '../../db/schema/index.ts';

/*
 * Every purpose starts with notice version 1, published from its description when the
 * purpose is created (a new workspace's defaults, or POST /purposes), so the widget and
 * the portal always have words to show and every consent a notice version to name.
 * Migration 0020 did the same for the purposes that existed before notices.
 */

/** SHA-256 (hex) of the notice's exact Markdown, as UTF-8 bytes: the hash a consent records as its notice_hash. */
export const noticeContentHash = (markdown: string): string => createHash('sha256').update(markdown, 'utf8').digest('hex');

// Built-in purposes whose key is jargon to the people who read the title in the portal.
const plainTitles: Readonly<Record<string, string>> = { dsr_fulfilment: 'Answering your requests about your data' };

/** A purpose key as its first notice's title: order_fulfilment → "Order fulfilment", email_marketing → "E-mail marketing". */
export function noticeTitleOf(purposeKey: string): string {
  const title = plainTitles[purposeKey];
  if (title !== undefined) return title;
  const words = purposeKey.replace(/(^|_)email(?=_|$)/g, '$1e-mail').replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Publishes version 1 of each purpose's notice from its description; `publishedBy` is an actorKey. */
export async function publishFirstNotices(
  tx: Executor,
  tenantId: string,
  purposes: ReadonlyArray<{ key: string; description: string }>,
  publishedBy: string,
): Promise<void> {
  if (purposes.length === 0) return;
  const now = new Date();
  await tx
    .insert(purposeNotices)
    .values(
      purposes.map((purpose) => ({
        tenantId,
        purposeKey: purpose.key,
        version: 1,
        status: 'published' as const,
        title: noticeTitleOf(purpose.key),
        language: 'en',
        bodyMarkdown: purpose.description,
        contentHash: noticeContentHash(purpose.description),
        publishedAt: now,
        publishedBy,
        createdAt: now,
        updatedAt: now,
      })),
    )
    .onConflictDoNothing();
}
