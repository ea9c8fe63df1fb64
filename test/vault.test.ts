import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Executor } from '../src/db/connection.ts';
import { newId } from '../src/db/ids.ts';
import {
  advanceEpoch,
  completeEpochAdvance,
  ensureSubjectKeys,
  EpochKeyUnavailableError,
  FileKeyStore,
  openRecord,
  rotateKeys,
  sealRecord,
  shredSubject,
  SubjectKeyCache,
  unwrapSubjectKeyRows,
  unwrapSubjectKeys,
  VaultDecryptError,
  workspacesDueForEpochAdvance,
  type WrappedKeyRow,
} from '../src/kernel/vault/index.ts';
import { unwrapSubjectKey } from '../src/kernel/vault/keyWrap.ts';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.ts';

let database: TestDatabase;
let root: string;
beforeAll(async () => {
  database = await openTestDatabase();
  root = await mkdtemp(join(tmpdir(), 'candor-vault-'));
});
afterAll(async () => {
  await database.close();
  await rm(root, { recursive: true, force: true });
});

const personOf = (i: number) => ({ email: `person${i}@example.org`, first_name: `Firstname${i}`, phone: `+4930555${String(i).padStart(4, '0')}` });

/** A workspace with `count` contacts whose personal values are sealed under their subject keys. */
async function sealedWorkspace(count: number) {
  const tenantId = newId();
  const keyStore = new FileKeyStore(join(root, tenantId, 'keys'));
  const ids = Array.from({ length: count }, () => newId());
  await database.db.transaction(async (tx) => {
    const keys = await ensureSubjectKeys(tx, keyStore, tenantId, ids);
    for (const [i, id] of ids.entries()) {
      const personal = sealRecord(keys.get(id)!, personOf(i));
      // Through the transaction: PGlite's one connection is held by it.
      await tx.execute(sql`insert into contacts (tenant_id, id, source, personal) values (${tenantId}, ${id}, 'test', ${JSON.stringify(personal)}::jsonb)`);
    }
  });
  return { tenantId, keyStore, ids };
}

async function readBack(tenantId: string, keyStore: FileKeyStore, ids: string[]) {
  const rows = await database.query<{ id: string; personal: Record<string, unknown> }>(
    `select id, personal from contacts where tenant_id = $1 and id = any($2::uuid[])`,
    [tenantId, ids],
  );
  const keys = await unwrapSubjectKeys(database.db, keyStore, tenantId, ids, null);
  return new Map(rows.map((row) => [row.id, openRecord(keys.get(row.id)!, row.personal)]));
}

const wrappedRows = (tenantId: string) =>
  database.query<WrappedKeyRow>(`select subject_id, key_version, epoch, wrapped_key from subject_keys where tenant_id = $1 order by subject_id`, [tenantId]);

function countingExecutor(tx: Executor, counter: { statements: number }): Executor {
  return new Proxy(tx, {
    get(target, property, receiver) {
      if (property !== 'execute') return Reflect.get(target, property, receiver);
      return (...args: Parameters<Executor['execute']>) => {
        counter.statements += 1;
        return target.execute(...args);
      };
    },
  });
}

describe('subject keys', () => {
  it('creates missing keys set-wise: one select and one insert for hundreds of subjects', async () => {
    const tenantId = newId();
    const keyStore = new FileKeyStore(join(root, tenantId));
    const first = Array.from({ length: 300 }, () => newId());
    const counter = { statements: 0 };
    const created = await database.db.transaction((tx) => ensureSubjectKeys(countingExecutor(tx, counter), keyStore, tenantId, first));
    expect(created.size).toBe(300);
    expect(counter.statements).toBeLessThanOrEqual(5); // lock, current epoch, first-epoch insert, select, insert
    const more = [...first.slice(0, 100), ...Array.from({ length: 50 }, () => newId())];
    counter.statements = 0;
    const mixed = await database.db.transaction((tx) => ensureSubjectKeys(countingExecutor(tx, counter), keyStore, tenantId, more));
    expect(counter.statements).toBeLessThanOrEqual(4);
    expect(mixed.get(first[0])!.keys.get(1)).toEqual(created.get(first[0])!.keys.get(1));
    expect((await wrappedRows(tenantId)).length).toBe(350);
  });

  it('reads the same keys back without and with the cache, and leaves out subjects that have none', async () => {
    const { tenantId, keyStore, ids } = await sealedWorkspace(20);
    const cache = new SubjectKeyCache(100);
    const stranger = newId();
    const uncached = await unwrapSubjectKeys(database.db, keyStore, tenantId, [...ids, stranger], null);
    const cached = await unwrapSubjectKeys(database.db, keyStore, tenantId, ids, cache);
    expect(uncached.has(stranger)).toBe(false);
    expect(cache.size).toBe(20);
    for (const id of ids) expect(cached.get(id)!.keys.get(1)).toEqual(uncached.get(id)!.keys.get(1));
  });
});

