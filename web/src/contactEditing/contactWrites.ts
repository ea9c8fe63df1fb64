import type { QueryClient } from '@tanstack/react-query';
import { api, forPurpose } from '../api/client.ts';
import { dataOf } from '../api/problem.ts';
import type { ContactChange } from './contactFormValues.ts';

// The contact writes the screens make, each for the purpose the user acts for.

/** The ETag of a version, for If-Match. */
export const etagOf = (version: number) => `"${version}"`;

export async function createContact(purpose: string, change: ContactChange) {
  return dataOf(await api.POST('/api/v1/contacts', { body: { ...change, source: 'staff' }, headers: forPurpose(purpose) })).data;
}

/** Changes the version the user edited; the API answers 412 when someone changed it since. */
export async function updateContact(purpose: string, id: string, version: number, change: ContactChange) {
  return dataOf(
    await api.PATCH('/api/v1/contacts/{id}', { params: { path: { id }, header: { 'If-Match': etagOf(version) } }, body: change, headers: forPurpose(purpose) }),
  ).data;
}

export async function deleteContact(purpose: string, id: string, version: number) {
  dataOf(await api.DELETE('/api/v1/contacts/{id}', { params: { path: { id }, header: { 'If-Match': etagOf(version) } }, headers: forPurpose(purpose) }));
}

/** Merges the duplicate into the contact (which stays; the duplicate is deleted). */
export async function mergeContact(purpose: string, id: string, duplicateId: string) {
  return dataOf(await api.POST('/api/v1/contacts/{id}/merge', { params: { path: { id } }, body: { duplicateId }, headers: forPurpose(purpose) })).data;
}

/**
 * After a contact changed: every list, record and timeline read again when shown, and the
 * task lists too, since a deleted contact's own tasks are erased with it.
 */
export function forgetContactReads(queryClient: QueryClient): Promise<void> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: ['contacts'] }),
    queryClient.invalidateQueries({ queryKey: ['tasks'] }),
    queryClient.invalidateQueries({ queryKey: ['timeline'] }),
    queryClient.invalidateQueries({ queryKey: ['duplicates'] }),
  ]).then(() => undefined);
}
