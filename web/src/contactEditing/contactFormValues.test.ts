import { describe, expect, it } from 'vitest';
import type { Contact, User } from '../api/types.ts';
import { changedFields, changeOf, emptyContactForm, formValuesOf, newContactOf, rebase, writableFields } from './contactFormValues.ts';
import { type CustomFieldShape, customValueOf, offeredCustomFields } from './customFieldValues.ts';
import { nobody, ownerChoices } from './ownerChoices.ts';

const contact = {
  id: '00000000-0000-4000-8000-000000000001',
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: 'ada@example.com',
  customFields: {},
  ownerId: null,
  companyId: null,
  lifecycleStage: 'customer',
  source: 'api',
  importBatchId: null,
  lastActivityAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  version: 3,
} satisfies Contact;

describe('the contact form values', () => {
  it('show an absent field as an empty input and keep the stage', () => {
    expect(formValuesOf(contact)).toEqual({
      ...emptyContactForm,
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.com',
      lifecycleStage: 'customer',
    });
  });

  it('offer only the fields the purpose is not refused', () => {
    const withheld = [
      { field: 'city', reason: 'field_not_declared_for_purpose', message: 'not declared' },
      { field: 'phone', reason: 'restricted', message: 'restricted' },
    ];
    expect(writableFields(withheld)).toEqual(['firstName', 'lastName', 'email', 'phone', 'jobTitle', 'country']);
  });

  it('name the fields that differ, ignoring spaces around the text', () => {
    const base = formValuesOf(contact);
    expect(changedFields(base, { ...base, firstName: ' Ada ', city: 'London', lifecycleStage: 'lead' })).toEqual(['city', 'lifecycleStage']);
  });

  it('send an emptied field as null, which removes its value', () => {
    const values = { ...formValuesOf(contact), email: '  ', city: ' Paris ' };
    expect(changeOf(values, ['email', 'city', 'lifecycleStage'])).toEqual({ email: null, city: 'Paris', lifecycleStage: 'customer' });
  });
});

describe('a form rebased on a version someone else saved', () => {
  it("takes their values and keeps the user's own edits on top", () => {
    const base = formValuesOf(contact);
    const edited = { ...base, jobTitle: 'Analyst', lastName: 'King' };
    const current = { ...base, lastName: 'Byron', city: 'London' };
    expect(rebase(base, edited, current)).toEqual({ ...base, jobTitle: 'Analyst', lastName: 'King', city: 'London' });
  });
});

const definitions = [
  { key: 'seats', label: 'Seats', type: 'number', options: null },
  { key: 'renewal_on', label: 'Renewal on', type: 'date', options: null },
  { key: 'vip', label: 'VIP', type: 'boolean', options: null },
  { key: 'tier', label: 'Tier', type: 'select', options: ['gold', 'silver'] },
  { key: 'note', label: 'Note', type: 'text', options: null },
] as const satisfies ReadonlyArray<CustomFieldShape>;
const ownerId = '00000000-0000-4000-8000-0000000000aa';
const companyId = '00000000-0000-4000-8000-0000000000bb';
const withCustom = { ...contact, ownerId, companyId, customFields: { seats: 40, vip: true, renewal_on: '2027-03-01', tier: 'gold' } } satisfies Contact;

