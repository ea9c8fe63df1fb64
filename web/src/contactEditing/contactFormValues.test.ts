import { describe, expect, it } from 'vitest';
import type { Contact } from '../api/types.ts';
import { changedFields, changeOf, emptyContactForm, formValuesOf, rebase, writableFields } from './contactFormValues.ts';

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
