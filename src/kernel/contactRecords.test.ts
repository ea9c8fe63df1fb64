import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../db/ids.ts';
import { openTestDatabase, type TestDatabase } from '../../test/support/testDatabase.ts';
import { createWorkspace } from '../accounts/workspaces.ts';
import { systemContext, type PurposeContext } from './accessContext.ts';
import {
  deleteContacts,
  findContactIdsByLookup,
  insertContacts,
  readContact,
  readContacts,
  removeContactPersonalField,
  searchContactIdsByNamePrefix,
  updateContactPersonal,
  type NewContact,
} from './contactRecords.ts';

let database: TestDatabase;
let ctx: PurposeContext;
let otherCtx: PurposeContext;

const contact = (personal: Record<string, unknown>, extra: Partial<NewContact> = {}): NewContact => ({
  id: newId(),
  ownerId: null,
  companyId: null,
  lifecycleStage: 'lead',
  source: 'api',
  personal,
  ...extra,
});

beforeAll(async () => {
  database = await openTestDatabase();
  ctx = systemContext((await createWorkspace(database.db, { slug: `kernel-${process.pid}`, name: 'Kernel' })).id, 'test', 'sales');
  otherCtx = systemContext((await createWorkspace(database.db, { slug: `kernel-other-${process.pid}`, name: 'Other' })).id, 'test', 'sales');
});
afterAll(() => database.close());

describe('contact records', () => {
  it('inserts thousands of contacts in chunks and finds each by e-mail', async () => {
    const batchId = newId();
    const rows = Array.from({ length: 5_001 }, (_, index) => contact({ email: `bulk${index}@example.com`, first_name: 'Bulk' }, { importBatchId: batchId }));
    expect(await insertContacts(database.db, ctx, rows)).toBe(5_001);
    const found = await findContactIdsByLookup(database.db, ctx, 'email', ['bulk0@example.com', 'bulk5000@example.com', 'absent@example.com']);
    expect(found.get('bulk0@example.com')).toEqual([rows[0].id]);
    expect(found.get('bulk5000@example.com')).toEqual([rows[5_000].id]);
    expect(found.has('absent@example.com')).toBe(false);
    expect(await deleteContacts(database.db, ctx, { importBatchId: batchId })).toHaveLength(5_001);
    expect((await findContactIdsByLookup(database.db, ctx, 'email', ['bulk0@example.com'])).size).toBe(0);
  });

  it('merges personal changes, removes null fields and recomputes lookup tokens', async () => {
    const row = contact({ first_name: 'Ann', email: 'ann@example.com', city: 'Lyon' });
    await insertContacts(database.db, ctx, [row]);
    const personal = await updateContactPersonal(database.db, ctx, row.id, { email: 'ann@new.example', city: null, job_title: 'CTO' });
    expect(personal).toEqual({ first_name: 'Ann', email: 'ann@new.example', job_title: 'CTO' });
    expect((await findContactIdsByLookup(database.db, ctx, 'email', ['ann@example.com'])).size).toBe(0);
    expect((await findContactIdsByLookup(database.db, ctx, 'email', ['ann@new.example'])).get('ann@new.example')).toEqual([row.id]);
    expect(await updateContactPersonal(database.db, otherCtx, row.id, { city: 'Paris' })).toBeNull();
  });

  it('finds names by folded prefix and filters prefixes longer than the token exactly', async () => {
    const marianne = contact({ first_name: 'Marianne', last_name: 'Čapek' });
    const mariano = contact({ first_name: 'Mariano', last_name: 'Ruiz' });
    await insertContacts(database.db, ctx, [marianne, mariano]);
    expect(await searchContactIdsByNamePrefix(database.db, ctx, 'MARI', { limit: 10 })).toEqual([marianne.id, mariano.id]);
    expect(await searchContactIdsByNamePrefix(database.db, ctx, 'mariann', { limit: 10 })).toEqual([marianne.id]);
    expect(await searchContactIdsByNamePrefix(database.db, ctx, 'cap', { limit: 10 })).toEqual([marianne.id]);
    expect(await searchContactIdsByNamePrefix(database.db, ctx, 'mari', { limit: 10, afterId: marianne.id })).toEqual([mariano.id]);
    expect(await searchContactIdsByNamePrefix(database.db, ctx, 'm', { limit: 10 })).toEqual([]);
    expect(await searchContactIdsByNamePrefix(database.db, otherCtx, 'mari', { limit: 10 })).toEqual([]);
  });

  it('pages by a non-personal key without repeating or skipping rows', async () => {
    const ownerless = Array.from({ length: 5 }, (_, index) => contact({ first_name: `P${index}` }, { source: 'staff', createdAt: new Date(Date.UTC(2020, 0, 1 + index)) }));
    await insertContacts(database.db, ctx, ownerless);
    const first = await readContacts(database.db, ctx, { where: { source: 'staff' }, sort: '-createdAt', limit: 2 });
    const second = await readContacts(database.db, ctx, { where: { source: 'staff' }, sort: '-createdAt', limit: 2, cursor: first.nextCursor ?? undefined });
    const third = await readContacts(database.db, ctx, { where: { source: 'staff' }, sort: '-createdAt', limit: 2, cursor: second.nextCursor ?? undefined });
    expect([...first.rows, ...second.rows, ...third.rows].map((row) => row.id)).toEqual([...ownerless].reverse().map((row) => row.id));
    expect(third.nextCursor).toBeNull();
    expect((await readContact(database.db, ctx, ownerless[0].id))?.personal).toEqual({ first_name: 'P0' });
    expect(await readContact(database.db, otherCtx, ownerless[0].id)).toBeNull();
  });

  it('removes one personal field from every contact of the workspace only', async () => {
    const mine = contact({ first_name: 'Keep', loyalty_tier: 'gold' });
    const theirs = contact({ first_name: 'Other', loyalty_tier: 'silver' });
    await insertContacts(database.db, ctx, [mine]);
    await insertContacts(database.db, otherCtx, [theirs]);
    expect(await removeContactPersonalField(database.db, ctx, 'loyalty_tier')).toBe(1);
    expect((await readContact(database.db, ctx, mine.id))?.personal).toEqual({ first_name: 'Keep' });
    expect((await readContact(database.db, otherCtx, theirs.id))?.personal).toEqual({ first_name: 'Other', loyalty_tier: 'silver' });
  });
});
