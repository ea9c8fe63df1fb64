import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';
import { addTestUser } from './support/salesRecords.ts';

let t: TestApp;
let mine: TestWorkspace;
let theirs: TestWorkspace;
let theirContact: { id: string; email: string };
let theirCompanyId: string;
let theirUserId: string;

beforeAll(async () => {
  t = await createTestApp();
  mine = await t.createWorkspace();
  theirs = await t.createWorkspace();
  theirUserId = await addTestUser(t, theirs.id);
  theirCompanyId = (
    await t.request(theirs.keys.admin, { method: 'POST', url: '/api/v1/companies', payload: { name: 'Their Company', domain: 'theirs.example' } })
  ).json().data.id;
  const contact = await t.request(theirs.keys.admin, {
    method: 'POST',
    url: '/api/v1/contacts',
    payload: { firstName: 'Theodora', email: 'theodora@theirs.example', phone: '+1 555 010 9999', companyId: theirCompanyId },
  });
  theirContact = { id: contact.json().data.id, email: 'theodora@theirs.example' };
  await t.request(theirs.keys.admin, {
    method: 'POST',
    url: '/api/v1/custom-fields',
    payload: { object: 'contact', key: 'their_field', label: 'Theirs', type: 'text', dataCategory: 'user.content.private' },
  });
});
afterAll(() => t.close());

const asMe = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: Record<string, unknown>, headers: Record<string, string> = {}) =>
  t.request(mine.keys.admin, { method, url, payload, headers });

describe('tenant isolation', () => {
  it("answers 404 for another workspace's contact on read, update, delete, duplicates and merge", async () => {
    expect((await asMe('GET', `/api/v1/contacts/${theirContact.id}`)).statusCode).toBe(404);
    expect((await asMe('PATCH', `/api/v1/contacts/${theirContact.id}`, { city: 'Hijacked' }, { 'if-match': '"1"' })).statusCode).toBe(404);
    expect((await asMe('DELETE', `/api/v1/contacts/${theirContact.id}`)).statusCode).toBe(404);
    expect((await asMe('GET', `/api/v1/contacts/${theirContact.id}/duplicates`)).statusCode).toBe(404);
    const mineId = (await asMe('POST', '/api/v1/contacts', { firstName: 'Mine' })).json().data.id;
    expect((await asMe('POST', `/api/v1/contacts/${theirContact.id}/merge`, { duplicateId: mineId })).statusCode).toBe(404);
    const mergeTheirs = await asMe('POST', `/api/v1/contacts/${mineId}/merge`, { duplicateId: theirContact.id });
    expect(mergeTheirs.statusCode).toBe(422);
    expect(mergeTheirs.json().errors[0].field).toBe('duplicateId');
  });

  it("answers 404 for another workspace's company on read, update and delete", async () => {
    expect((await asMe('GET', `/api/v1/companies/${theirCompanyId}`)).statusCode).toBe(404);
    expect((await asMe('PATCH', `/api/v1/companies/${theirCompanyId}`, { name: 'Hijacked' }, { 'if-match': '"1"' })).statusCode).toBe(404);
    expect((await asMe('DELETE', `/api/v1/companies/${theirCompanyId}`)).statusCode).toBe(404);
    expect((await asMe('DELETE', '/api/v1/custom-fields/contact/their_field')).statusCode).toBe(404);
  });

  it("never lists or finds another workspace's records", async () => {
    const contacts = await asMe('GET', '/api/v1/contacts?limit=200');
    expect(contacts.json().data.map((row: { id: string }) => row.id)).not.toContain(theirContact.id);
    const companies = await asMe('GET', '/api/v1/companies?limit=200');
    expect(companies.json().data.map((row: { id: string }) => row.id)).not.toContain(theirCompanyId);
    expect((await asMe('GET', '/api/v1/companies?domain=theirs.example')).json().data).toEqual([]);
    expect((await asMe('POST', '/api/v1/contacts/search', { email: theirContact.email })).json().data).toEqual([]);
    expect((await asMe('POST', '/api/v1/contacts/search', { name: 'theo' })).json().data).toEqual([]);
    expect((await asMe('POST', '/api/v1/contacts/search', { phone: '+15550109999' })).json().data).toEqual([]);
    expect((await asMe('GET', '/api/v1/custom-fields')).json().data).toEqual([]);
  });

  it("refuses links to another workspace's user or company and its custom fields, naming the field", async () => {
    const owner = await asMe('POST', '/api/v1/contacts', { ownerId: theirUserId });
    expect(owner.statusCode).toBe(422);
    expect(owner.json().errors[0].field).toBe('ownerId');
    const company = await asMe('POST', '/api/v1/contacts', { companyId: theirCompanyId });
    expect(company.statusCode).toBe(422);
    expect(company.json().errors[0].field).toBe('companyId');
    const custom = await asMe('POST', '/api/v1/contacts', { customFields: { their_field: 'x' } });
    expect(custom.json().errors[0].field).toBe('customFields.their_field');
  });

  it("does not count another workspace's e-mail as a duplicate", async () => {
    expect((await asMe('POST', '/api/v1/contacts', { email: theirContact.email })).statusCode).toBe(201);
  });

  it("leaves the other workspace's records untouched", async () => {
    const contact = await t.request(theirs.keys.admin, { method: 'GET', url: `/api/v1/contacts/${theirContact.id}` });
    expect(contact.json().data).toMatchObject({ version: 1, companyId: theirCompanyId, email: theirContact.email });
    expect((await t.request(theirs.keys.admin, { method: 'GET', url: `/api/v1/companies/${theirCompanyId}` })).json().data.name).toBe('Their Company');
  });
});
