import { sql } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import type { PurposeContext } from './accessContext.ts';
import { updateContactPersonal, type PersonalValues } from './contactRecords.ts';
import { contactBlindIndexKey, contactKeysForReading, contactKeysForWriting, openPersonal, sealPersonal } from './contactVault.ts';
import { contactBlindTokens, externalIdIndex } from './lookupTokens.ts';
import { insertTokensUnlessSuppressed } from './suppressions.ts';
import { shredSubjects, type SubjectKeys } from './vault/index.ts';
import { rowsOf } from '../db/rows.ts';

/*
 * The only code that reads or writes `import_staging.personal`. A CSV import streams its
 * rows into staging in short transactions and publishes them in one short step with
 * INSERT … SELECT, so personal values move from staging to `contacts.personal` (and their
 * lookup tokens to `lookup_tokens`) without passing through application memory again.
 *
 * Staged `personal` is `{ values, tokens, externalIdIndex }`: `values` becomes the contact's
 * personal values as they are (the same flat snake_case shape as src/kernel/contactRecords.ts),
 * `tokens` the contact's lookup tokens, computed while staging because name folding cannot
 * be done in SQL, and `externalIdIndex` the blind index of its external id (or null).
 *
 * Nothing staged is plaintext. Each staged row already carries the id its contact will get
 * (`record_id`), and its values are sealed while staging under THAT contact's subject key
 * (created here), its tokens already blind indexes. So publishing copies sealed values and
 * indexes as they are, with no decryption and no second pass through memory — the AAD binds
 * the contact id, which does not change on publish. We chose this over a separate staging
 * subject because re-sealing a million rows on publish would cost a decrypt + encrypt per
 * value inside the one short publishing transaction. The price: a batch that is discarded
 * instead of published leaves keys for contacts that never existed, so discarding shreds
 * them (abandonStagedRows), which also makes any copy of the staged rows unreadable.
 */

/** The attribute that marks a staged row as an update of the existing record `record_id` (upsert imports). */
export const updateMarker = 'update';
const updateChunkRows = 1_000;

export type StagedRow = {
  /** Physical line of the CSV where the row starts (the header is line 1). */
  line: number;
  /** Id of the contact or company the row becomes when published. */
  recordId: string;
  /** Non-personal values; for contacts the keys below (see publishStagedContacts). */
  attributes: Record<string, unknown>;
  /** Personal values of a contact row; null for rows that hold none (companies). */
  personal: PersonalValues | null;
};

/**
 * Non-personal attributes of a staged contact row, copied into the contact's columns on
 * publish. Dates are ISO 8601 strings.
 */
export type StagedContactAttributes = {
  owner_id?: string;
  company_id?: string;
  lifecycle_stage?: string;
  created_at?: string;
  /** Present (true) on a row that updates the existing contact record_id instead of creating one. */
  update?: true;
  /** What the person said per consent purpose and when (ISO 8601): ledger events on publish (importConsents.ts). */
  consents?: StagedConsent[];
};

export type StagedConsent = { purposeKey: string; state: 'given' | 'refused' | 'withdrawn'; recordedAt: string };

function stagedPersonal(keys: SubjectKeys | undefined, blindKey: Buffer, personal: PersonalValues | null): string {
  if (personal === null || !keys) return '{}';
  const tokens = contactBlindTokens(blindKey, personal).map((token) => [token.field, token.token]);
  return JSON.stringify({ values: sealPersonal(keys, personal), tokens, externalIdIndex: externalIdIndex(blindKey, personal.external_id) });
}

/**
 * Adds rows to a batch's staging area: one SELECT + one INSERT of the future contacts'
 * subject keys, one multi-row INSERT of the sealed rows. Call in a short transaction.
 */
export async function stageImportRows(tx: Executor, ctx: PurposeContext, batchId: string, rows: StagedRow[]): Promise<void> {
  if (rows.length === 0) return;
  const personalRows = rows.filter((row) => row.personal !== null);
  const keys = await contactKeysForWriting(
    tx,
    ctx.tenantId,
    personalRows.map((row) => row.recordId),
  );
  const blindKey = await contactBlindIndexKey(ctx.tenantId);
  await tx.execute(sql`
    insert into import_staging (tenant_id, batch_id, line_number, record_id, attributes, personal)
    select ${ctx.tenantId}::uuid, ${batchId}::uuid, line, record_id::uuid, attributes::jsonb, personal::jsonb
    from unnest(
      ${sql.param(rows.map((row) => row.line))}::int[],
      ${sql.param(rows.map((row) => row.recordId))}::text[],
      ${sql.param(rows.map((row) => JSON.stringify(row.attributes)))}::text[],
      ${sql.param(rows.map((row) => stagedPersonal(keys.get(row.recordId), blindKey, row.personal)))}::text[]
    ) as u(line, record_id, attributes, personal)`);
}

