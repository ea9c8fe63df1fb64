import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { dataOf } from '../../api/problem.ts';
import type { PortalCopy, PortalCopyFormat } from '../../api/types.ts';
import { portalKeys, portalCsrfHeader } from '../portalApi.ts';

const building = (copy: PortalCopy) => copy.status === 'queued' || copy.status === 'running';

/** The copies the person asked for, read again every second while one is being made. */
export function usePortalCopies(workspace: string) {
  return useQuery({
    queryKey: portalKeys.exports(workspace),
    queryFn: async () => dataOf(await api.GET('/api/v1/portal/{workspace}/me/access-exports', { params: { path: { workspace } } })).data,
    refetchInterval: (query) => (query.state.data?.some(building) ? 1000 : false),
  });
}

export function useAskForCopy(workspace: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (format: PortalCopyFormat) =>
      dataOf(await api.POST('/api/v1/portal/{workspace}/me/access-exports', { params: { path: { workspace }, header: portalCsrfHeader() }, body: { format } }))
        .data,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: portalKeys.exports(workspace) }),
  });
}

/**
 * Downloads a ready copy: the API makes a link that works once, and the browser follows it
 * as a download (the file comes as an attachment), so the page keeps no copy of it.
 */
export function useDownloadCopy(workspace: string) {
  return useMutation({
    mutationFn: async (exportId: string) => {
      const link = dataOf(
        await api.POST('/api/v1/portal/{workspace}/me/access-exports/{exportId}/download-links', {
          params: { path: { workspace, exportId }, header: portalCsrfHeader() },
        }),
      ).data;
      const anchor = document.createElement('a');
      anchor.href = link.url;
      // A download, not a page: the file keeps the name the server gives it.
      anchor.download = '';
      anchor.click();
    },
  });
}
