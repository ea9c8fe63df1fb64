import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { dataOf } from '../../api/problem.ts';
import type { DrpAgentChanges, NewDrpAgent } from '../../api/types.ts';

const agentsKey = ['drp-agents'] as const;

/** The authorised agents registered for the Data Rights Protocol (GET /api/v1/drp-agents, admins). */
export function useAgents() {
  return useQuery({ queryKey: agentsKey, queryFn: async () => dataOf(await api.GET('/api/v1/drp-agents')).data });
}

/** Registers an agent; the list is read again. */
export function useRegisterAgent() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: NewDrpAgent) => dataOf(await api.POST('/api/v1/drp-agents', { body })).data,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: agentsKey }),
  });
}

/** Changes one agent (its status, key, callback URL…); the list is read again. */
export function useUpdateAgent(id: string, body: DrpAgentChanges) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => dataOf(await api.PATCH('/api/v1/drp-agents/{id}', { params: { path: { id } }, body })).data,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: agentsKey }),
  });
}
