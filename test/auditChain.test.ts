import { describe, expect, it } from 'vitest';
import { newId } from '../src/db/ids.ts';
import { systemContext } from '../src/kernel/accessContext.ts';
import {
  appendAudit,
  checkpointMessage,
  createCheckpoint,
  encodePublicKey,
  entryHash,
  inMemoryAuditKeys,
  verifyAuditChain,
  type AuditEntry,
  type ChainedFields,
} from '../src/kernel/audit.ts';
import { auditChains } from './support/auditChains.ts';
import { auditTampering } from './support/auditTampering.ts';
import { checkpointEvery, useAuditTestApp } from './support/auditTestApp.ts';

/*
 * The workspace hash chain: gapless sequences, signed checkpoints, and what it shows of every
 * change an attacker with the superuser's rights could make to the audit tables.
 */

const keys = inMemoryAuditKeys();
const { database, db } = useAuditTestApp(keys);
const { chainOf, entriesOf } = auditChains(database);
const { raw, tamper, insertEntry, shiftEntries } = auditTampering(database);

/** The fields an entry's hash covers, to forge entries from. */
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
