import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { purposes } from '../db/schema/index.ts';
import { DomainError } from '../shared/domainError.ts';
import { defaultPurposes } from './defaultPurposes.ts';
import { publishFirstNotices } from './notices/firstNotice.ts';

export type Purpose = typeof purposes.$inferSelect;

export async function listPurposes(db: Executor, tenantId: string): Promise<Purpose[]> {
  return db.select().from(purposes).where(eq(purposes.tenantId, tenantId)).orderBy(asc(purposes.key));
}

export async function installDefaultPurposes(db: Executor, tenantId: string): Promise<void> {
  await db
    .insert(purposes)
    .values(defaultPurposes.map((purpose) => ({ tenantId, ...purpose })))
    .onConflictDoNothing();
  // Each with notice version 1, its description (src/privacy/notices/firstNotice.ts).
  await publishFirstNotices(db, tenantId, defaultPurposes, 'system:workspace-setup');
}

export async function purposeExists(db: Executor, tenantId: string, key: string): Promise<boolean> {
  const rows = await db
    .select({ key: purposes.key })
    .from(purposes)
    .where(and(eq(purposes.tenantId, tenantId), eq(purposes.key, key)))
    .limit(1);
  return rows.length === 1;
}

export async function assertPurposesExist(db: Executor, tenantId: string, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  const found = await db
    .select({ key: purposes.key })
    .from(purposes)
    .where(and(eq(purposes.tenantId, tenantId), inArray(purposes.key, keys)));
  const known = new Set(found.map((row) => row.key));
  const unknown = keys.filter((key) => !known.has(key));
  if (unknown.length > 0) {
    throw new DomainError('unknown_purpose', `Unknown purpose: ${unknown.join(', ')}. GET /api/v1/purposes lists this workspace's purposes.`, [
      { field: 'purposes', reason: `unknown purpose ${unknown.join(', ')}` },
    ]);
  }
}
