import type { Contact } from '../api/types.ts';

/** The name as shown: both parts when the purpose may see them, null when neither is there. */
export function contactName(contact: Contact): string | null {
  const name = [contact.firstName, contact.lastName].filter(Boolean).join(' ');
  return name === '' ? null : name;
}
