import { sql } from 'drizzle-orm';
import { boolean, check, foreignKey, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, tenantId, timestampColumn, updatedAt } from './columns.ts';
import { purposes } from './purposes.ts';

/*
 * The plain-language notice of each purpose, in versions 1, 2, 3… of its own (not
 * purposes.version, which is the purpose's ETag). A purpose has at most one draft and one
 * published notice; publishing a draft retires the notice it replaces. A published or
 * retired notice never changes again (a trigger refuses it, migration 0020): a consent
 * records the version and content_hash it was given under, so the words must stay what the
 * person read. Notices hold no personal data.
 */
export const purposeNotices = pgTable(
  'purpose_notices',
  {
    tenantId: tenantId(),
    purposeKey: text('purpose_key').notNull(),
    /** The notice's own number, 1, 2, 3… per purpose. */
    version: integer('version').notNull(),
    status: text('status').$type<'draft' | 'published' | 'retired'>().notNull(),
    title: text('title').notNull(),
    /** BCP 47 language tag of the text. */
    language: text('language').notNull().default('en'),
    bodyMarkdown: text('body_markdown').notNull(),
    /** SHA-256 (hex) of body_markdown's UTF-8 bytes; consents store it as their notice_hash. */
    contentHash: text('content_hash').notNull(),
    /** A material change (set when published): consents given under older versions stop counting at renew_by. */
    material: boolean('material').notNull().default(false),
    renewalGraceDays: integer('renewal_grace_days'),
    publishedAt: timestampColumn('published_at'),
    /** actorKey of who published it ("user:<id>", "api_key:<id>", "system:<name>"). */
    publishedBy: text('published_by'),
    /** published_at + renewal_grace_days, for a material version only. */
    renewBy: timestampColumn('renew_by'),
    /** A draft's edit counter, sent as its ETag (If-Match on the next edit or publish). */
    revision: integer('revision').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.purposeKey, t.version] }),
    foreignKey({ columns: [t.tenantId, t.purposeKey], foreignColumns: [purposes.tenantId, purposes.key] }).onDelete('cascade'),
    check('purpose_notices_status_check', sql`${t.status} in ('draft', 'published', 'retired')`),
    check('purpose_notices_version_check', sql`${t.version} >= 1`),
    check('purpose_notices_published_check', sql`(${t.status} = 'draft') = (${t.publishedAt} is null)`),
    check(
      'purpose_notices_material_check',
      sql`(${t.material} and ${t.status} <> 'draft' and ${t.renewalGraceDays} between 0 and 365 and ${t.renewBy} is not null) or (not ${t.material} and ${t.renewalGraceDays} is null and ${t.renewBy} is null)`,
    ),
    // At most one draft and one published notice per purpose.
    uniqueIndex('purpose_notices_one_draft_idx').on(t.tenantId, t.purposeKey).where(sql`${t.status} = 'draft'`),
    uniqueIndex('purpose_notices_one_published_idx').on(t.tenantId, t.purposeKey).where(sql`${t.status} = 'published'`),
  ],
);
