import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { dataOf } from '../../api/problem.ts';
import { portalCsrfHeader, portalKeys } from '../portalApi.ts';

/*
 * An authorised agent's request as the signed-in person sees it (only when it names their
 * address: the API answers 404 otherwise, as for an unknown id), and verifying it.
 * `redirectTo` is the agent's redirect_to, given back as returnUrl only on the agent's origin.
 */

const agentRequestKey = (workspace: string, requestId: string) => [...portalKeys.all(workspace), 'agent-request', requestId] as const;

export function useAgentRequest(workspace: string, requestId: string, redirectTo: string | undefined) {
  return useQuery({
    queryKey: agentRequestKey(workspace, requestId),
    queryFn: async () =>
      dataOf(
        await api.GET('/api/v1/portal/{workspace}/me/agent-requests/{requestId}', {
          params: { path: { workspace, requestId }, query: redirectTo ? { redirectTo } : {} },
        }),
      ).data,
    retry: false,
  });
}

export function useVerifyAgentRequest(workspace: string, requestId: string, redirectTo: string | undefined) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () =>
      dataOf(
        await api.POST('/api/v1/portal/{workspace}/me/agent-requests/{requestId}/verify', {
          params: { path: { workspace, requestId }, header: portalCsrfHeader() },
          body: redirectTo ? { redirectTo } : {},
        }),
      ).data,
    onSuccess: (verified) => {
      queryClient.setQueryData(agentRequestKey(workspace, requestId), verified);
      void queryClient.invalidateQueries({ queryKey: portalKeys.requests(workspace) });
    },
  });
}
