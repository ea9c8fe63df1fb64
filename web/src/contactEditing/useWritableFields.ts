import { useQuery } from '@tanstack/react-query';
import { api, forPurpose } from '../api/client.ts';
import { dataOf } from '../api/problem.ts';
import type { CustomFieldDefinition, User } from '../api/types.ts';
import { writableFields } from './contactFormValues.ts';
import { offeredCustomFields } from './customFieldValues.ts';

/** The workspace's contact custom fields (every role that writes contacts may read them). */
export async function contactCustomFields(purpose: string): Promise<CustomFieldDefinition[]> {
  return dataOf(await api.GET('/api/v1/custom-fields', { params: { query: { object: 'contact' } }, headers: forPurpose(purpose) })).data;
}

export function useContactCustomFields(purpose: string) {
  return useQuery({ queryKey: ['custom-fields', purpose, 'contact'], queryFn: () => contactCustomFields(purpose) });
}

/**
 * The fields a new contact may be given for the purpose: the API withholds a field not
 * declared for it on every contact it reads, so one contact's read says which those are;
 * the custom fields are those of the workspace's definitions it does not refuse.
 */
export function useWritableFields(purpose: string) {
  return useQuery({
    queryKey: ['contacts', purpose, 'writable-fields'],
    queryFn: async () => {
      const [page, definitions] = await Promise.all([
        api.GET('/api/v1/contacts', { params: { query: { limit: 1 } }, headers: forPurpose(purpose) }),
        contactCustomFields(purpose),
      ]);
      const { withheld } = dataOf(page);
      const refused = withheld.filter((entry) => entry.reason === 'field_not_declared_for_purpose');
      return { fields: writableFields(withheld), customFields: offeredCustomFields(definitions, withheld, false), refused };
    },
  });
}

/** The workspace's active users, to choose an owner from; null for a role that may not list them (the form then offers "Me" and "Nobody"). */
export function useOwnerChoices(listsUsers: boolean) {
  return useQuery({
    queryKey: ['users', 'active', listsUsers],
    queryFn: async (): Promise<User[] | null> =>
      listsUsers ? dataOf(await api.GET('/api/v1/users', { params: { query: { status: 'active', limit: 200 } } })).data : null,
  });
}
