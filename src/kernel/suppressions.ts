import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { rowsOf } from '../db/rows.ts';
import { DomainError } from '../shared/domainError.ts';
import { normalizeEmail } from '../shared/normalize.ts';
import type { AccessContext } from './accessContext.ts';
import { appendAudit } from './audit.ts';
import { contactBlindIndexKey } from './contactVault.ts';
import { blindToken } from './lookupTokens.ts';

/*
 * Suppressions: the e-mail addresses of erased people, kept so the person cannot come back
 * through a create, a PATCH, a batch upsert, an import, a merge or a collection unless they
 * return with fresh consent. A suppression holds the blind index of the address (the same
 * one its lookup token had, so a check is an indexed join or one lookup) and the time;
 * never the address, never the erased subject's id. Without the workspace's blind-index
 * key the entry is a random-looking string; with it, only a guess can be tested.
 */

const tokenObject = 'contact';

/** The 409 `suppressed` problem: names the field, never echoes the address. */
export function suppressedError(field: string): DomainError {
  return new DomainError(
    'suppressed',
    'This e-mail address belongs to a person who was erased; it comes back only with their fresh consent (a form, the widget or the privacy portal).',
    [{ field, reason: 'suppressed' }],
  );
}

/**
 * Suppresses the e-mail addresses the subjects' lookup tokens hold (call before their
 * tokens are deleted). One statement; returns how many addresses were newly suppressed.
 */
export async function suppressSubjectEmails(tx: Executor, tenantId: string, subjectIds: readonly string[], at: Date): Promise<number> {
  if (subjectIds.length === 0) return 0;
  const inserted = await tx.execute(sql`
    insert into suppressions (tenant_id, email_index, suppressed_at)
    select distinct l.tenant_id, l.token, ${at.toISOString()}::timestamptz from lookup_tokens l
    where l.tenant_id = ${tenantId}::uuid and l.object = ${tokenObject} and l.field = 'email' and l.record_id = any(${sql.param([...subjectIds])}::uuid[])
    on conflict do nothing
    returning email_index`);
  return rowsOf<unknown>(inserted).length;
}

/** Of these addresses (any spelling), the normalised ones that are suppressed. One lookup. */
export async function suppressedEmails(tx: Executor, tenantId: string, emails: readonly string[]): Promise<Set<string>> {
  const normalized = [...new Set(emails.flatMap((email) => normalizeEmail(email) ?? []))];
  if (normalized.length === 0) return new Set();
  const key = await contactBlindIndexKey(tenantId);
  const byIndex = new Map(normalized.map((email) => [blindToken(key, 'email', email), email]));
  const rows = rowsOf<{ email_index: string }>(
    await tx.execute(sql`
      select email_index from suppressions where tenant_id = ${tenantId}::uuid and email_index = any(${sql.param([...byIndex.keys()])}::text[])`),
  );
  return new Set(rows.map((row) => byIndex.get(row.email_index)!));
}

/** Refuses (409 suppressed, naming `field`) when any of the addresses is suppressed. */
export async function assertEmailsNotSuppressed(tx: Executor, tenantId: string, emails: readonly string[], field = 'email'): Promise<void> {
  if ((await suppressedEmails(tx, tenantId, emails)).size > 0) throw suppressedError(field);
}

/**
 * The kernel's own check, in the very statement that writes lookup tokens (create, import
 * publish, merge, update): runs `insert` (an INSERT INTO lookup_tokens without RETURNING)
 * and refuses (409 suppressed) when a token it wrote is a suppressed address. No extra
 * statement; the caller's transaction rolls the write back.
 */
export async function insertTokensUnlessSuppressed(tx: Executor, tenantId: string, insert: SQL): Promise<void> {
  const [row] = rowsOf<{ suppressed: boolean }>(
    await tx.execute(sql`
      with inserted as (${insert} returning field, token)
      select exists (
        select 1 from inserted i join suppressions s on s.tenant_id = ${tenantId}::uuid and s.email_index = i.token where i.field = 'email'
      ) as suppressed`),
  );
  if (row?.suppressed) throw suppressedError('email');
}

/**
 * Lifts the suppression of one address because the person came back with fresh consent
 * through `channel`; audited as `suppression.lifted` (the channel, never the address).
 * Returns whether a suppression was lifted.
 */
export async function liftSuppression(tx: Executor, ctx: AccessContext, email: string, channel: string): Promise<boolean> {
  const normalized = normalizeEmail(email);
  if (!normalized) return false;
  const index = blindToken(await contactBlindIndexKey(ctx.tenantId), 'email', normalized);
  const lifted = rowsOf<unknown>(
    await tx.execute(sql`delete from suppressions where tenant_id = ${ctx.tenantId}::uuid and email_index = ${index} returning email_index`),
  );
  if (lifted.length === 0) return false;
  await appendAudit(tx, ctx, { action: 'suppression.lifted', object: 'suppression', detail: { channel, reason: 'fresh_consent' } });
  return true;
}
