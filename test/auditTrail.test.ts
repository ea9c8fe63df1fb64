import { describe, expect, it } from 'vitest';
import { newId } from '../src/db/ids.ts';
import { systemContext } from '../src/kernel/accessContext.ts';
import {
  appendAudit,
  appendAuditBatch,
  auditTrailForSubject,
  eraseSubjectTrails,
  inMemoryAuditKeys,
  legacySubjectPseudonym,
  pseudonymsOfSubject,
  verifyAuditChain,
} from '../src/kernel/audit.ts';
import { auditChains } from './support/auditChains.ts';
import { auditTampering } from './support/auditTampering.ts';
import { legacyAuditEntries } from './support/legacyAuditEntries.ts';
import { useAuditTestApp } from './support/auditTestApp.ts';

/*
 * The audit trail's tables and the subjects in them: entries of both encoding versions in one
 * chain, the append-only triggers, a subject's trail by pseudonym, and erasing it.
 */

const keys = inMemoryAuditKeys();
const { t, database, db } = useAuditTestApp(keys);
const { chainOf, entriesOf } = auditChains(database);
const { raw, tamper } = auditTampering(database);
const { appendLegacyEntries } = legacyAuditEntries(database);

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
      // Ten entries reach a checkpoint; one about a person fills the subject index.
      const { ctx } = await chainOf(10);
      await appendAudit(db(), ctx, { action: 'contact.read', subjectIds: [newId()] });
      await expect(t().database.exec(`update ${table} set sequence = sequence`)).rejects.toThrow(/append-only/);
      await expect(t().database.exec(`delete from ${table}`)).rejects.toThrow(/append-only/);
      await expect(t().database.exec(`truncate ${table}`)).rejects.toThrow(/append-only/);
      const [{ count }] = await t().database.query<{ count: number }>(`select count(*)::int as count from ${table}`);
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
