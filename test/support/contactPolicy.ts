import { sql } from 'drizzle-orm';
import { defaultRoleGrants, insertRoleGrants, toPolicyPurpose, type SubjectState } from '../../src/kernel/policy/index.ts';
import type { TestApp } from './testApp.ts';

/** Installs each role's default purpose grants in a workspace (kept when already there). */
export async function grantTestDefaults(t: TestApp, tenantId: string): Promise<void> {
  const result = await t.database.db.execute(sql`select key, legal_basis, data_use from purposes where tenant_id = ${tenantId}::uuid`);
  const purposes = (result as unknown as { rows: Array<{ key: string; legal_basis: string; data_use: string }> }).rows.map((row) =>
    toPolicyPurpose({ key: row.key, legalBasis: row.legal_basis, dataUse: row.data_use }),
  );
  await insertRoleGrants(t.database.db, tenantId, defaultRoleGrants(purposes));
}

/** A subject's state with the facts given and no others: no consent, objection, restriction or erasure. */
export const subjectState = (subjectId: string, facts: Partial<SubjectState>): SubjectState => ({
  subjectId,
  consents: [],
  objections: [],
  restrictions: [],
  erasures: [],
  ...facts,
});
