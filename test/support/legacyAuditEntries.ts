import { entryHash, type ChainedFields } from '../../src/kernel/audit.ts';
import { auditTampering } from './auditTampering.ts';
import type { TestDatabase } from './testDatabase.ts';

/** Entries of the release before encoding version 2, in a test file's database (a getter, as it opens in beforeAll). */
export function legacyAuditEntries(database: () => TestDatabase) {
  const { raw, insertEntry } = auditTampering(database);

  /**
   * Entries as the release before encoding version 2 wrote them: version 1, no erased
   * pseudonyms, hashed with the version-1 encoding; their subject index rows and the head too.
   */
  async function appendLegacyEntries(tenantId: string, records: Array<{ action: string; subjectPseudonyms?: string[] }>) {
    const [head] = await raw('select sequence, hash from audit_heads where tenant_id = $1', [tenantId]);
    let sequence = head ? Number(head.sequence) : 0;
    let previousHash = head ? String(head.hash) : '0'.repeat(64);
    for (const record of records) {
      sequence += 1;
      const fields: ChainedFields = {
        version: 1,
        tenantId,
        sequence,
        occurredAt: new Date().toISOString(),
        actorType: 'system',
        actorId: 'previous-release',
        purpose: 'sales',
        action: record.action,
        object: 'contact',
        recordIds: [],
        fields: ['email'],
        decision: 'allow',
        reasons: [],
        subjectPseudonyms: [...(record.subjectPseudonyms ?? [])].sort(),
        erasedPseudonyms: [],
        detail: {},
        previousHash,
      };
      previousHash = entryHash(fields);
      await insertEntry(tenantId, fields, previousHash);
      for (const pseudonym of fields.subjectPseudonyms)
        await raw('insert into audit_subjects (tenant_id, pseudonym, sequence) values ($1, $2, $3)', [tenantId, pseudonym, sequence]);
    }
    await raw(
      `insert into audit_heads (tenant_id, sequence, hash) values ($1, $2, $3)
       on conflict (tenant_id) do update set sequence = excluded.sequence, hash = excluded.hash`,
      [tenantId, sequence, previousHash],
    );
  }

  return { appendLegacyEntries };
}
