import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import { dataOf } from '../api/problem.ts';
import type { ApiKeyInput } from '../api/types.ts';

// The administration API as its screens use it: staff accounts and invitations, API keys,
// webhooks and their delivery log. Configuration, not personal data of contacts: the current
// purpose travels with each call as with every other, and none of these keys carry it.
// Lists are read again each time their page opens: another admin may have changed them.

export function useUsers() {
  return useQuery({
    queryKey: ['admin', 'users'],
    staleTime: 0,
    queryFn: async () => dataOf(await api.GET('/api/v1/users', { params: { query: { limit: 200 } } })).data,
  });
}

export function useInviteUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: { email: string; role: ApiKeyInput['role'] }) => dataOf(await api.POST('/api/v1/users/invitations', { body })).data,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['admin', 'users'] }),
  });
}

export function useDeactivateUser(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => dataOf(await api.POST('/api/v1/users/{id}/deactivate', { params: { path: { id } } })).data,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['admin', 'users'] }),
  });
}

export function useApiKeys() {
  return useQuery({
    queryKey: ['admin', 'api-keys'],
    staleTime: 0,
    queryFn: async () => dataOf(await api.GET('/api/v1/api-keys', { params: { query: { limit: 200, sort: '-created_at' } } })).data,
  });
}

export function useCreateApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: ApiKeyInput) => dataOf(await api.POST('/api/v1/api-keys', { body })).data,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['admin', 'api-keys'] }),
  });
}

export function useRevokeApiKey(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      const result = await api.DELETE('/api/v1/api-keys/{id}', { params: { path: { id } } });
      dataOf(result);
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['admin', 'api-keys'] }),
  });
}

export function useWebhooks() {
  return useQuery({ queryKey: ['admin', 'webhooks'], staleTime: 0, queryFn: async () => dataOf(await api.GET('/api/v1/webhooks')).data });
}

export function useCreateWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: { url: string; eventTypes: string[] }) => dataOf(await api.POST('/api/v1/webhooks', { body })).data,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['admin', 'webhooks'] }),
  });
}

export function useWebhook(id: string) {
  return useQuery({
    queryKey: ['admin', 'webhooks', id],
    queryFn: async () => dataOf(await api.GET('/api/v1/webhooks/{id}', { params: { path: { id } } })).data,
  });
}

/** The delivery log, asked again every few seconds while a delivery is still pending. */
export function useWebhookDeliveries(id: string) {
  return useQuery({
    queryKey: ['admin', 'webhooks', id, 'deliveries'],
    staleTime: 0,
    refetchInterval: (query) => (query.state.data?.some((delivery) => delivery.status === 'pending') ? 2000 : false),
    queryFn: async () => dataOf(await api.GET('/api/v1/webhooks/{id}/deliveries', { params: { path: { id }, query: { limit: 100 } } })).data,
  });
}

export function useTestWebhook(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => dataOf(await api.POST('/api/v1/webhooks/{id}/test', { params: { path: { id } } })).data,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['admin', 'webhooks', id, 'deliveries'] }),
  });
}
