import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import { dataOf } from '../api/problem.ts';

// Pending invitations live under the users' query key: inviting someone (useInviteUser)
// refreshes ['admin', 'users'] and with it this list, and withdrawing or resending
// refreshes both, so the People page never shows one without the other.
const pendingKey = ['admin', 'users', 'invitations', 'pending'] as const;

export function usePendingInvitations() {
  return useQuery({
    queryKey: pendingKey,
    staleTime: 0,
    queryFn: async () => dataOf(await api.GET('/api/v1/invitations', { params: { query: { state: 'pending', sort: '-created_at', limit: 200 } } })).data,
  });
}

export function useRevokeInvitation(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      dataOf(await api.DELETE('/api/v1/invitations/{id}', { params: { path: { id } } }));
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['admin', 'users'] }),
  });
}

export function useResendInvitation(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => dataOf(await api.POST('/api/v1/invitations/{id}/resend', { params: { path: { id } } })).data,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['admin', 'users'] }),
  });
}
