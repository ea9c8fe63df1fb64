import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/db/ids.ts';
import { systemContext, type AccessContext } from '../src/kernel/accessContext.ts';
import {
  appendAudit,
  appendAuditBatch,
  auditTrailForSubject,
  checkpointMessage,
  configureAudit,
  createCheckpoint,
  encodePublicKey,
  entryHash,
  eraseSubjectTrails,
  inMemoryAuditKeys,
  legacySubjectPseudonym,
  listAuditEntries,
  pseudonymsOfSubject,
  verifyAuditChain,
  type AuditEntry,
  type ChainedFields,
} from '../src/kernel/audit.ts';
import { createTestApp, type TestApp } from './support/testApp.ts';

const checkpointEvery = 10;
const keys = inMemoryAuditKeys();
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  // After createTestApp, which gives the audit trail the test kernel's key store.
  configureAudit({ keys, checkpointEvery });
});
afterAll(() => t.close());

const db = () => t.database.db;

/** A fresh workspace chain of `length` entries about non-subject records. */
async function chainOf(length: number): Promise<{ tenantId: string; ctx: AccessContext }> {
  const tenantId = newId();
  const ctx = systemContext(tenantId, 'audit-test', 'sales');
  await appendAuditBatch(
    db(),
    ctx,
    Array.from({ length }, (_, index) => ({ action: 'deal.updated', object: 'deal', recordIds: [newId()], fields: ['amount', 'stage'], detail: { index } })),
  );
  return { tenantId, ctx };
}

const entriesOf = (tenantId: string) => listAuditEntries(db(), tenantId, { limit: 1000 });

const chainedFieldsOf = (tenantId: string, entry: AuditEntry): ChainedFields => ({
  version: entry.version,
  tenantId,
  sequence: entry.sequence,
  occurredAt: entry.occurredAt,
  actorType: entry.actor.type,
  actorId: entry.actor.id,
  purpose: entry.purpose,
  action: entry.action,
  object: entry.object,
  recordIds: entry.recordIds,
  fields: entry.fields,
  decision: entry.decision,
  reasons: entry.reasons,
  subjectPseudonyms: entry.subjectPseudonyms,
  erasedPseudonyms: entry.erasedPseudonyms,
  detail: entry.detail,
  previousHash: entry.previousHash,
});

/** Raw SQL as the superuser with the append-only triggers switched off, as an attacker would. */
async function tamper(work: () => Promise<unknown>) {
  const tables = ['audit_entries', 'audit_subjects', 'audit_checkpoints'];
  for (const table of tables) await t.database.exec(`alter table ${table} disable trigger user`);
  try {
    await work();
  } finally {
    for (const table of tables) await t.database.exec(`alter table ${table} enable trigger user`);
  }
}

const raw = (text: string, params: unknown[]) => t.database.query(text, params);