describe('the custom fields, owner and company in the form', () => {
  it('show stored custom values as the text of their inputs, and the owner and company by id', () => {
    const values = formValuesOf(withCustom);
    expect(values.customFields).toEqual({ seats: '40', vip: 'true', renewal_on: '2027-03-01', tier: 'gold' });
    expect(values).toMatchObject({ ownerId, companyId });
    expect(formValuesOf(contact)).toMatchObject({ ownerId: '', companyId: '' });
  });

  it('send custom values typed by their definitions, an emptied one as null', () => {
    const values = { ...formValuesOf(withCustom), customFields: { seats: ' 12.5 ', vip: 'false', renewal_on: '', tier: 'silver', note: ' hello ' } };
    const fields = ['customFields.seats', 'customFields.vip', 'customFields.renewal_on', 'customFields.tier', 'customFields.note'] as const;
    expect(changeOf(values, fields, definitions)).toEqual({ customFields: { seats: 12.5, vip: false, renewal_on: null, tier: 'silver', note: 'hello' } });
  });

  it("send a number field's text that is no number as typed, for the server to say why", () => {
    expect(customValueOf('number', 'twelve')).toBe('twelve');
    expect(customValueOf('number', '-3e2')).toBe(-300);
    expect(customValueOf('number', '  ')).toBeNull();
  });

  it('put only the changed fields in a PATCH: one custom value, the owner removed, the company changed', () => {
    const base = formValuesOf(withCustom);
    const edited = { ...base, ownerId: '', companyId: '00000000-0000-4000-8000-0000000000cc', customFields: { ...base.customFields, seats: '41' } };
    const fields = changedFields(base, edited);
    expect(fields).toEqual(['ownerId', 'companyId', 'customFields.seats']);
    expect(changeOf(edited, fields, definitions)).toEqual({ ownerId: null, companyId: '00000000-0000-4000-8000-0000000000cc', customFields: { seats: 41 } });
    expect(changeOf(base, changedFields(base, base), definitions)).toEqual({});
  });

  it('count a custom input left empty as unchanged when the contact had no value', () => {
    const base = formValuesOf(contact);
    expect(changedFields(base, { ...base, customFields: { note: '' } })).toEqual([]);
  });

  it('create a contact with the fields filled in and always the chosen owner, "Nobody" as null', () => {
    const values = { ...emptyContactForm, lastName: 'Hopper', companyId, customFields: { seats: '3', note: '' } };
    expect(newContactOf(values, definitions)).toEqual({ lastName: 'Hopper', companyId, ownerId: null, customFields: { seats: 3 } });
    expect(newContactOf({ ...values, ownerId }, definitions).ownerId).toBe(ownerId);
  });

  it('rebase keeps the custom value the user edited and takes the one someone else saved', () => {
    const base = formValuesOf(withCustom);
    const edited = { ...base, customFields: { ...base.customFields, seats: '50' } };
    const current = { ...base, customFields: { ...base.customFields, tier: 'silver' } };
    expect(rebase(base, edited, current).customFields).toEqual({ ...base.customFields, seats: '50', tier: 'silver' });
  });
});

describe('the custom fields a form offers', () => {
  const withheld = [
    { field: 'customFields.tier', reason: 'field_not_declared_for_purpose', message: 'not declared' },
    { field: 'customFields.vip', reason: 'restricted', message: 'restricted' },
  ];
  it('leave out those refused for the purpose on a new contact, and every withheld one on an existing contact', () => {
    expect(offeredCustomFields(definitions, withheld, false).map((field) => field.key)).toEqual(['seats', 'renewal_on', 'vip', 'note']);
    expect(offeredCustomFields(definitions, withheld, true).map((field) => field.key)).toEqual(['seats', 'renewal_on', 'note']);
    expect(offeredCustomFields(definitions, [{ field: 'customFields', reason: 'erased', message: 'erased' }], true)).toEqual([]);
  });
});

describe('the owners a form offers', () => {
  const me = '00000000-0000-4000-8000-0000000000a1';
  it('offer a role that may not list users me, nobody and the owner the contact has', () => {
    expect(ownerChoices(me, null, ownerId)).toEqual([
      { id: me, name: 'Me' },
      { id: nobody, name: 'Nobody' },
      { id: ownerId, name: 'Keep the current owner' },
    ]);
    expect(ownerChoices(me, null, me).map((choice) => choice.name)).toEqual(['Me', 'Nobody']);
  });

  it('offer a role that may list users nobody and every active user', () => {
    const users = [
      { id: me, displayName: 'Ada Admin' },
      { id: ownerId, displayName: 'Sam Sales' },
    ] as User[];
    expect(ownerChoices(me, users, '').map((choice) => choice.name)).toEqual(['Nobody', 'Ada Admin (me)', 'Sam Sales']);
  });
});
