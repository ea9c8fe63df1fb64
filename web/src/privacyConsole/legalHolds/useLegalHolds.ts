import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { dataOf } from '../../api/problem.ts';

const holdsKey = ['legal-holds'] as const;

/** The workspace's legal holds, released ones included (GET /api/v1/legal-holds, audited). */
export function useLegalHolds() {
  return useQuery({
    queryKey: holdsKey,
    queryFn: async () => dataOf(await api.GET('/api/v1/legal-holds', { params: { query: { includeReleased: 'true' } } })).data,
  });
}

/** Places a hold on a contact or visitor with its reason; the list is read again. */
export function usePlaceLegalHold() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: { subjectId: string; reason: string }) => dataOf(await api.POST('/api/v1/legal-holds', { body })).data,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: holdsKey }),
  });
}

/** Releases one hold; the list is read again. */
export function useReleaseLegalHold(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => dataOf(await api.POST('/api/v1/legal-holds/{id}/release', { params: { path: { id } } })).data,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: holdsKey }),
  });
}