/**
 * Publishes a batch's staged contact rows: one INSERT … SELECT into contacts (source
 * 'import', import_batch_id set) and one into lookup_tokens, copying sealed values and
 * blind indexes as staged (they are already bound to the contact ids). Run it inside the publishing
 * transaction, after any companies the rows link to exist. Returns the contacts created.
 */
export async function publishStagedContacts(tx: Executor, ctx: PurposeContext, batchId: string, now: Date): Promise<number> {
  const at = now.toISOString();
  const inserted = await tx.execute(sql`
    insert into contacts (tenant_id, id, owner_id, company_id, lifecycle_stage, source, import_batch_id, personal, external_id_index, created_at, updated_at)
    select s.tenant_id, s.record_id, (s.attributes->>'owner_id')::uuid, (s.attributes->>'company_id')::uuid,
           coalesce(s.attributes->>'lifecycle_stage', 'lead'), 'import', s.batch_id, s.personal->'values', s.personal->>'externalIdIndex',
           coalesce((s.attributes->>'created_at')::timestamptz, ${at}::timestamptz), ${at}::timestamptz
    from import_staging s
    where s.tenant_id = ${ctx.tenantId} and s.batch_id = ${batchId} and not (s.attributes ? ${updateMarker})`);
  // Rows were checked when staged (src/crm/import); the same statement still refuses an
  // address suppressed since (suppressions.ts).
  await insertTokensUnlessSuppressed(
    tx,
    ctx.tenantId,
    sql`
    insert into lookup_tokens (tenant_id, object, field, token, record_id)
    select s.tenant_id, 'contact', t.value->>0, t.value->>1, s.record_id
    from import_staging s cross join lateral jsonb_array_elements(s.personal->'tokens') as t(value)
    where s.tenant_id = ${ctx.tenantId} and s.batch_id = ${batchId} and not (s.attributes ? ${updateMarker})
    on conflict do nothing`,
  );
  return affectedRows(inserted);
}

/** Ids of the existing records a batch's staged update rows change. */
export async function stagedUpdateIds(tx: Executor, ctx: PurposeContext, batchId: string): Promise<string[]> {
  const rows = await tx.execute(
    sql`select record_id from import_staging where tenant_id = ${ctx.tenantId} and batch_id = ${batchId} and attributes ? ${updateMarker}`,
  );
  return rowsOf<{ record_id: string }>(rows).map((row) => row.record_id);
}

/**
 * Applies a batch's staged update rows (an upsert import's rows that matched an existing
 * contact; their record_id is that contact's id, so they were sealed under its key):
 * per chunk of 1,000 one SELECT of the staged values and one of the keys, then per contact
 * the same merge as any change (updateContactPersonal: only the row's non-empty cells
 * change, lookup tokens and external id index recomputed), then one UPDATE of the
 * non-personal columns and the version for the whole batch. Returns the ids updated.
 */
export async function publishStagedContactUpdates(tx: Executor, ctx: PurposeContext, batchId: string, now: Date): Promise<string[]> {
  const updated: string[] = [];
  let afterLine = 0;
  for (;;) {
    const rows = rowsOf<{ line_number: number; record_id: string; sealed: Record<string, unknown> | null }>(
      await tx.execute(sql`
        select line_number, record_id, personal->'values' as sealed from import_staging
        where tenant_id = ${ctx.tenantId} and batch_id = ${batchId} and attributes ? ${updateMarker} and line_number > ${afterLine}
        order by line_number limit ${updateChunkRows}`),
    );
    if (rows.length === 0) break;
    const keys = await contactKeysForReading(
      tx,
      ctx.tenantId,
      rows.map((row) => row.record_id),
    );
    for (const row of rows) {
      const values = openPersonal(keys.get(row.record_id), row.record_id, row.sealed ?? {});
      if (Object.keys(values).length > 0) await updateContactPersonal(tx, ctx, row.record_id, values);
      updated.push(row.record_id);
    }
    afterLine = rows[rows.length - 1].line_number;
  }
  if (updated.length === 0) return updated;
  await tx.execute(sql`
    update contacts c set
      owner_id = coalesce((s.attributes->>'owner_id')::uuid, c.owner_id),
      company_id = coalesce((s.attributes->>'company_id')::uuid, c.company_id),
      lifecycle_stage = coalesce(s.attributes->>'lifecycle_stage', c.lifecycle_stage),
      version = c.version + 1, updated_at = ${now.toISOString()}::timestamptz
    from import_staging s
    where s.tenant_id = ${ctx.tenantId} and s.batch_id = ${batchId} and s.attributes ? ${updateMarker}
      and c.tenant_id = s.tenant_id and c.id = s.record_id`);
  return updated;
}

