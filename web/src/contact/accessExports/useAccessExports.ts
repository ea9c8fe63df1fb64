import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, forPurpose } from '../../api/client.ts';
import { dataOf } from '../../api/problem.ts';
import type { AccessExportFormat } from '../../api/types.ts';
import { useSession } from '../../session/sessionContext.ts';
import { usePermission } from '../../session/usePermission.ts';

/*
 * A contact's access exports (GDPR Art. 15, 20), made for the built-in purpose dsr_fulfilment
 * whatever purpose the page is read for: the API refuses every other (src/http/routes/accessExports.ts).
 */

export const dsrPurpose = 'dsr_fulfilment';

const exportsKey = (contactId: string) => ['access-exports', contactId] as const;
const unsettled = (status: string) => status === 'queued' || status === 'running';

/** Whether the signed-in user's role may make access exports: it holds dsr_fulfilment (privacy officers, admins) and reads contacts. */
export function useMakesAccessExports(): boolean {
  const { me } = useSession();
  const readsContacts = usePermission('contact:read');
  return readsContacts && (me?.purposes.includes(dsrPurpose) ?? false);
}

/** The contact's exports, newest first; read again every second while one is being built. */
export function useAccessExports(contactId: string) {
  return useQuery({
    queryKey: exportsKey(contactId),
    queryFn: async () =>
      dataOf(await api.GET('/api/v1/contacts/{id}/access-exports', { params: { path: { id: contactId } }, headers: forPurpose(dsrPurpose) })).data,
    refetchInterval: (query) => (query.state.data?.some((item) => unsettled(item.status)) ? 1000 : false),
  });
}

/** Asks for an export in a format; the list is read again. */
export function useRequestAccessExport(contactId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (format: AccessExportFormat) =>
      dataOf(
        await api.POST('/api/v1/contacts/{id}/access-exports', {
          params: { path: { id: contactId } },
          body: { format },
          headers: forPurpose(dsrPurpose),
        }),
      ).data,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: exportsKey(contactId) }),
  });
}

/** A single-use download link for a ready export (valid 15 minutes). */
export function useAccessExportLink(contactId: string, exportId: string) {
  return useMutation({
    mutationFn: async () =>
      dataOf(
        await api.POST('/api/v1/contacts/{id}/access-exports/{exportId}/download-links', {
          params: { path: { id: contactId, exportId } },
          headers: forPurpose(dsrPurpose),
        }),
      ).data,
  });
}
