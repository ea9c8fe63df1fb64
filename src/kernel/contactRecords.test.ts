import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../db/ids.ts';
import { openTestDatabase, type TestDatabase } from '../../test/support/testDatabase.ts';
import { createWorkspace } from '../accounts/workspaces.ts';
import { DomainError } from '../shared/domainError.ts';
import { systemContext, type PurposeContext } from './accessContext.ts';
import { contactLookupTokens } from './lookupTokens.ts';
import { ensureTestKernel } from './runtime.ts';
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

const storedPersonal = async (id: string) =>
  (await database.query<{ personal: Record<string, unknown> }>('select personal from contacts where id = $1', [id]))[0]?.personal;

beforeAll(async () => {
  ensureTestKernel();
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
    expect((await readContact(database.db, ctx, row.id))?.personal).toEqual({ first_name: 'Ann', email: 'ann@new.example', job_title: 'CTO' });
    expect(JSON.stringify(await storedPersonal(row.id))).not.toMatch(/Ann|new\.example|CTO/);
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

  it('reads name candidates in batches sized to the page: the key of a candidate past the first batch is never unwrapped', async () => {
    // Ids are time-ordered, so the candidates come in insertion order. The 40th gets the
    // 46th's wrapped key, which does not unwrap for it: any batch that reaches it fails.
    const rows = Array.from({ length: 50 }, (_, index) => contact({ first_name: 'Batchwise', last_name: `Number${index}` }));
    await insertContacts(database.db, ctx, rows);
    await database.query(
      'update subject_keys set wrapped_key = (select wrapped_key from subject_keys where tenant_id = $1 and subject_id = $3) where tenant_id = $1 and subject_id = $2',
      [ctx.tenantId, rows[39].id, rows[45].id],
    );
    expect(await searchContactIdsByNamePrefix(database.db, ctx, 'batchw', { limit: 3 })).toEqual(rows.slice(0, 3).map((row) => row.id));
    await expect(searchContactIdsByNamePrefix(database.db, ctx, 'batchw', { limit: 45 })).rejects.toThrow();
  });

  it('intersects the index of every word, so a word no contact has finds nobody', async () => {
    const emily = contact({ first_name: 'Emilia', last_name: 'Hillcrest' });
    const other = contact({ first_name: 'Emilia', last_name: 'Stoneway' });
    await insertContacts(database.db, ctx, [emily, other]);
    expect(await searchContactIdsByNamePrefix(database.db, ctx, 'hillcr emilia', { limit: 10 })).toEqual([emily.id]);
    expect(await searchContactIdsByNamePrefix(database.db, ctx, 'emilia zzqx', { limit: 10 })).toEqual([]);
  });

  it('pages by a non-personal key without repeating or skipping rows', async () => {
    const ownerless = Array.from({ length: 5 }, (_, index) =>
      contact({ first_name: `P${index}` }, { source: 'staff', createdAt: new Date(Date.UTC(2020, 0, 1 + index)) }),
    );
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

  it('stores every personal value sealed and every lookup token as a blind index', async () => {
    const row = contact({ first_name: 'Sealy', last_name: 'Plainfield', email: 'sealy@plain.example', phone: '+44 20 7946 0111', loyalty_tier: 'platinum' });
    await insertContacts(database.db, ctx, [row]);
    const stored = await storedPersonal(row.id);
    expect(Object.keys(stored ?? {}).sort()).toEqual(['email', 'first_name', 'last_name', 'loyalty_tier', 'phone']);
    expect(JSON.stringify(stored)).not.toMatch(/sealy|plain|platinum|7946/i);
    const tokens = await database.query<{ token: string }>('select token from lookup_tokens where record_id = $1', [row.id]);
    expect(tokens.length).toBeGreaterThan(5);
    const plaintext = contactLookupTokens({ email: 'sealy@plain.example', phone: '+44 20 7946 0111', first_name: 'Sealy', last_name: 'Plainfield' }).map(
      (token) => token.token,
    );
    expect(tokens.filter((token) => plaintext.includes(token.token) || /sealy|plain|7946/i.test(token.token))).toEqual([]);
    expect((await readContact(database.db, ctx, row.id, { fields: ['email'] }))?.personal).toEqual({ email: 'sealy@plain.example' });
  });

  it('refuses a sealed value moved to another contact with integrity_error naming field and contact', async () => {
    const [first, second] = [contact({ email: 'first@swap.example' }), contact({ email: 'second@swap.example' })];
    await insertContacts(database.db, ctx, [first, second]);
    await database.query('update contacts set personal = $1::jsonb where id = $2', [JSON.stringify(await storedPersonal(first.id)), second.id]);
    const failure = await readContact(database.db, ctx, second.id).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DomainError);
    expect((failure as DomainError).code).toBe('integrity_error');
    expect((failure as DomainError).message).toContain(second.id);
    expect((failure as DomainError).message).toContain('email');
    expect((failure as DomainError).message).not.toContain('swap.example');
  });

  it("refuses a deleted contact's copied sealed row once its key is shredded", async () => {
    const row = contact({ first_name: 'Gone', email: 'gone@shred.example' });
    await insertContacts(database.db, ctx, [row]);
    const sealed = await storedPersonal(row.id);
    await deleteContacts(database.db, ctx, [row.id]);
    expect(await database.query('select 1 from subject_keys where subject_id = $1', [row.id])).toHaveLength(0);
    await insertContacts(database.db, ctx, [{ ...row, personal: {} }]);
    await database.query('update contacts set personal = $1::jsonb where id = $2', [JSON.stringify(sealed), row.id]);
    // A new key was made for the re-created id: the old sealed values do not open under it.
    await expect(readContact(database.db, ctx, row.id)).rejects.toMatchObject({ code: 'integrity_error' });
  });
});
