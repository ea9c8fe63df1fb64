import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { purposeNotices } from '../../db/schema/index.ts';
import { DomainError } from '../../shared/domainError.ts';
import { purposeExists } from '../purposes.ts';
import { noticeReadability, type Readability } from './readability.ts';

/*
 * Reading a purpose's notices: its versions, its draft and the one published now (what the
 * consent widget and the privacy portal show). Notices are no personal data, so they are
 * read here directly, not through the kernel.
 */

export type NoticeRow = typeof purposeNotices.$inferSelect;
export type NoticeStatus = NoticeRow['status'];
export type Notice = NoticeRow & { readability: Readability | null };

export const withReadability = (row: NoticeRow): Notice => ({ ...row, readability: noticeReadability(row.bodyMarkdown) });

export const purposeNotFound = () => new DomainError('not_found', 'This workspace has no purpose with that key.');

export async function assertPurpose(db: Executor, tenantId: string, purposeKey: string): Promise<void> {
  if (!(await purposeExists(db, tenantId, purposeKey))) throw purposeNotFound();
}

const ofPurpose = (tenantId: string, purposeKey: string) => and(eq(purposeNotices.tenantId, tenantId), eq(purposeNotices.purposeKey, purposeKey));

/** Every version of a purpose's notice, newest first (the draft, if any, leads). 404 for an unknown purpose. */
export async function listNoticeVersions(db: Executor, tenantId: string, purposeKey: string): Promise<Notice[]> {
  await assertPurpose(db, tenantId, purposeKey);
  const rows = await db.select().from(purposeNotices).where(ofPurpose(tenantId, purposeKey)).orderBy(desc(purposeNotices.version));
  return rows.map(withReadability);
}

async function noticeWithStatus(db: Executor, tenantId: string, purposeKey: string, status: NoticeStatus): Promise<NoticeRow | null> {
  const [row] = await db
    .select()
    .from(purposeNotices)
    .where(and(ofPurpose(tenantId, purposeKey), eq(purposeNotices.status, status)))
    .limit(1);
  return row ?? null;
}

/** The notice published now, or null when the purpose has none yet. */
export const publishedNotice = (db: Executor, tenantId: string, purposeKey: string) => noticeWithStatus(db, tenantId, purposeKey, 'published');

/** The version published now of each of these purposes that has one, in one read. */
export async function publishedNoticeVersions(db: Executor, tenantId: string, purposeKeys: readonly string[]): Promise<Map<string, number>> {
  if (purposeKeys.length === 0) return new Map();
  const rows = await db
    .select({ purposeKey: purposeNotices.purposeKey, version: purposeNotices.version })
    .from(purposeNotices)
    .where(and(eq(purposeNotices.tenantId, tenantId), inArray(purposeNotices.purposeKey, [...new Set(purposeKeys)]), eq(purposeNotices.status, 'published')));
  return new Map(rows.map((row) => [row.purposeKey, row.version]));
}

/** The purpose's draft, or null. */
export const draftNotice = (db: Executor, tenantId: string, purposeKey: string) => noticeWithStatus(db, tenantId, purposeKey, 'draft');

/** The published notice with its readability; 404 for an unknown purpose or one with nothing published. */
export async function currentNotice(db: Executor, tenantId: string, purposeKey: string): Promise<Notice> {
  await assertPurpose(db, tenantId, purposeKey);
  const row = await publishedNotice(db, tenantId, purposeKey);
  if (!row) throw new DomainError('not_found', 'This purpose has no published notice yet.');
  return withReadability(row);
}