describe('sealed values', () => {
  it('keeps no plaintext in the database and reads every field back', async () => {
    const { tenantId, keyStore, ids } = await sealedWorkspace(30);
    const raw = JSON.stringify(await database.query(`select * from contacts where tenant_id = $1`, [tenantId]));
    expect(raw).not.toContain('@example.org');
    expect(raw).not.toContain('Firstname');
    const values = await readBack(tenantId, keyStore, ids);
    expect(values.get(ids[7])).toEqual(personOf(7));
  });

  it('fails to decrypt a ciphertext swapped between two subjects or between two fields', async () => {
    const { tenantId, keyStore, ids } = await sealedWorkspace(2);
    const [alice, bob] = ids;
    await database.query(
      `update contacts set personal = jsonb_set(personal, '{email}', (select personal->'email' from contacts where tenant_id = $1 and id = $3))
       where tenant_id = $1 and id = $2`,
      [tenantId, alice, bob],
    );
    await database.query(`update contacts set personal = jsonb_set(personal, '{phone}', personal->'first_name') where tenant_id = $1 and id = $2`, [
      tenantId,
      bob,
    ]);
    const rows = await database.query<{ id: string; personal: Record<string, unknown> }>(`select id, personal from contacts where tenant_id = $1`, [tenantId]);
    const keys = await unwrapSubjectKeys(database.db, keyStore, tenantId, ids, null);
    const personal = new Map(rows.map((row) => [row.id, row.personal]));
    expect(() => openRecord(keys.get(alice)!, personal.get(alice)!, ['email'])).toThrow(VaultDecryptError);
    expect(() => openRecord(keys.get(bob)!, personal.get(bob)!, ['phone'])).toThrow(VaultDecryptError);
    expect(openRecord(keys.get(alice)!, personal.get(alice)!, ['first_name'])).toEqual({ first_name: 'Firstname0' });
  });
});

