import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  advanceDueEpochs,
  EpochKeyUnavailableError,
  openRecord,
  unwrapSubjectKeyRows,
  workspacesDueForEpochAdvance,
  type WrappedKeyRow,
} from '../src/kernel/vault/index.ts';
import { copyDatabase, type DatabaseCopy } from './support/databaseCopy.ts';
import { useFileKeyStore, type TestFileKeyStore } from './support/fileKeyStore.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

// Erasure through the CRM (DELETE of a contact) must hold against a full copy of the
// database taken before it, once the key epoch has advanced: with the keys that remain, the
// copy yields nothing of the erased contact, while every other contact reads back live.

let keys: TestFileKeyStore;
let t: TestApp;
let workspace: TestWorkspace;

beforeAll(async () => {
  keys = await useFileKeyStore('candor-shred-');
  t = await createTestApp();
  workspace = await t.createWorkspace();
});
afterAll(async () => {
  await t.close();
  await keys.remove();
});

const person = (i: number) => ({
  firstName: `Shredme${i}`,
  lastName: `Zyxwv${i}`,
  email: `shred${i}@example.org`,
  phone: `+1 202 555 01${String(i).padStart(2, '0')}`,
});

type SealedRow = { id: string; personal: Record<string, unknown> };

describe('crypto-shredding through the CRM', () => {
  it('leaves an erased contact unreadable from a database copy taken before the erasure, once the epoch has advanced', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const created = await t.request(workspace.keys.sales, {
        method: 'POST',
        url: '/api/v1/contacts',
        payload: { ...person(i), source: 'staff' },
        purpose: 'sales',
      });
      expect(created.statusCode).toBe(201);
      ids.push(created.json().data.id);
    }
    const [erased, ...others] = ids;

    // The backup: a full copy of the database and of the key store, taken before the erasure.
    let copy: DatabaseCopy | null = await copyDatabase(t.database);
    await keys.backUp();
    try {
      const deleted = await t.request(workspace.keys.admin, { method: 'DELETE', url: `/api/v1/contacts/${erased}`, purpose: 'sales' });
      expect(deleted.statusCode).toBe(204);
      // The live database lost the key at once; the deletion counts toward the epoch advance.
      const [{ n: liveKeys }] = await t.database.query<{ n: number }>('select count(*)::int as n from subject_keys where tenant_id = $1 and subject_id = $2', [
        workspace.id,
        erased,
      ]);
      expect(liveKeys).toBe(0);
      expect(await workspacesDueForEpochAdvance(t.database.db, { maxDelayMs: 60_000, maxPendingErasures: 1 })).toContainEqual({
        tenantId: workspace.id,
        unfinished: false,
      });

      const reports = await advanceDueEpochs(t.database, keys.keyStore, { maxDelayMs: 60_000, maxPendingErasures: 1 });
      expect(reports).toContainEqual(expect.objectContaining({ tenantId: workspace.id, destroyedEpochs: [1] }));

      // The copy still holds the erased contact's sealed row and its wrapped key…
      const [sealed] = await copy.query<SealedRow>('select id, personal from contacts where tenant_id = $1 and id = $2', [workspace.id, erased]);
      expect(Object.keys(sealed.personal)).toEqual(expect.arrayContaining(['first_name', 'email', 'phone']));
      const oldKeyRows = await copy.query<WrappedKeyRow>(
        'select subject_id, key_version, epoch, wrapped_key from subject_keys where tenant_id = $1 and subject_id = $2',
        [workspace.id, erased],
      );
      expect(oldKeyRows).toHaveLength(1);
      // …but with the keys that remain, it yields nothing.
      await expect(unwrapSubjectKeyRows(keys.keyStore, workspace.id, oldKeyRows, null)).rejects.toBeInstanceOf(EpochKeyUnavailableError);
      expect(await keys.keyStore.listLiveEpochs(workspace.id)).toEqual([2]);
      // The copy's text holds none of the erased contact's values either.
      const copyText = (await copy.query<{ row: string }>('select c::text as row from contacts c where tenant_id = $1', [workspace.id]))
        .map((row) => row.row)
        .join('\n');
      for (const value of Object.values(person(0))) expect(copyText).not.toContain(value);

      // Only the key-store backup from before the advance still opens the old copy: why
      // key-store backups must expire (src/kernel/vault/README.md).
      const stale = await unwrapSubjectKeyRows(keys.backup(), workspace.id, oldKeyRows, null);
      expect(openRecord(stale.get(erased)!, sealed.personal)).toMatchObject({ first_name: 'Shredme0', email: 'shred0@example.org' });

      // Every other contact still reads back from the live database.
      for (const [index, id] of others.entries()) {
        const read = await t.request(workspace.keys.sales, { method: 'GET', url: `/api/v1/contacts/${id}`, purpose: 'sales' });
        expect(read.statusCode).toBe(200);
        expect(read.json().data).toMatchObject({ firstName: `Shredme${index + 1}`, email: `shred${index + 1}@example.org` });
      }
      expect((await t.request(workspace.keys.sales, { method: 'GET', url: `/api/v1/contacts/${erased}`, purpose: 'sales' })).statusCode).toBe(404);
    } finally {
      await copy.close();
      copy = null;
    }
  }, 120_000);
});
