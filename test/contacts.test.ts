import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, errorFields, type TestApp, type TestWorkspace } from './support/testApp.ts';
import { addTestUser } from './support/salesRecords.ts';
import { insertContacts } from '../src/kernel/contactRecords.ts';
import { newId } from '../src/db/ids.ts';
import { systemContext } from '../src/kernel/accessContext.ts';
import { insertEvents } from '../src/kernel/eventRecords.ts';
import { auditTrailForSubject } from '../src/kernel/audit.ts';
import { grantTestDefaults } from './support/contactPolicy.ts';

let t: TestApp;
let workspace: TestWorkspace;
let ownerId: string;
let admin: string;

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  await grantTestDefaults(t, workspace.id);
  admin = workspace.keys.admin;
  ownerId = await addTestUser(t, workspace.id);
});
afterAll(() => t.close());

const create = (payload: Record<string, unknown>, url = '/api/v1/contacts') => t.request(admin, { method: 'POST', url, payload });

describe('contacts', () => {
  it('creates a contact with an owner, a source and normalised e-mail, and reads it back with its ETag', async () => {
    const created = await create({
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: ' Ada@Example.COM ',
      phone: '+44 20 7946 0958',
      ownerId,
      source: 'staff',
      lifecycleStage: 'customer',
    });
    expect(created.statusCode).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    const { data, withheld } = created.json();
    expect(withheld).toEqual([]);
    expect(data).toMatchObject({
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.com',
      ownerId,
      source: 'staff',
      lifecycleStage: 'customer',
      version: 1,
    });

    const read = await t.request(admin, { method: 'GET', url: `/api/v1/contacts/${data.id}` });
    expect(read.statusCode).toBe(200);
    expect(read.headers.etag).toBe('"1"');
    expect(read.json().data.email).toBe('ada@example.com');
  });

  it('defaults the source of an API-created contact to api', async () => {
    const created = await create({ firstName: 'Grace' });
    expect(created.json().data.source).toBe('api');
  });

  it('updates with If-Match, removes a value with null and bumps the version', async () => {
    const { data } = (await create({ firstName: 'Alan', city: 'London' })).json();
    const patched = await t.request(admin, {
      method: 'PATCH',
      url: `/api/v1/contacts/${data.id}`,
      headers: { 'if-match': '"1"' },
      payload: { city: null, jobTitle: 'Mathematician' },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.headers.etag).toBe('"2"');
    expect(patched.json().data.city).toBeUndefined();
    expect(patched.json().data.jobTitle).toBe('Mathematician');
  });

  it('refuses a PATCH without If-Match with 428 and a stale one with 412', async () => {
    const { data } = (await create({ firstName: 'Edsger' })).json();
    const missing = await t.request(admin, { method: 'PATCH', url: `/api/v1/contacts/${data.id}`, payload: { city: 'Austin' } });
    expect(missing.statusCode).toBe(428);
    await t.request(admin, { method: 'PATCH', url: `/api/v1/contacts/${data.id}`, headers: { 'if-match': '"1"' }, payload: { city: 'Austin' } });
    const stale = await t.request(admin, {
      method: 'PATCH',
      url: `/api/v1/contacts/${data.id}`,
      headers: { 'if-match': '"1"' },
      payload: { city: 'Eindhoven' },
    });
    expect(stale.statusCode).toBe(412);
    const read = await t.request(admin, { method: 'GET', url: `/api/v1/contacts/${data.id}` });
    expect(read.json().data.city).toBe('Austin');
  });

  it('deletes a contact for good: its accesses were audited under its pseudonym, by field names only, its id finds them no more and its address is suppressed', async () => {
    const { data } = (await create({ firstName: 'Temporary', email: 'temporary@example.com' })).json();
    const before = await auditTrailForSubject(t.database.db, workspace.id, { subjectId: data.id });
    // Created; the response is built from what was written, so no read is audited.
    expect(before.map((entry) => entry.action)).toEqual(['contact.created']);
    expect(before.every((entry) => entry.recordIds.length === 0 && entry.purpose === 'sales')).toBe(true);
    expect(JSON.stringify(before)).not.toContain('temporary@example.com');
    expect(JSON.stringify(before)).not.toContain(data.id);
    const deleted = await t.request(admin, { method: 'DELETE', url: `/api/v1/contacts/${data.id}` });
    expect(deleted.statusCode).toBe(204);
    expect((await t.request(admin, { method: 'GET', url: `/api/v1/contacts/${data.id}` })).statusCode).toBe(404);
    expect((await t.request(admin, { method: 'DELETE', url: `/api/v1/contacts/${data.id}` })).statusCode).toBe(404);
    // The erasure cut the id from its pseudonym (test/auditErasure.test.ts has the whole story).
    expect(await auditTrailForSubject(t.database.db, workspace.id, { subjectId: data.id })).toEqual([]);
    // The address is suppressed: the person does not come back without their fresh consent
    // (test/erasureCompleteness.test.ts), and the refusal never echoes the address.
    const again = await create({ email: 'temporary@example.com' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'suppressed', errors: [{ field: 'email', reason: 'suppressed' }] });
    expect(again.body).not.toContain('temporary@example.com');
  });

  it('lists contacts filtered by owner, lifecycle stage and source, newest first', async () => {
    const listOwner = await addTestUser(t, workspace.id);
    const first = (await create({ firstName: 'L1', ownerId: listOwner, lifecycleStage: 'lead', source: 'form' })).json().data;
    const second = (await create({ firstName: 'L2', ownerId: listOwner, lifecycleStage: 'customer', source: 'form' })).json().data;
    const byOwner = await t.request(admin, { method: 'GET', url: `/api/v1/contacts?ownerId=${listOwner}&sort=-createdAt` });
    expect(byOwner.json().data.map((row: { id: string }) => row.id)).toEqual([second.id, first.id]);
    const customers = await t.request(admin, { method: 'GET', url: `/api/v1/contacts?ownerId=${listOwner}&lifecycleStage=customer` });
    expect(customers.json().data.map((row: { id: string }) => row.id)).toEqual([second.id]);
    const bySource = await t.request(admin, { method: 'GET', url: `/api/v1/contacts?ownerId=${listOwner}&source=form&sort=updatedAt` });
    expect(bySource.json().data).toHaveLength(2);
  });

  it('names the field of each validation error', async () => {
    const cases: Array<[Record<string, unknown>, string, number]> = [
      [{ email: 'not-an-address' }, 'email', 422],
      [{ phone: 'call me maybe' }, 'phone', 422],
      [{ ownerId: '01900000-0000-7000-8000-000000000000' }, 'ownerId', 422],
      [{ companyId: '01900000-0000-7000-8000-000000000000' }, 'companyId', 422],
      [{ customFields: { shoe_size: 42 } }, 'customFields.shoe_size', 422],
      [{ lifecycleStage: 'royalty' }, 'lifecycleStage', 422],
      [{ source: 'telepathy' }, 'source', 422],
      [{ ownerId: 'not-a-uuid' }, 'ownerId', 422],
      [{ firstName: 7 }, 'firstName', 422],
    ];
    for (const [payload, field, status] of cases) {
      const response = await create(payload);
      expect({ field, status: response.statusCode }).toEqual({ field, status });
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(errorFields(response.json())).toContain(field);
    }
    const sort = await t.request(admin, { method: 'GET', url: '/api/v1/contacts?sort=firstName' });
    expect(sort.statusCode).toBe(422);
    expect(errorFields(sort.json())).toEqual(['sort']);
    const malformed = await t.request(admin, { method: 'GET', url: '/api/v1/contacts/not-a-uuid' });
    expect(malformed.statusCode).toBe(422);
  });

  it('never quotes a personal value in an error message', async () => {
    const response = await create({ email: 'secret-value@@example.com' });
    expect(response.statusCode).toBe(422);
    expect(response.body).not.toContain('secret-value');
  });

  it('stores contact custom field values as personal data and validates their type', async () => {
    const field = await t.request(admin, {
      method: 'POST',
      url: '/api/v1/custom-fields',
      payload: { object: 'contact', key: 'birthday', label: 'Birthday', type: 'date', dataCategory: 'user.demographic.date_of_birth' },
    });
    expect(field.statusCode).toBe(201);
    const created = await create({ firstName: 'Custom', customFields: { birthday: '1990-04-01' } });
    expect(created.statusCode).toBe(201);
    expect(created.json().data.customFields).toEqual({ birthday: '1990-04-01' });
    const [row] = await t.database.query<{ personal: Record<string, unknown> }>('select personal from contacts where tenant_id = $1 and id = $2', [
      workspace.id,
      created.json().data.id,
    ]);
    // Stored sealed under the contact's key: present, but not as plaintext.
    expect(typeof row.personal.birthday).toBe('string');
    expect(JSON.stringify(row.personal)).not.toContain('1990-04-01');
    const wrongType = await create({ customFields: { birthday: 'yesterday' } });
    expect(wrongType.statusCode).toBe(422);
    expect(errorFields(wrongType.json())).toEqual(['customFields.birthday']);
  });
});

describe('contact search', () => {
  let marianne: string;
  let mariano: string;

  beforeAll(async () => {
    marianne = (await create({ firstName: 'Marianne', lastName: 'Ødegård', email: 'marianne@search.example', phone: '+33 1 23 45 67 89' })).json().data.id;
    mariano = (await create({ firstName: 'Mariano', lastName: 'Abril', email: 'mariano@search.example' })).json().data.id;
  });

  const search = (payload: Record<string, unknown>) => t.request(admin, { method: 'POST', url: '/api/v1/contacts/search', payload });
  const ids = (response: { json(): { data: Array<{ id: string }> } }) => response.json().data.map((row) => row.id);

  it('finds a contact by e-mail in any case and by phone in any spelling', async () => {
    expect(ids(await search({ email: 'MARIANNE@search.example' }))).toEqual([marianne]);
    expect(ids(await search({ phone: '+33 (0)1 23-45-67-89' }))).toEqual([marianne]);
  });

  it('finds names by a case- and accent-folded prefix of at least two characters', async () => {
    expect(ids(await search({ name: 'MARI' }))).toEqual([marianne, mariano]);
    expect(ids(await search({ name: 'odeg' }))).toEqual([marianne]);
    expect(ids(await search({ name: 'mariann' }))).toEqual([marianne]);
    const tooShort = await search({ name: 'm' });
    expect(tooShort.statusCode).toBe(422);
    expect(errorFields(tooShort.json())).toEqual(['name']);
  });

  it('combines criteria and sorts a bounded result by last name', async () => {
    expect(ids(await search({ name: 'mari', email: 'mariano@search.example' }))).toEqual([mariano]);
    expect(ids(await search({ name: 'mari', sort: 'name' }))).toEqual([mariano, marianne]);
  });

  it('pages search results with a cursor that carries no personal value', async () => {
    const first = await search({ name: 'mari', limit: 1 });
    expect(ids(first)).toEqual([marianne]);
    const cursor = first.json().nextCursor as string;
    expect(Buffer.from(cursor, 'base64url').toString('utf8').toLowerCase()).not.toContain('mari');
    expect(ids(await search({ name: 'mari', limit: 1, cursor }))).toEqual([mariano]);
  });

  it('refuses a sort by name over more than 1,000 matches with result_too_large', async () => {
    await t.database.db.transaction(async (tx) => {
      await insertContacts(
        tx,
        systemContext(workspace.id, 'test', 'sales'),
        Array.from({ length: 1_001 }, (_, index) => ({
          id: newId(),
          ownerId: null,
          companyId: null,
          lifecycleStage: 'lead',
          source: 'import',
          personal: { first_name: 'Zoltan', last_name: `Z${index}` },
        })),
      );
    });
    const response = await search({ name: 'zolt', sort: 'name' });
    expect(response.statusCode).toBe(422);
    expect(response.json().code).toBe('result_too_large');
    expect((await search({ name: 'zolt', limit: 200 })).json().data).toHaveLength(200);
  });

  it('keeps personal values out of the URL: no GET search exists', async () => {
    const response = await t.request(admin, { method: 'GET', url: '/api/v1/contacts/search' });
    // It is GET /contacts/{id} with an id that is not one.
    expect(response.statusCode).toBe(422);
  });
});

describe('duplicates and merge', () => {
  it('refuses a second contact with the same e-mail with 409 naming email, unless allowDuplicate=true', async () => {
    await create({ firstName: 'Dup', email: 'dup@example.com' });
    const again = await create({ firstName: 'Dup2', email: 'DUP@example.com' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('duplicate');
    expect(errorFields(again.json())).toEqual(['email']);
    expect(again.body).not.toContain('dup@example.com');
    const allowed = await create({ firstName: 'Dup2', email: 'dup@example.com' }, '/api/v1/contacts?allowDuplicate=true');
    expect(allowed.statusCode).toBe(201);
  });

  it('lists contacts sharing an e-mail or phone as duplicates and merges one into the other', async () => {
    const survivor = (await create({ firstName: 'Sam', email: 'sam@merge.example' })).json().data;
    const duplicate = (
      await create({ lastName: 'Smith', email: 'sam@merge.example', phone: '+49 30 1234567', city: 'Berlin', ownerId }, '/api/v1/contacts?allowDuplicate=true')
    ).json().data;
    const [dealRow] = await t.database.query<{ id: string }>(`select id from pipelines where tenant_id = $1 limit 1`, [workspace.id]);
    const [stage] = await t.database.query<{ id: string }>(
      `select id from pipeline_stages where tenant_id = $1 and pipeline_id = $2 order by position limit 1`,
      [workspace.id, dealRow.id],
    );
    const dealId = newId();
    await t.database.db.execute(
      sql`insert into deals (tenant_id, id, pipeline_id, stage_id, name) values (${workspace.id}, ${dealId}, ${dealRow.id}, ${stage.id}, 'Merge deal')`,
    );
    await t.database.db.execute(sql`insert into deal_contacts (tenant_id, deal_id, contact_id) values (${workspace.id}, ${dealId}, ${duplicate.id})`);
    const purchaseId = newId();
    await t.database.db.execute(
      sql`insert into purchases (tenant_id, id, contact_id, order_number, currency, total_minor, purchased_at) values (${workspace.id}, ${purchaseId}, ${duplicate.id}, 'M-1', 'EUR', 100, now())`,
    );
    const eventId = newId();
    await t.database.db.transaction((tx) =>
      insertEvents(tx, systemContext(workspace.id, 'contacts-test', 'web_analytics'), [
        { id: eventId, contactId: duplicate.id, visitorId: null, type: 'page_view', occurredAt: new Date().toISOString(), properties: { step: 1 } },
      ]),
    );
    const activityId = newId();
    await t.database.db.execute(sql`insert into activities (tenant_id, id, type) values (${workspace.id}, ${activityId}, 'note')`);
    await t.database.db.execute(
      sql`insert into activity_links (tenant_id, activity_id, object, record_id) values (${workspace.id}, ${activityId}, 'contact', ${duplicate.id})`,
    );

    const duplicates = await t.request(admin, { method: 'GET', url: `/api/v1/contacts/${survivor.id}/duplicates` });
    expect(duplicates.json().data.map((row: { id: string; matchedOn: string[] }) => [row.id, row.matchedOn])).toEqual([[duplicate.id, ['email']]]);

    const merged = await t.request(admin, { method: 'POST', url: `/api/v1/contacts/${survivor.id}/merge`, payload: { duplicateId: duplicate.id } });
    expect(merged.statusCode).toBe(200);
    expect(merged.json().data).toMatchObject({
      id: survivor.id,
      firstName: 'Sam',
      lastName: 'Smith',
      city: 'Berlin',
      phone: '+49 30 1234567',
      ownerId,
      version: 2,
    });
    expect((await t.request(admin, { method: 'GET', url: `/api/v1/contacts/${duplicate.id}` })).statusCode).toBe(404);
    const links = await t.database.query<{ contact_id: string }>(`select contact_id from deal_contacts where tenant_id = $1 and deal_id = $2`, [
      workspace.id,
      dealId,
    ]);
    expect(links.map((link) => link.contact_id)).toEqual([survivor.id]);
    const moved = await t.database.query<{ what: string; contact_id: string }>(
      `select 'purchase' as what, contact_id from purchases where tenant_id = $1 and id = $2
       union all select 'event', contact_id from events where tenant_id = $1 and id = $3
       union all select 'activity', record_id from activity_links where tenant_id = $1 and activity_id = $4`,
      [workspace.id, purchaseId, eventId, activityId],
    );
    expect(moved).toEqual([
      { what: 'purchase', contact_id: survivor.id },
      { what: 'event', contact_id: survivor.id },
      { what: 'activity', contact_id: survivor.id },
    ]);
    const found = await t.request(admin, { method: 'POST', url: '/api/v1/contacts/search', payload: { phone: '+49301234567' } });
    expect(found.json().data.map((row: { id: string }) => row.id)).toEqual([survivor.id]);
    const merges = async (id: string) =>
      (await auditTrailForSubject(t.database.db, workspace.id, { subjectId: id })).filter((entry) => entry.action === 'contact.merged');
    const [merge] = await merges(survivor.id);
    expect(merge).toMatchObject({ recordIds: [] });
    expect([...merge!.fields].sort()).toEqual(['city', 'lastName', 'phone']);
    // The duplicate was deleted, and with it the link from its id to its pseudonym.
    expect(await merges(duplicate.id)).toEqual([]);
  });

  it('refuses to merge a contact into itself, naming duplicateId', async () => {
    const { data } = (await create({ firstName: 'Solo' })).json();
    const response = await t.request(admin, { method: 'POST', url: `/api/v1/contacts/${data.id}/merge`, payload: { duplicateId: data.id } });
    expect(response.statusCode).toBe(422);
    expect(errorFields(response.json())).toEqual(['duplicateId']);
  });
});
