import { randomInt } from 'node:crypto';
import { callApi } from './e2eServer.ts';

export type TestContact = { id: string; version: number; firstName: string; lastName: string; email: string };

/** A surname no demo contact has, so a search by its first letters finds only the test's contacts. */
export function uniqueSurname(stem: string): string {
  const letters = Array.from({ length: 6 }, () => String.fromCharCode(97 + randomInt(26))).join('');
  return `${stem}${letters}`;
}

// The contacts a test file made (through the API or the app), deleted when it ends: other
// files count the demo workspace's contacts.
const created = new Set<string>();

/** Notes a contact the test made through the app, to delete it at the end. */
export function rememberTestContact(id: string): void {
  created.add(id);
}

/** Deletes every contact the file made that is still there (with the admin's key: Sales may not delete). */
export async function deleteTestContacts(): Promise<void> {
  for (const id of created) {
    const response = await callApi('admin', `/api/v1/contacts/${id}`, { method: 'DELETE', purpose: 'sales' });
    if (response.status !== 204 && response.status !== 404) throw new Error(`deleting a test contact answered ${response.status}`);
  }
  created.clear();
}

/** A contact created through the API for Sales, for a test to change or delete without touching demo records. */
export async function createTestContact(fields: Record<string, string>, options: { allowDuplicate?: boolean } = {}): Promise<TestContact> {
  const query = options.allowDuplicate ? '?allowDuplicate=true' : '';
  const response = await callApi('sales', `/api/v1/contacts${query}`, { method: 'POST', purpose: 'sales', body: JSON.stringify(fields) });
  if (response.status !== 201) throw new Error(`creating a test contact answered ${response.status}: ${await response.text()}`);
  const contact = ((await response.json()) as { data: TestContact }).data;
  created.add(contact.id);
  return contact;
}

/** The contact as the API has it now for Sales (null once it is gone). */
export async function readTestContact(id: string): Promise<(TestContact & Record<string, unknown>) | null> {
  const response = await callApi('sales', `/api/v1/contacts/${id}`, { purpose: 'sales' });
  if (response.status === 404) return null;
  return ((await response.json()) as { data: TestContact & Record<string, unknown> }).data;
}
