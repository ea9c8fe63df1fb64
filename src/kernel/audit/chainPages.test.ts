import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../test/support/testDatabase.ts';
import { newId } from '../../db/ids.ts';
import { systemContext } from '../accessContext.ts';
import { appendAuditBatch } from './append.ts';
import { entryHash, genesisHash, type ChainedFields } from './canonical.ts';
import { readPackedPage, visitPackedPage, visitRows } from './chainPages.ts';
import type { AuditRecord } from './entry.ts';
import { eraseSubjectTrails } from './erasure.ts';
import { inMemoryAuditKeys } from './keys.ts';
import { verifyAuditChain } from './verify.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());

type Visit = [sequence: number, computedHash: string, hash: string, previousHash: string];

/** What verification sees of entries 1..through: packed pages, with the row path for whatever they hand back. */
async function packedVisits(tenantId: string, through: number): Promise<{ visits: Visit[]; handedBack: number[] }> {
  const visits: Visit[] = [];
  const handedBack: number[] = [];
  const page = await readPackedPage(database.db, tenantId, 0, through);
  const visited = visitPackedPage(page, tenantId, (...visit) => visits.push(visit));
  if (visited < through) {
    handedBack.push(visited);
    await visitRows(database.db, tenantId, visited, through, (...visit) => visits.push(visit));
  }
  return { visits, handedBack };
}

async function rowVisits(tenantId: string, through: number): Promise<Visit[]> {
  const visits: Visit[] = [];
  await visitRows(database.db, tenantId, 0, through, (...visit) => visits.push(visit));
  return visits;
}

async function chainOf(records: AuditRecord[], purpose: string | null = 'sales'): Promise<string> {
  const tenantId = newId();
  await appendAuditBatch(database.db, { ...systemContext(tenantId, 'pages-test'), purpose }, records);
  return tenantId;
}

describe('reading the chain as packed pages', () => {
  it('decodes a page of ordinary entries without the row path, to the hashes the row path computes', async () => {
    const records = Array.from({ length: 30 }, (_, index) => ({
      action: 'deal.updated',
      object: 'deal',
      recordIds: [newId()],
      fields: ['amount', 'stage'],
      detail: { index, tags: ['a', 'b'] },
    }));
    const tenantId = await chainOf(records);
    const { visits, handedBack } = await packedVisits(tenantId, 30);
    expect(handedBack).toEqual([]);
    expect(visits).toEqual(await rowVisits(tenantId, 30));
    expect(visits.every(([, computed, hash]) => computed === hash)).toBe(true);
  });

  it('hands an entry with a quoted array element, and the rest of its page, to the row path', async () => {
    const tenantId = await chainOf([{ action: 'a', fields: ['plain'] }, { action: 'b', fields: ['needs "quotes"', 'a b', 'NULL', ''] }, { action: 'c' }]);
    const { visits, handedBack } = await packedVisits(tenantId, 3);
    expect(handedBack).toEqual([1]);
    expect(visits).toEqual(await rowVisits(tenantId, 3));
  });

  it('reads the whole page row by row when a value holds a separator, so no value can pose as another entry', async () => {
    const forgedLooking = `x\u001e2\u001f2026-01-01T00:00:00.000Z`;
    const tenantId = await chainOf([{ action: 'a' }, { action: forgedLooking, detail: { note: 'unit\u001fseparator' } }, { action: 'c' }], null);
    const { visits, handedBack } = await packedVisits(tenantId, 3);
    expect(handedBack).toEqual([0]);
    expect(visits).toEqual(await rowVisits(tenantId, 3));
    expect(await verifyAuditChain(database.db, tenantId, { pageSize: 2 })).toMatchObject({ ok: true, entries: 3 });
  });

  it('agrees with the row path for arbitrary entries, and the chain verifies', async () => {
    const text = fc.string({ unit: 'binary', maxLength: 12 }).filter((value) => !value.includes('\u0000'));
    const scalar = fc.oneof(text, fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.boolean(), fc.constant(null));
    const record = fc.record(
      {
        action: text.filter((value) => value.length > 0),
        object: text,
        fields: fc.array(text, { maxLength: 4 }),
        reasons: fc.array(fc.oneof(text, fc.record({ reason: text, field: text, subjects: fc.nat() }, { requiredKeys: ['reason'] })), { maxLength: 3 }),
        detail: fc.dictionary(text, fc.oneof(scalar, fc.array(text, { maxLength: 3 })), { maxKeys: 4 }),
      },
      { requiredKeys: ['action'] },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 6 }), fc.option(text.filter((value) => value.length > 0)), async (records, purpose) => {
        const tenantId = await chainOf(records, purpose);
        const { visits } = await packedVisits(tenantId, records.length);
        expect(visits).toEqual(await rowVisits(tenantId, records.length));
        expect(await verifyAuditChain(database.db, tenantId, { pageSize: 4 })).toMatchObject({ ok: true, entries: records.length });
      }),
      { numRuns: 40 },
    );
  });

  it('decodes version-1 entries, version-2 entries and erasure entries alike, to the hashes the row path computes', async () => {
    const tenantId = newId();
    // Two entries as the release before version 2 wrote them.
    let previousHash = genesisHash;
    for (const sequence of [1, 2]) {
      const fields: ChainedFields = {
        version: 1,
        tenantId,
        sequence,
        occurredAt: '2026-01-02T03:04:05.678Z',
        actorType: 'system',
        actorId: 'previous-release',
        purpose: 'sales',
        action: 'contact.read',
        object: 'contact',
        recordIds: [],
        fields: ['email'],
        decision: 'allow',
        reasons: [],
        subjectPseudonyms: ['ab'.repeat(16)],
        erasedPseudonyms: [],
        detail: { sequence },
        previousHash,
      };
      previousHash = entryHash(fields);
      await database.query(
        `insert into audit_entries (tenant_id, sequence, occurred_at, actor_type, actor_id, purpose, action, object, fields, subject_pseudonyms, detail, previous_hash, hash, version)
         values ($1, $2, $3, 'system', 'previous-release', 'sales', 'contact.read', 'contact', '{email}', $4, $5, $6, $7, 1)`,
        [tenantId, sequence, fields.occurredAt, fields.subjectPseudonyms, JSON.stringify(fields.detail), fields.previousHash, previousHash],
      );
      await database.query('insert into audit_subjects (tenant_id, pseudonym, sequence) values ($1, $2, $3)', [tenantId, 'ab'.repeat(16), sequence]);
    }
    await database.query('insert into audit_heads (tenant_id, sequence, hash) values ($1, 2, $2)', [tenantId, previousHash]);
    const keys = inMemoryAuditKeys();
    const ctx = systemContext(tenantId, 'pages-test', 'sales');
    const subject = newId();
    await appendAuditBatch(database.db, ctx, [{ action: 'contact.read', subjectIds: [subject, newId()] }, { action: 'deal.updated' }], { keys });
    expect(await eraseSubjectTrails(database.db, ctx, [subject], { keys })).toHaveLength(1);
    const { visits, handedBack } = await packedVisits(tenantId, 5);
    expect(handedBack).toEqual([]);
    expect(visits).toEqual(await rowVisits(tenantId, 5));
    expect(visits.every(([, computed, hash]) => computed === hash)).toBe(true);
    expect(await verifyAuditChain(database.db, tenantId, { pageSize: 3 })).toMatchObject({ ok: true, entries: 5 });
  });
});