describe('crypto-shredding against old copies', () => {
  it('leaves an erased subject unreadable from a database copy taken before the erasure, while everyone else reads back', async () => {
    const { tenantId, keyStore, ids } = await sealedWorkspace(25);
    const [erased, ...others] = ids;
    const directory = join(root, tenantId, 'keys');
    // The copies an attacker or a backup would hold: every wrapped key and contact row, and the key store.
    const oldKeys = await wrappedRows(tenantId);
    const oldContacts = await database.query<{ id: string; personal: Record<string, unknown> }>(`select id, personal from contacts where tenant_id = $1`, [
      tenantId,
    ]);
    await cp(directory, join(root, tenantId, 'keys-copy'), { recursive: true });

    const cache = new SubjectKeyCache();
    await unwrapSubjectKeys(database.db, keyStore, tenantId, ids, cache);
    await database.db.transaction(async (tx) => {
      expect(await shredSubject(tx, tenantId, erased, cache)).toEqual({ deletedKeys: 1 });
      await tx.execute(sql`delete from contacts where tenant_id = ${tenantId} and id = ${erased}`);
    });
    expect(cache.size).toBe(24);
    expect(await workspacesDueForEpochAdvance(database.db, { maxDelayMs: 60_000, maxPendingErasures: 1 })).toContainEqual({ tenantId, unfinished: false });

    const report = await advanceEpoch(database, keyStore, tenantId, { batchSize: 7 });
    expect(report).toMatchObject({ previousEpoch: 1, epoch: 2, rewrapped: 24, destroyedEpochs: [1] });
    expect(await keyStore.listLiveEpochs(tenantId)).toEqual([2]);
    expect(await workspacesDueForEpochAdvance(database.db, { maxDelayMs: 0, maxPendingErasures: 1 })).not.toContainEqual(expect.objectContaining({ tenantId }));

    // Old copy + the key store as it is now: the erased subject's key cannot be unwrapped.
    const erasedOldRow = oldKeys.filter((row) => row.subject_id === erased);
    await expect(unwrapSubjectKeyRows(keyStore, tenantId, erasedOldRow, null)).rejects.toBeInstanceOf(EpochKeyUnavailableError);
    // Every other subject still decrypts from the live database.
    const values = await readBack(tenantId, keyStore, others);
    expect(values.size).toBe(24);
    for (const [i, id] of others.entries()) expect(values.get(id)).toEqual(personOf(i + 1));

    // Only a key-store copy from before the advance still opens the old copy: which is why
    // key-store backups must expire (see the vault notes).
    const staleKeys = await unwrapSubjectKeyRows(new FileKeyStore(join(root, tenantId, 'keys-copy')), tenantId, erasedOldRow, null);
    expect(openRecord(staleKeys.get(erased)!, oldContacts.find((row) => row.id === erased)!.personal)).toEqual(personOf(0));
  });

  it('finishes an advance that was interrupted after switching epochs', async () => {
    const { tenantId, keyStore, ids } = await sealedWorkspace(5);
    const next = await keyStore.createEpochKey(tenantId);
    await database.query(`update vault_epochs set state = 'retired' where tenant_id = $1`, [tenantId]);
    await database.query(`insert into vault_epochs (tenant_id, epoch, state) values ($1, $2, 'current')`, [tenantId, next.epoch]);
    expect(await workspacesDueForEpochAdvance(database.db)).toContainEqual({ tenantId, unfinished: true });
    const finished = await completeEpochAdvance(database, keyStore, tenantId);
    expect(finished).toMatchObject({ epoch: 2, rewrapped: 5, destroyedEpochs: [1] });
    const states = await database.query<{ epoch: number; state: string }>(`select epoch, state from vault_epochs where tenant_id = $1 order by epoch`, [
      tenantId,
    ]);
    expect(states).toEqual([
      { epoch: 1, state: 'destroyed' },
      { epoch: 2, state: 'current' },
    ]);
    expect((await readBack(tenantId, keyStore, ids)).size).toBe(5);
  });
});

describe('key rotation', () => {
  it('re-wraps without re-encrypting: data reads back and the retired key unwraps nothing', async () => {
    const { tenantId, keyStore, ids } = await sealedWorkspace(12);
    const retiredKey = (await keyStore.getEpochKey(tenantId, 1))!;
    await cp(join(root, tenantId, 'keys'), join(root, tenantId, 'keys-backup'), { recursive: true });
    const before = await database.query<{ personal: unknown }>(`select personal from contacts where tenant_id = $1 order by id`, [tenantId]);
    const report = await rotateKeys(database, keyStore, tenantId);
    expect(report).toMatchObject({ previousEpoch: 1, epoch: 2, rewrapped: 12, destroyedEpochs: [1] });
    expect(await database.query(`select personal from contacts where tenant_id = $1 order by id`, [tenantId])).toEqual(before);
    expect((await readBack(tenantId, keyStore, ids)).get(ids[3])).toEqual(personOf(3));
    expect(await keyStore.getEpochKey(tenantId, 1)).toBeNull();
    for (const row of await wrappedRows(tenantId)) {
      expect(row.epoch).toBe(2);
      const wrapped = Buffer.from(row.wrapped_key);
      for (const epoch of [1, 2]) {
        expect(() => unwrapSubjectKey(retiredKey, { tenantId, subjectId: row.subject_id, keyVersion: row.key_version, epoch }, wrapped)).toThrow(
          VaultDecryptError,
        );
      }
    }

    // A key-store backup restored over the live one brings epoch 1 back; the next advance destroys it again.
    await cp(join(root, tenantId, 'keys-backup', tenantId, 'epoch-00000001.key'), join(root, tenantId, 'keys', tenantId, 'epoch-00000001.key'));
    expect(await keyStore.listLiveEpochs(tenantId)).toEqual([1, 2]);
    expect((await rotateKeys(database, keyStore, tenantId)).destroyedEpochs).toEqual([1, 2]);
    expect(await keyStore.listLiveEpochs(tenantId)).toEqual([3]);
  });
});
