import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { dataOf } from '../../api/problem.ts';
import type { PortalRequestInput } from '../../api/types.ts';
import { portalKeys, portalCsrfHeader } from '../portalApi.ts';

/** The person's rights requests, newest first, with their state and the date each answer is due. */
export function usePortalRequests(workspace: string) {
  return useQuery({
    queryKey: portalKeys.requests(workspace),
    queryFn: async () => dataOf(await api.GET('/api/v1/portal/{workspace}/me/requests', { params: { path: { workspace } } })).data,
  });
}

/** Asks for one of the person's rights; the list is read again once it is received. */
export function useAskForRequest(workspace: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: PortalRequestInput) =>
      dataOf(await api.POST('/api/v1/portal/{workspace}/me/requests', { params: { path: { workspace }, header: portalCsrfHeader() }, body })).data,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: portalKeys.requests(workspace) }),
  });
}
