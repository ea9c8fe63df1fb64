import { and, eq, max, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { purposeNotices, purposes } from '../../db/schema/index.ts';
import { actorKey, recordAudit, type AccessContext } from '../../kernel/index.ts';
import { DomainError, staleVersion, type FieldIssue } from '../../shared/domainError.ts';
import { noticeContentHash } from './firstNotice.ts';
import { draftNotice, publishedNotice, purposeNotFound, withReadability, type Notice, type NoticeRow } from './notices.ts';

/*
 * Writing a purpose's notice: one draft at a time, edited with If-Match on its revision, then
 * published as the next version. Publishing retires the version it replaces; a material
 * version sets renew_by, after which consents given under older versions stop counting
 * (the kernel's rule: src/kernel/policy/noticeRenewals.ts). Each step is audited with the purpose, the version and the hash.
 */

export const maxRenewalGraceDays = 365;
export const maxNoticeTitleLength = 200;
export const maxNoticeBodyLength = 20_000;
// BCP 47 in the shape people use: a 2–3 letter language, then script, region or variant subtags.
const languageTag = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/;
const dayMs = 86_400_000;

export type DraftInput = { title: string; bodyMarkdown: string; language?: string };
export type PublishInput = { material: boolean; renewalGraceDays?: number | null };

function refuse(issues: FieldIssue[]): never {
  throw new DomainError('validation_failed', issues.map((issue) => `${issue.field}: ${issue.reason}`).join('; '), issues);
}

function draftProblems(input: DraftInput): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const title = input.title.trim();
  if (title.length === 0 || title.length > maxNoticeTitleLength) issues.push({ field: 'title', reason: `1–${maxNoticeTitleLength} characters` });
  if (input.bodyMarkdown.trim().length === 0 || input.bodyMarkdown.length > maxNoticeBodyLength) {
    issues.push({ field: 'bodyMarkdown', reason: `Markdown of 1–${maxNoticeBodyLength} characters` });
  }
  if (input.language !== undefined && (input.language.length > 35 || !languageTag.test(input.language))) {
    issues.push({ field: 'language', reason: 'a BCP 47 language tag such as en, de or pt-BR' });
  }
  return issues;
}

/** The grace period is required (0–365 whole days) for a material change, and refused for any other. */
export function publishProblems(input: PublishInput): FieldIssue[] {
  const grace = input.renewalGraceDays ?? null;
  if (!input.material) return grace === null ? [] : [{ field: 'renewalGraceDays', reason: 'only a material change sets a renewal grace period' }];
  if (grace === null || !Number.isInteger(grace) || grace < 0 || grace > maxRenewalGraceDays) {
    return [{ field: 'renewalGraceDays', reason: `a material change needs whole days of grace, 0–${maxRenewalGraceDays}` }];
  }
  return [];
}

/** Locks the purpose for the rest of the transaction: its notice changes one at a time. 404 when it does not exist. */
async function lockPurpose(tx: Executor, tenantId: string, purposeKey: string): Promise<void> {
  const [row] = await tx
    .select({ key: purposes.key })
    .from(purposes)
    .where(and(eq(purposes.tenantId, tenantId), eq(purposes.key, purposeKey)))
    .for('update');
  if (!row) throw purposeNotFound();
}

const noDraft = () => new DomainError('not_found', 'This purpose has no draft notice.');

/**
 * 412 when If-Match names another revision of the draft. Replacing a draft needs it: without
 * it the writer cannot have read the draft it would overwrite (412 too, with the draft's ETag).
 */
function assertRevision(draft: NoticeRow, expectedRevision: number | null): void {
  if (expectedRevision === null) {
    throw new DomainError('precondition_failed', 'This purpose has a draft notice already: send If-Match with its ETag to replace it.', [], {
      currentEtag: `"${draft.revision}"`,
    });
  }
  if (draft.revision !== expectedRevision) throw staleVersion(draft.revision, 'draft');
}

const where = (row: NoticeRow) =>
  and(eq(purposeNotices.tenantId, row.tenantId), eq(purposeNotices.purposeKey, row.purposeKey), eq(purposeNotices.version, row.version));

/**
 * Creates the purpose's draft (the next version; If-Match must be absent) or replaces its
 * title, text and language (If-Match on the draft's revision needed). Audited.
 */