/** Companies named by a contact batch that did not exist yet: one per distinct key, created before the contacts. */
export async function publishLinkedCompanies(tx: Executor, ctx: PurposeContext, batchId: string, at: string): Promise<number> {
  const inserted = await tx.execute(sql`
    insert into companies (tenant_id, id, name, domain, source, import_batch_id, created_at, updated_at)
    select distinct on (s.attributes->>'company_id')
           s.tenant_id, (s.attributes->>'company_id')::uuid, s.attributes->'new_company'->>'name',
           s.attributes->'new_company'->>'domain', 'import', s.batch_id, ${at}::timestamptz, ${at}::timestamptz
    from import_staging s
    where s.tenant_id = ${ctx.tenantId} and s.batch_id = ${batchId} and s.attributes ? 'new_company'
    order by s.attributes->>'company_id', s.line_number`);
  return affectedRows(inserted);
}

/** The rows of a company batch; companies hold no personal values, so they come from attributes only. */
export async function publishStagedCompanies(tx: Executor, ctx: PurposeContext, batchId: string, at: string): Promise<number> {
  const inserted = await tx.execute(sql`
    insert into companies (tenant_id, id, name, domain, industry, phone, city, country, employee_count,
                           annual_revenue_minor, owner_id, source, external_id, import_batch_id, created_at, updated_at)
    select s.tenant_id, s.record_id, a->>'name', a->>'domain', a->>'industry', a->>'phone', a->>'city', a->>'country',
           (a->>'employee_count')::int, (a->>'annual_revenue_minor')::bigint, (a->>'owner_id')::uuid, 'import',
           a->>'external_id', s.batch_id, coalesce((a->>'created_at')::timestamptz, ${at}::timestamptz), ${at}::timestamptz
    from import_staging s cross join lateral (select s.attributes) as r(a)
    where s.tenant_id = ${ctx.tenantId} and s.batch_id = ${batchId} and not (s.attributes ? ${updateMarker})`);
  return affectedRows(inserted);
}

/**
 * The update rows of a company batch (upsert import): the file's non-empty cells replace
 * the company's values, the others stay. Companies hold no personal values: one UPDATE.
 * Returns the ids updated.
 */
export async function publishStagedCompanyUpdates(tx: Executor, ctx: PurposeContext, batchId: string, at: string): Promise<string[]> {
  const updated = await tx.execute(sql`
    update companies c set
      name = coalesce(a->>'name', c.name), domain = coalesce(a->>'domain', c.domain), industry = coalesce(a->>'industry', c.industry),
      phone = coalesce(a->>'phone', c.phone), city = coalesce(a->>'city', c.city), country = coalesce(a->>'country', c.country),
      employee_count = coalesce((a->>'employee_count')::int, c.employee_count),
      annual_revenue_minor = coalesce((a->>'annual_revenue_minor')::bigint, c.annual_revenue_minor),
      owner_id = coalesce((a->>'owner_id')::uuid, c.owner_id), external_id = coalesce(a->>'external_id', c.external_id),
      version = c.version + 1, updated_at = ${at}::timestamptz
    from import_staging s cross join lateral (select s.attributes) as r(a)
    where s.tenant_id = ${ctx.tenantId} and s.batch_id = ${batchId} and s.attributes ? ${updateMarker}
      and c.tenant_id = s.tenant_id and c.id = s.record_id
    returning c.id`);
  return rowsOf<{ id: string }>(updated).map((row) => row.id);
}

/** Deletes a batch's staged rows after publishing: their keys now belong to the published contacts. */
export async function discardStagedRows(tx: Executor, ctx: PurposeContext, batchId: string): Promise<number> {
  const deleted = await tx.execute(sql`delete from import_staging where tenant_id = ${ctx.tenantId} and batch_id = ${batchId}`);
  return affectedRows(deleted);
}

/**
 * Deletes the staged rows of a batch that will not be published (failed, abandoned) and
 * shreds the keys they were sealed under, for contacts that never came to exist (an update
 * row was sealed under an existing contact's key: that key stays). Two
 * statements: the DELETE … RETURNING and the shredding.
 */
export async function abandonStagedRows(tx: Executor, ctx: PurposeContext, batchId: string): Promise<number> {
  const deleted = await tx.execute(sql`
    delete from import_staging where tenant_id = ${ctx.tenantId} and batch_id = ${batchId}
    returning record_id, personal ? 'values' and not attributes ? ${updateMarker} as sealed`);
  const rows = rowsOf<{ record_id: string; sealed: boolean }>(deleted);
  await shredSubjects(
    tx,
    ctx.tenantId,
    rows.flatMap((row) => (row.sealed ? [row.record_id] : [])),
  );
  return rows.length;
}

/** Number of rows a batch has staged; counts only, no values. */
export async function countStagedRows(tx: Executor, ctx: PurposeContext, batchId: string): Promise<number> {
  const result = await tx.execute(sql`select count(*)::int as n from import_staging where tenant_id = ${ctx.tenantId} and batch_id = ${batchId}`);
  return rowsOf<{ n: number }>(result)[0]?.n ?? 0;
}

// node-postgres reports `rowCount`, PGlite `affectedRows`.
function affectedRows(result: unknown): number {
  const { rowCount, affectedRows: affected } = result as { rowCount?: number | null; affectedRows?: number };
  return rowCount ?? affected ?? 0;
}