async function insertEntry(tenantId: string, fields: ChainedFields, hash: string) {
  await raw(
    `insert into audit_entries (tenant_id, sequence, occurred_at, actor_type, actor_id, purpose, action, object, record_ids, fields,
                                decision, reasons, subject_pseudonyms, detail, previous_hash, hash, version, erased_pseudonyms)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
    [
      tenantId,
      fields.sequence,
      fields.occurredAt,
      fields.actorType,
      fields.actorId,
      fields.purpose,
      fields.action,
      fields.object,
      fields.recordIds,
      fields.fields,
      fields.decision,
      JSON.stringify(fields.reasons),
      fields.subjectPseudonyms,
      JSON.stringify(fields.detail),
      fields.previousHash,
      hash,
      fields.version,
      fields.erasedPseudonyms,
    ],
  );
}

/** Moves entries from `from` on by `by` places (two steps, so the primary key never collides). */
async function shiftEntries(tenantId: string, from: number, by: number) {
  await raw('update audit_entries set sequence = sequence + 1000000 where tenant_id = $1 and sequence >= $2', [tenantId, from]);
  await raw('update audit_entries set sequence = sequence - 1000000 + $2 where tenant_id = $1 and sequence >= 1000000', [tenantId, by]);
}

describe('the audit hash chain', () => {
  it('verifies an untouched chain, with its checkpoints signed by a key the key store holds', async () => {
    const { tenantId } = await chainOf(25);
    const result = await verifyAuditChain(db(), tenantId, { keys, pageSize: 7 });
    expect(result).toMatchObject({ ok: true, entries: 25, checkpoints: 2, signersTrusted: true, lastCheckpoint: { sequence: 20 } });
  });

  it('assigns gapless sequences to 20 concurrent transactions', async () => {
    const tenantId = newId();
    const ctx = systemContext(tenantId, 'audit-test', 'sales');
    const sequences = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        db().transaction((tx) => appendAudit(tx, ctx, { action: 'contact.read', fields: ['email'], detail: { index } })),
      ),
    );
    expect([...sequences].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
    expect(await verifyAuditChain(db(), tenantId, { keys })).toMatchObject({ ok: true, entries: 20 });
  });

  it('leaves no gap when the transaction that appended rolls back', async () => {
    const { tenantId, ctx } = await chainOf(3);
    await expect(
      db().transaction(async (tx) => {
        await appendAudit(tx, ctx, { action: 'contact.updated' });
        throw new Error('the write failed');
      }),
    ).rejects.toThrow('the write failed');
    expect(await appendAudit(db(), ctx, { action: 'contact.updated' })).toBe(4);
    expect(await verifyAuditChain(db(), tenantId)).toMatchObject({ ok: true, entries: 4 });
  });

  it('signs a checkpoint at the head on demand', async () => {
    const { tenantId } = await chainOf(4);
    const checkpoint = await createCheckpoint(db(), tenantId, keys);
    expect(checkpoint).toMatchObject({ sequence: 4, publicKey: encodePublicKey((await keys.signer(tenantId)).publicKey) });
    expect(await createCheckpoint(db(), tenantId, keys)).toEqual(checkpoint);
    expect(await verifyAuditChain(db(), tenantId, { keys })).toMatchObject({ ok: true, lastCheckpoint: { sequence: 4 } });
  });
});

describe('tampering with raw SQL (superuser, triggers disabled)', () => {
  it('changing a field of an entry breaks the chain at that entry', async () => {
    const { tenantId } = await chainOf(12);
    await tamper(() => raw(`update audit_entries set fields = '{amount}' where tenant_id = $1 and sequence = 5`, [tenantId]));
    expect(await verifyAuditChain(db(), tenantId)).toMatchObject({ ok: false, firstBrokenSequence: 5 });
  });

  it('changing an entry and recomputing its hash breaks the chain at that entry', async () => {
    const { tenantId } = await chainOf(12);
    const entry = (await entriesOf(tenantId))[4];
    const forged = { ...chainedFieldsOf(tenantId, entry), purpose: 'marketing' };
    await tamper(() =>
      raw('update audit_entries set purpose = $3, hash = $4 where tenant_id = $1 and sequence = $2', [tenantId, 5, forged.purpose, entryHash(forged)]),
    );
    expect(await verifyAuditChain(db(), tenantId)).toMatchObject({ ok: false, firstBrokenSequence: 5 });
  });

  it('deleting an entry breaks the chain at its sequence, whether or not later entries are renumbered', async () => {
    const gap = await chainOf(12);
    await tamper(() => raw('delete from audit_entries where tenant_id = $1 and sequence = 5', [gap.tenantId]));
    expect(await verifyAuditChain(db(), gap.tenantId)).toMatchObject({ ok: false, firstBrokenSequence: 5 });

    const closed = await chainOf(12);
    await tamper(async () => {
      await raw('delete from audit_entries where tenant_id = $1 and sequence = 5', [closed.tenantId]);
      await shiftEntries(closed.tenantId, 6, -1);
    });
    expect(await verifyAuditChain(db(), closed.tenantId)).toMatchObject({ ok: false, firstBrokenSequence: 5 });
  });

  it('inserting a forged entry in the middle breaks the chain at the inserted entry, even with a correctly computed hash', async () => {
    for (const hashIsValid of [false, true]) {
      const { tenantId } = await chainOf(12);
      const [, , , fourth] = await entriesOf(tenantId);
      const forged = { ...chainedFieldsOf(tenantId, fourth), sequence: 5, action: 'contact.exported', previousHash: fourth.hash };
      await tamper(async () => {
        await shiftEntries(tenantId, 5, 1);
        await insertEntry(tenantId, forged, hashIsValid ? entryHash(forged) : fourth.hash);
      });
      expect(await verifyAuditChain(db(), tenantId)).toMatchObject({ ok: false, firstBrokenSequence: 5 });
    }
  });

  it('a rewritten chain (every later hash recomputed) fails at the next signed checkpoint', async () => {
    const { tenantId } = await chainOf(14);
    const entries = await entriesOf(tenantId);
    let previousHash = entries[2].hash;
    await tamper(async () => {
      for (const entry of entries.slice(3)) {
        const fields = { ...chainedFieldsOf(tenantId, entry), previousHash, ...(entry.sequence === 4 ? { action: 'nothing.happened' } : {}) };
        previousHash = entryHash(fields);
        await raw('update audit_entries set action = $3, previous_hash = $4, hash = $5 where tenant_id = $1 and sequence = $2', [
          tenantId,
          entry.sequence,
          fields.action,
          fields.previousHash,
          previousHash,
        ]);
      }
      await raw('update audit_heads set hash = $2 where tenant_id = $1', [tenantId, previousHash]);
    });
    expect(await verifyAuditChain(db(), tenantId)).toMatchObject({
      ok: false,
      firstBrokenSequence: checkpointEvery,
      reason: expect.stringContaining('checkpoint'),
    });
  });

  it('deleting every checkpoint row fails verification, naming the checkpoints that are missing', async () => {
    const { tenantId } = await chainOf(25);
    await tamper(() => raw('delete from audit_checkpoints where tenant_id = $1', [tenantId]));
    const result = await verifyAuditChain(db(), tenantId, { keys });
    expect(result).toMatchObject({
      ok: false,
      firstBrokenSequence: checkpointEvery,
      reason: expect.stringContaining(`checkpoint at entry ${checkpointEvery} is missing`),
    });
    expect(result.ok ? '' : result.reason).toContain('2 of 2');
  });

  it('deleting the checkpoints and rewriting the chain behind them fails at the first missing checkpoint', async () => {
    const { tenantId } = await chainOf(23);
    const entries = await entriesOf(tenantId);
    let previousHash = entries[2].hash;
    await tamper(async () => {
      await raw('delete from audit_checkpoints where tenant_id = $1', [tenantId]);
      for (const entry of entries.slice(3)) {
        const fields = { ...chainedFieldsOf(tenantId, entry), previousHash, ...(entry.sequence === 4 ? { action: 'nothing.happened' } : {}) };
        previousHash = entryHash(fields);
        await raw('update audit_entries set action = $3, previous_hash = $4, hash = $5 where tenant_id = $1 and sequence = $2', [
          tenantId,
          entry.sequence,
          fields.action,
          fields.previousHash,
          previousHash,
        ]);
      }
      await raw('update audit_heads set hash = $2 where tenant_id = $1', [tenantId, previousHash]);
    });
    expect(await verifyAuditChain(db(), tenantId, { keys })).toMatchObject({
      ok: false,
      firstBrokenSequence: checkpointEvery,
      reason: expect.stringContaining('missing'),
    });
  });

  it('deleting only the latest checkpoint fails verification at its entry', async () => {
    const { tenantId } = await chainOf(25);
    await tamper(() => raw('delete from audit_checkpoints where tenant_id = $1 and sequence = $2', [tenantId, 2 * checkpointEvery]));
    expect(await verifyAuditChain(db(), tenantId, { keys })).toMatchObject({
      ok: false,
      firstBrokenSequence: 2 * checkpointEvery,
      reason: expect.stringContaining('1 of 2'),
    });
  });

  it('requires no checkpoint before the interval is reached', async () => {
    const { tenantId } = await chainOf(checkpointEvery - 1);
    expect(await verifyAuditChain(db(), tenantId, { keys })).toMatchObject({ ok: true, entries: checkpointEvery - 1, checkpoints: 0 });
  });

  it("a forged checkpoint is caught when its key is not the key store's", async () => {
    const { tenantId } = await chainOf(5);
    const third = (await entriesOf(tenantId))[2];
    const attacker = await inMemoryAuditKeys().signer(tenantId);
    await raw('insert into audit_checkpoints (tenant_id, sequence, hash, signature, public_key) values ($1, 3, $2, $3, $4)', [
      tenantId,
      third.hash,
      attacker.sign(checkpointMessage(tenantId, 3, third.hash)).toString('base64'),
      encodePublicKey(attacker.publicKey),
    ]);
    expect(await verifyAuditChain(db(), tenantId)).toMatchObject({ ok: true, signersTrusted: false });
    expect(await verifyAuditChain(db(), tenantId, { keys })).toMatchObject({ ok: false, firstBrokenSequence: 3 });
  });

  it('entries cut from the tail are found missing from the chain head; with the head reset too, only an anchor shows it', async () => {
    const { tenantId } = await chainOf(8);
    const sixth = (await entriesOf(tenantId))[5];
    await tamper(() => raw('delete from audit_entries where tenant_id = $1 and sequence > 6', [tenantId]));
    expect(await verifyAuditChain(db(), tenantId)).toMatchObject({ ok: false, firstBrokenSequence: 7 });
    await raw('update audit_heads set sequence = 6, hash = $2 where tenant_id = $1', [tenantId, sixth.hash]);
    expect(await verifyAuditChain(db(), tenantId)).toMatchObject({ ok: true, entries: 6 });
    expect(await verifyAuditChain(db(), tenantId, { anchors: [{ sequence: 8, hash: 'a'.repeat(64) }] })).toMatchObject({ ok: false, firstBrokenSequence: 7 });
  });

  it('an entry appended without taking the chain head is caught', async () => {
    const { tenantId } = await chainOf(3);
    const third = (await entriesOf(tenantId))[2];
    const forged = { ...chainedFieldsOf(tenantId, third), sequence: 4, previousHash: third.hash };
    await insertEntry(tenantId, forged, entryHash(forged));
    expect(await verifyAuditChain(db(), tenantId)).toMatchObject({ ok: false, firstBrokenSequence: 4 });
  });

  it('a row removed from the subject index breaks verification at its entry', async () => {
    const tenantId = newId();
    const ctx = systemContext(tenantId, 'audit-test', 'sales');
    for (let index = 0; index < 4; index += 1) await appendAudit(db(), ctx, { action: 'contact.read', fields: ['email'], subjectIds: [newId(), newId()] });
    await tamper(() =>
      raw(
        'delete from audit_subjects where tenant_id = $1 and sequence = 3 and pseudonym = (select min(pseudonym) from audit_subjects where tenant_id = $1 and sequence = 3)',
        [tenantId],
      ),
    );
    expect(await verifyAuditChain(db(), tenantId)).toMatchObject({ ok: false, firstBrokenSequence: 3, reason: expect.stringContaining('subject index') });
  });
});

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

describe('a chain that spans the encoding versions', () => {
  async function mixedChain(): Promise<string> {
    const tenantId = newId();
    await appendLegacyEntries(
      tenantId,
      Array.from({ length: 6 }, (_, index) => ({ action: `legacy.${index}`, subjectPseudonyms: ['ab'.repeat(16)] })),
    );
    await appendAuditBatch(
      db(),
      systemContext(tenantId, 'audit-test', 'sales'),
      Array.from({ length: 6 }, (_, index) => ({ action: `current.${index}`, fields: ['email'] })),
    );
    return tenantId;
  }

  it('verifies version-1 entries followed by version-2 entries, in packed pages and row by row', async () => {
    const tenantId = await mixedChain();
    expect((await entriesOf(tenantId)).map((entry) => entry.version)).toEqual([1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2]);
    for (const pageSize of [4, 5000]) expect(await verifyAuditChain(db(), tenantId, { keys, pageSize })).toMatchObject({ ok: true, entries: 12 });
  });

  it('catches a change to a version-1 entry at that entry', async () => {
    const tenantId = await mixedChain();
    await tamper(() => raw(`update audit_entries set fields = '{phone}' where tenant_id = $1 and sequence = 3`, [tenantId]));
    expect(await verifyAuditChain(db(), tenantId)).toMatchObject({ ok: false, firstBrokenSequence: 3 });
  });

  it('catches a change to a version-2 entry at that entry', async () => {
    const tenantId = await mixedChain();
    await tamper(() => raw(`update audit_entries set fields = '{phone}' where tenant_id = $1 and sequence = 9`, [tenantId]));
    expect(await verifyAuditChain(db(), tenantId)).toMatchObject({ ok: false, firstBrokenSequence: 9 });
  });

  it('catches an entry relabelled with the other encoding version at that entry', async () => {
    const tenantId = await mixedChain();
    await tamper(() => raw('update audit_entries set version = 1 where tenant_id = $1 and sequence = 8', [tenantId]));
    expect(await verifyAuditChain(db(), tenantId)).toMatchObject({ ok: false, firstBrokenSequence: 8 });
  });
});

describe('append-only tables', () => {
  for (const table of ['audit_entries', 'audit_subjects', 'audit_checkpoints']) {
    it(`${table} refuses UPDATE, DELETE and TRUNCATE while its triggers are on`, async () => {
      await chainOf(10);
      await expect(t.database.exec(`update ${table} set sequence = sequence`)).rejects.toThrow(/append-only/);
      await expect(t.database.exec(`delete from ${table}`)).rejects.toThrow(/append-only/);
      await expect(t.database.exec(`truncate ${table}`)).rejects.toThrow(/append-only/);
      const [{ count }] = await t.database.query<{ count: number }>(`select count(*)::int as count from ${table}`);
      expect(count).toBeGreaterThan(0);
    });
  }
});

describe("a data subject's trail", () => {
  it('answers "who accessed my data, for what purpose" by subject id or pseudonym, holding neither the id nor any value', async () => {
    const tenantId = newId();
    const subject = newId();
    const other = newId();
    await appendAudit(
      db(),
      { ...systemContext(tenantId, 'crm', 'sales') },
      { action: 'contact.read', object: 'contact', fields: ['email'], subjectIds: [subject, other] },
    );
    await appendAudit(db(), systemContext(tenantId, 'crm', 'marketing'), {
      action: 'contact.read',
      object: 'contact',
      fields: ['firstName'],
      decision: 'partial',
      reasons: [{ field: 'email', reason: 'no_consent', subjects: 1 }],
      subjectIds: [subject],
    });
    await appendAudit(db(), systemContext(tenantId, 'crm', 'sales'), { action: 'contact.read', subjectIds: [other] });
    const trail = await auditTrailForSubject(db(), tenantId, { subjectId: subject });
    expect(trail.map((entry) => [entry.sequence, entry.purpose, entry.fields, entry.decision])).toEqual([
      [1, 'sales', ['email'], 'allow'],
      [2, 'marketing', ['firstName'], 'partial'],
    ]);
    const { pseudonym } = (await pseudonymsOfSubject(db(), tenantId, subject))!;
    expect(await auditTrailForSubject(db(), tenantId, { pseudonym })).toEqual(trail);
    const rows = await raw(
      `select e::text as row from audit_entries e where tenant_id = $1 union all select s::text from audit_subjects s where tenant_id = $1`,
      [tenantId],
    );
    expect(rows.map((row) => String(row.row)).join('\n')).not.toContain(subject);
  });
});

describe('erasing a subject from the trail', () => {
  const indexRows = async (tenantId: string) =>
    (await raw('select pseudonym, sequence from audit_subjects where tenant_id = $1 order by sequence, pseudonym', [tenantId])).map(
      (row) => `${row.sequence}:${row.pseudonym}`,
    );

  it("removes the index rows of the subject's pseudonyms, version 1 and 2 alike, under an entry that records it, and the chain verifies", async () => {
    const tenantId = newId();
    const ctx = systemContext(tenantId, 'audit-test', 'sales');
    const subject = newId();
    const bystander = newId();
    const legacy = legacySubjectPseudonym(await keys.legacyPseudonymKey(tenantId), tenantId, subject);
    const legacyBystander = legacySubjectPseudonym(await keys.legacyPseudonymKey(tenantId), tenantId, bystander);
    await appendLegacyEntries(tenantId, [
      { action: 'legacy.read', subjectPseudonyms: [legacy, legacyBystander] },
      { action: 'legacy.other', subjectPseudonyms: [legacyBystander] },
    ]);
    await appendAudit(db(), ctx, { action: 'contact.read', subjectIds: [subject, bystander] });
    const current = (await pseudonymsOfSubject(db(), tenantId, subject))!;
    expect(current).toEqual({ pseudonym: expect.stringMatching(/^[0-9a-f]{32}$/), legacyPseudonym: legacy });
    expect((await auditTrailForSubject(db(), tenantId, { subjectId: subject })).map((entry) => [entry.sequence, entry.action])).toEqual([
      [1, 'legacy.read'],
      [3, 'contact.read'],
    ]);

    expect(await eraseSubjectTrails(db(), ctx, [subject])).toEqual([legacy, current.pseudonym].sort());
    expect(await auditTrailForSubject(db(), tenantId, { subjectId: subject })).toEqual([]);
    const remaining = await indexRows(tenantId);
    expect(remaining.some((row) => row.endsWith(legacy) || row.endsWith(current.pseudonym))).toBe(false);
    expect((await auditTrailForSubject(db(), tenantId, { subjectId: bystander })).map((entry) => entry.sequence)).toEqual([1, 2, 3]);
    const [erasure] = (await entriesOf(tenantId)).slice(-1);
    expect(erasure).toMatchObject({
      version: 2,
      sequence: 4,
      action: 'audit.subjects_erased',
      subjectPseudonyms: [],
      erasedPseudonyms: [legacy, current.pseudonym].sort(),
    });
    expect(await verifyAuditChain(db(), tenantId, { keys, pageSize: 2 })).toMatchObject({ ok: true, entries: 4 });
    // Nothing left to erase: no second entry.
    expect(await eraseSubjectTrails(db(), ctx, [subject])).toEqual([]);
    expect(await entriesOf(tenantId)).toHaveLength(4);
  });

  it('refuses to delete index rows that the newest entry does not record as erased', async () => {
    const tenantId = newId();
    const ctx = systemContext(tenantId, 'audit-test', 'sales');
    const [erased, kept] = [newId(), newId()];
    await appendAudit(db(), ctx, { action: 'contact.read', subjectIds: [erased, kept] });
    const keptPseudonym = (await pseudonymsOfSubject(db(), tenantId, kept))!.pseudonym;
    await expect(raw('delete from audit_subjects where tenant_id = $1 and pseudonym = $2', [tenantId, keptPseudonym])).rejects.toThrow(/append-only/);
    const [erasedPseudonym] = await eraseSubjectTrails(db(), ctx, [erased]);
    await expect(raw('delete from audit_subjects where tenant_id = $1 and pseudonym = $2', [tenantId, keptPseudonym])).rejects.toThrow(/append-only/);
    // Not even a row of the erased pseudonym at or after the erasure entry.
    await raw('insert into audit_subjects (tenant_id, pseudonym, sequence) values ($1, $2, 2)', [tenantId, erasedPseudonym]);
    await expect(raw('delete from audit_subjects where tenant_id = $1 and pseudonym = $2', [tenantId, erasedPseudonym])).rejects.toThrow(/append-only/);
    await tamper(() => raw('delete from audit_subjects where tenant_id = $1 and pseudonym = $2 and sequence = 2', [tenantId, erasedPseudonym]));
    await expect(raw('update audit_subjects set sequence = sequence where tenant_id = $1', [tenantId])).rejects.toThrow(/append-only/);
    expect(await verifyAuditChain(db(), tenantId)).toMatchObject({ ok: true, entries: 2 });
  });

  it('an index row put back after its erasure breaks verification at its entry', async () => {
    const tenantId = newId();
    const ctx = systemContext(tenantId, 'audit-test', 'sales');
    const subject = newId();
    await appendAudit(db(), ctx, { action: 'deal.updated' });
    await appendAudit(db(), ctx, { action: 'contact.read', subjectIds: [subject] });
    const [pseudonym] = await eraseSubjectTrails(db(), ctx, [subject]);
    await raw('insert into audit_subjects (tenant_id, pseudonym, sequence) values ($1, $2, 2)', [tenantId, pseudonym]);
    expect(await verifyAuditChain(db(), tenantId)).toMatchObject({ ok: false, firstBrokenSequence: 2, reason: expect.stringContaining('subject index') });
  });
});

describe('audit API', () => {
  it('verifies the workspace chain for admins and privacy officers only', async () => {
    const workspace = await t.createWorkspace();
    await appendAuditBatch(db(), systemContext(workspace.id, 'crm', 'sales'), [{ action: 'deal.created' }, { action: 'deal.updated' }]);
    for (const role of ['admin', 'privacy_officer'] as const) {
      const response = await t.request(workspace.keys[role], { method: 'GET', url: '/api/v1/audit/verify' });
      expect(response.statusCode).toBe(200);
      expect(response.json().data).toMatchObject({ ok: true });
    }
    const refused = await t.request(workspace.keys.sales, { method: 'GET', url: '/api/v1/audit/verify' });
    expect(refused.statusCode).toBe(403);
  });

  it('reports the first broken entry of a tampered chain', async () => {
    const workspace = await t.createWorkspace();
    await appendAuditBatch(db(), systemContext(workspace.id, 'crm', 'sales'), [{ action: 'a' }, { action: 'b' }, { action: 'c' }]);
    await tamper(() => raw(`update audit_entries set action = 'x' where tenant_id = $1 and sequence = 2`, [workspace.id]));
    const response = await t.request(workspace.keys.admin, { method: 'GET', url: '/api/v1/audit/verify' });
    expect(response.json().data).toMatchObject({ ok: false, firstBrokenSequence: 2 });
  });

  it('reports missing checkpoints as a broken chain', async () => {
    const workspace = await t.createWorkspace();
    await appendAuditBatch(
      db(),
      systemContext(workspace.id, 'crm', 'sales'),
      Array.from({ length: checkpointEvery + 2 }, (_, index) => ({ action: 'deal.updated', detail: { index } })),
    );
    await tamper(() => raw('delete from audit_checkpoints where tenant_id = $1', [workspace.id]));
    const response = await t.request(workspace.keys.admin, { method: 'GET', url: '/api/v1/audit/verify' });
    expect(response.json().data).toMatchObject({ ok: false, firstBrokenSequence: checkpointEvery, reason: expect.stringContaining('missing') });
  });

  it("lists the trail in sequence pages, only of the caller's workspace", async () => {
    const workspace = await t.createWorkspace();
    const elsewhere = await t.createWorkspace();
    await appendAuditBatch(db(), systemContext(elsewhere.id, 'crm', 'sales'), [{ action: 'elsewhere' }]);
    await appendAuditBatch(db(), systemContext(workspace.id, 'crm', 'sales'), [{ action: 'one' }, { action: 'two' }, { action: 'three' }]);
    const first = await t.request(workspace.keys.privacy_officer, { method: 'GET', url: '/api/v1/audit?limit=2' });
    expect(first.statusCode).toBe(200);
    const firstPage = first.json();
    expect(firstPage.data.map((entry: AuditEntry) => entry.sequence)).toEqual([1, 2]);
    const second = (await t.request(workspace.keys.privacy_officer, { method: 'GET', url: `/api/v1/audit?limit=2&cursor=${firstPage.nextCursor}` })).json();
    expect(second.data[0]).toMatchObject({ sequence: 3, action: 'three' });
    const actions = [...firstPage.data, ...second.data].map((entry: AuditEntry) => entry.action);
    expect(actions).not.toContain('elsewhere');
    // Reading the trail is itself recorded.
    expect(actions).toContain('audit.read');
    expect((await t.request(workspace.keys.sales, { method: 'GET', url: '/api/v1/audit' })).statusCode).toBe(403);
  });

  it("serves one subject's trail by subject id, recording that lookup under the subject's pseudonym", async () => {
    const workspace = await t.createWorkspace();
    const subject = newId();
    await appendAudit(db(), systemContext(workspace.id, 'crm', 'marketing'), { action: 'contact.read', fields: ['email'], subjectIds: [subject] });
    await appendAudit(db(), systemContext(workspace.id, 'crm', 'sales'), { action: 'contact.read', subjectIds: [newId()] });
    const response = await t.request(workspace.keys.privacy_officer, { method: 'GET', url: `/api/v1/audit?subjectId=${subject}` });
    expect(response.statusCode).toBe(200);
    expect(response.json().data.map((entry: AuditEntry) => [entry.sequence, entry.purpose])).toEqual([[1, 'marketing']]);
    const again = (await t.request(workspace.keys.privacy_officer, { method: 'GET', url: `/api/v1/audit?subjectId=${subject}` })).json();
    expect(again.data.map((entry: AuditEntry) => entry.action)).toEqual(['contact.read', 'audit.read']);
  });
});
