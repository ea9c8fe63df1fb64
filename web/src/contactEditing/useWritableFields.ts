import { useQuery } from '@tanstack/react-query';
import { api, forPurpose } from '../api/client.ts';
import { dataOf } from '../api/problem.ts';
import { writableFields } from './contactFormValues.ts';

/**
 * The fields a new contact may be given for the purpose: the API withholds a field not
 * declared for it on every contact it reads, so one contact's read says which those are.
 */
export function useWritableFields(purpose: string) {
  return useQuery({
    queryKey: ['contacts', purpose, 'writable-fields'],
    queryFn: async () => writableFields(dataOf(await api.GET('/api/v1/contacts', { params: { query: { limit: 1 } }, headers: forPurpose(purpose) })).withheld),
  });
}
