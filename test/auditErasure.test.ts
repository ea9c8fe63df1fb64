import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditConfiguration,
  auditTrailForSubject,
  listAuditEntries,
  pseudonymsOfSubject,
  subjectPseudonym,
  verifyAuditChain,
  type AuditEntry,
} from '../src/kernel/audit.ts';
import { newId } from '../src/db/ids.ts';
import { advanceDueEpochs, EpochKeyUnavailableError, pseudonymKeyOf, unwrapSubjectKeyRows, type WrappedKeyRow } from '../src/kernel/vault/index.ts';
import { copyDatabase, type DatabaseCopy } from './support/databaseCopy.ts';
import { useFileKeyStore, type TestFileKeyStore } from './support/fileKeyStore.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

// Issue 7: a deleted contact's id must no longer find its audit entries. The pseudonym is
// derived from a secret the erasure destroys, so after the DELETE and the epoch advance
// the id maps to no pseudonym, the subject index holds nothing for it, and the chain —
// whose entries still carry the old pseudonym — verifies.

let keys: TestFileKeyStore;
let t: TestApp;
let workspace: TestWorkspace;

beforeAll(async () => {
  keys = await useFileKeyStore('candor-audit-erasure-');
  t = await createTestApp();
  workspace = await t.createWorkspace();
});
afterAll(async () => {
  await t.close();
  await keys.remove();
});

const trailById = async (id: string) => {
  const response = await t.request(workspace.keys.privacy_officer, { method: 'GET', url: `/api/v1/audit?subjectId=${id}&limit=100` });
  expect(response.statusCode).toBe(200);
  return response.json().data as AuditEntry[];
};

const keyRows = async (id: string) =>
  (await t.database.query<{ n: number }>('select count(*)::int as n from subject_keys where tenant_id = $1 and subject_id = $2', [workspace.id, id]))[0].n;

const indexRows = async (pseudonym: string) =>
  (await t.database.query<{ n: number }>('select count(*)::int as n from audit_subjects where tenant_id = $1 and pseudonym = $2', [workspace.id, pseudonym]))[0]
    .n;

describe('erasing a contact cuts its id from the audit trail', () => {
  it('after the DELETE and the epoch advance, the id maps to no pseudonym and finds no audit entry, and the chain still verifies', async () => {
    const created = await t.request(workspace.keys.sales, {
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { firstName: 'Erasme', email: 'erasme@example.org', source: 'staff' },
      purpose: 'sales',
    });
    expect(created.statusCode).toBe(201);
    const id: string = created.json().data.id;
    expect((await t.request(workspace.keys.sales, { method: 'GET', url: `/api/v1/contacts/${id}`, purpose: 'sales' })).statusCode).toBe(200);

    // While the contact lives, its id finds its trail under one pseudonym.
    const before = await trailById(id);
    expect(before.map((entry) => entry.action)).toEqual(expect.arrayContaining(['contact.created', 'contact.read']));
    const pseudonym = before.find((entry) => entry.action === 'contact.read')!.subjectPseudonyms[0];
    expect(pseudonym).toMatch(/^[0-9a-f]{32}$/);
    expect(await indexRows(pseudonym)).toBeGreaterThan(0);

    expect(await pseudonymsOfSubject(t.database.db, workspace.id, id)).toEqual({ pseudonym, legacyPseudonym: null });

    // The backup: a full copy of the database and of the key store, taken before the erasure.
    const copy: DatabaseCopy = await copyDatabase(t.database);
    await keys.backUp();
    try {
      expect((await t.request(workspace.keys.admin, { method: 'DELETE', url: `/api/v1/contacts/${id}`, purpose: 'sales' })).statusCode).toBe(204);
      await advanceDueEpochs(t.database, keys.keyStore, { maxDelayMs: 60_000, maxPendingErasures: 1 });

      // The id finds nothing, through the API or the kernel, and the index holds no row of the pseudonym.
      expect(await trailById(id)).toEqual([]);
      expect(await auditTrailForSubject(t.database.db, workspace.id, { subjectId: id })).toEqual([]);
      expect(await pseudonymsOfSubject(t.database.db, workspace.id, id)).toBeNull();
      expect(await indexRows(pseudonym)).toBe(0);
      const byPseudonym = await t.request(workspace.keys.privacy_officer, { method: 'GET', url: `/api/v1/audit?pseudonym=${pseudonym}` });
      expect(byPseudonym.json().data).toEqual([]);

      // Reading the erased contact again (404) or looking its id up makes no new key for it.
      expect((await t.request(workspace.keys.sales, { method: 'GET', url: `/api/v1/contacts/${id}`, purpose: 'sales' })).statusCode).toBe(404);
      expect(await trailById(id)).toEqual([]);
      expect(await keyRows(id)).toBe(0);
      expect(await pseudonymsOfSubject(t.database.db, workspace.id, id)).toBeNull();

      // History is not rewritten: the entries still carry the pseudonym, an entry records the
      // erasure of its index rows, and the chain verifies.
      const entries = await listAuditEntries(t.database.db, workspace.id, { limit: 1000 });
      expect(entries.filter((entry) => entry.subjectPseudonyms.includes(pseudonym)).map((entry) => entry.action)).toEqual(
        expect.arrayContaining(['contact.created', 'contact.read']),
      );
      expect(entries.filter((entry) => entry.erasedPseudonyms.includes(pseudonym))).toEqual([
        expect.objectContaining({ action: 'audit.subjects_erased', version: 2, subjectPseudonyms: [] }),
      ]);
      expect(entries.every((entry) => entry.version === 2)).toBe(true);
      expect(await verifyAuditChain(t.database.db, workspace.id, { keys: auditConfiguration().keys })).toMatchObject({ ok: true, signersTrusted: true });

      // The copy from before still holds the wrapped key its pseudonym came from, but with the
      // keys that remain it cannot be unwrapped: the copy cannot map the id to the pseudonym.
      const oldKeyRows = await copy.query<WrappedKeyRow>(
        'select subject_id, key_version, epoch, wrapped_key from subject_keys where tenant_id = $1 and subject_id = $2',
        [workspace.id, id],
      );
      expect(oldKeyRows).toHaveLength(1);
      await expect(unwrapSubjectKeyRows(keys.keyStore, workspace.id, oldKeyRows, null)).rejects.toBeInstanceOf(EpochKeyUnavailableError);
      // Only the key-store backup from before the advance still does — why those backups must
      // expire (src/kernel/vault/README.md).
      const stale = await unwrapSubjectKeyRows(keys.backup(), workspace.id, oldKeyRows, null);
      expect(subjectPseudonym(pseudonymKeyOf(stale.get(id)!), workspace.id, id)).toBe(pseudonym);
    } finally {
      await copy.close();
    }
  }, 120_000);

  it('an id that was never a subject finds no entry, and the lookup makes no key for it', async () => {
    const unknown = newId();
    expect(await trailById(unknown)).toEqual([]);
    expect(await pseudonymsOfSubject(t.database.db, workspace.id, unknown)).toBeNull();
    expect(await keyRows(unknown)).toBe(0);
    const [lookup] = (await listAuditEntries(t.database.db, workspace.id, { limit: 1000 })).filter((entry) => entry.action === 'audit.read').slice(-1);
    expect(lookup.subjectPseudonyms).toEqual([]);
  });
});