export async function saveDraft(tx: Executor, ctx: AccessContext, purposeKey: string, input: DraftInput, expectedRevision: number | null): Promise<Notice> {
  const issues = draftProblems(input);
  if (issues.length > 0) refuse(issues);
  await lockPurpose(tx, ctx.tenantId, purposeKey);
  const draft = await draftNotice(tx, ctx.tenantId, purposeKey);
  const title = input.title.trim();
  const now = new Date();
  let saved: NoticeRow;
  if (draft) {
    assertRevision(draft, expectedRevision);
    const language = input.language ?? draft.language;
    if (draft.title === title && draft.bodyMarkdown === input.bodyMarkdown && draft.language === language) return withReadability(draft);
    [saved] = await tx
      .update(purposeNotices)
      .set({
        title,
        bodyMarkdown: input.bodyMarkdown,
        language,
        contentHash: noticeContentHash(input.bodyMarkdown),
        revision: sql`${purposeNotices.revision} + 1`,
        updatedAt: now,
      })
      .where(where(draft))
      .returning();
  } else {
    if (expectedRevision !== null) throw new DomainError('precondition_failed', 'This purpose has no draft notice to match If-Match; send none to start one.');
    const [{ latest }] = await tx
      .select({ latest: max(purposeNotices.version) })
      .from(purposeNotices)
      .where(and(eq(purposeNotices.tenantId, ctx.tenantId), eq(purposeNotices.purposeKey, purposeKey)));
    const published = await publishedNotice(tx, ctx.tenantId, purposeKey);
    [saved] = await tx
      .insert(purposeNotices)
      .values({
        tenantId: ctx.tenantId,
        purposeKey,
        version: (latest ?? 0) + 1,
        status: 'draft',
        title,
        language: input.language ?? published?.language ?? 'en',
        bodyMarkdown: input.bodyMarkdown,
        contentHash: noticeContentHash(input.bodyMarkdown),
        createdAt: now,
        updatedAt: now,
      })
      .returning();
  }
  await recordAudit(tx, ctx, {
    action: 'notice.draft_saved',
    object: 'notice',
    detail: { purpose: purposeKey, version: saved.version, revision: saved.revision, contentHash: saved.contentHash },
  });
  return withReadability(saved);
}

/** Discards the purpose's draft (If-Match optional). Audited. */
export async function deleteDraft(tx: Executor, ctx: AccessContext, purposeKey: string, expectedRevision: number | null): Promise<void> {
  await lockPurpose(tx, ctx.tenantId, purposeKey);
  const draft = await draftNotice(tx, ctx.tenantId, purposeKey);
  if (!draft) throw noDraft();
  if (expectedRevision !== null) assertRevision(draft, expectedRevision);
  await tx.delete(purposeNotices).where(where(draft));
  await recordAudit(tx, ctx, { action: 'notice.draft_deleted', object: 'notice', detail: { purpose: purposeKey, version: draft.version } });
}

/**
 * Publishes the purpose's draft as its current notice (If-Match optional: with it, only the
 * revision the author read is published) and retires the one it replaces. A material change
 * sets renew_by = now + the grace days: from then on, consents given under older versions no
 * longer count. Audited.
 */
export async function publishDraft(
  tx: Executor,
  ctx: AccessContext,
  purposeKey: string,
  input: PublishInput,
  expectedRevision: number | null,
  now = new Date(),
): Promise<Notice> {
  const issues = publishProblems(input);
  if (issues.length > 0) refuse(issues);
  await lockPurpose(tx, ctx.tenantId, purposeKey);
  const draft = await draftNotice(tx, ctx.tenantId, purposeKey);
  if (!draft) throw noDraft();
  if (expectedRevision !== null) assertRevision(draft, expectedRevision);
  const replaced = await publishedNotice(tx, ctx.tenantId, purposeKey);
  if (replaced) await tx.update(purposeNotices).set({ status: 'retired' }).where(where(replaced));
  const grace = input.material ? (input.renewalGraceDays ?? 0) : null;
  const [published] = await tx
    .update(purposeNotices)
    .set({
      status: 'published',
      material: input.material,
      renewalGraceDays: grace,
      publishedAt: now,
      publishedBy: actorKey(ctx.actor),
      renewBy: grace === null ? null : new Date(now.getTime() + grace * dayMs),
      // Recomputed from the text being published, so the hash is that of these exact bytes.
      contentHash: noticeContentHash(draft.bodyMarkdown),
      updatedAt: now,
    })
    .where(where(draft))
    .returning();
  await recordAudit(tx, ctx, {
    action: 'notice.published',
    object: 'notice',
    detail: {
      purpose: purposeKey,
      version: published.version,
      contentHash: published.contentHash,
      material: published.material,
      renewalGraceDays: published.renewalGraceDays,
      renewBy: published.renewBy?.toISOString() ?? null,
      retiredVersion: replaced?.version ?? null,
    },
  });
  return withReadability(published);
}
