import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, forPurpose } from '../api/client.ts';
import { dataOf } from '../api/problem.ts';
import type { ImportReport } from '../api/types.ts';

// The import API as the wizard and the list use it: the mapping of a header row, an import
// sent as a background job, its progress, its undo, and the list of past imports.

export type ImportObject = 'contact' | 'company';
export type { ImportMapping, ImportReport, ImportSummary } from '../api/types.ts';

/** A column mapped by hand: the header and its field, or null to leave the column out. */
export type MappingChoices = Record<string, string | null>;

/** The choices as POST /imports and POST /imports/mapping take them: Header=field, Header= to ignore. */
export const mapParameter = (choices: MappingChoices): string[] => Object.entries(choices).map(([header, field]) => `${header}=${field ?? ''}`);

/** A state the import stays in: nothing more happens to it without the user. */
export const isSettled = (status: ImportReport['status']) => status === 'published' || status === 'failed' || status === 'undone';

export function useImportMapping(purpose: string, object: ImportObject, headers: string[], choices: MappingChoices) {
  return useQuery({
    queryKey: ['imports', purpose, 'mapping', object, headers, choices],
    enabled: headers.length > 0,
    placeholderData: (previous) => previous,
    queryFn: async () =>
      dataOf(await api.POST('/api/v1/imports/mapping', { body: { object, headers, map: mapParameter(choices) }, headers: forPurpose(purpose) })).data,
  });
}

/** Where and when a file's consent columns were collected (consentSource, consentDate); null: the file has none. */
export type ImportConsents = { source: string; date: string } | null;
export type ImportRequest = { object: ImportObject; file: File; choices: MappingChoices; skipInvalid: boolean; consents: ImportConsents };

/** Sends the file as a background import (202 at once); the report then follows the job. */
export function useStartImport(purpose: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ object, file, choices, skipInvalid, consents }: ImportRequest) => {
      const consentQuery = consents ? { consentSource: consents.source.trim(), ...(consents.date ? { consentDate: consents.date } : {}) } : {};
      const result = await api.POST('/api/v1/imports', {
        params: { query: { object, background: 'true', skipInvalid: skipInvalid ? 'true' : 'false', map: mapParameter(choices), ...consentQuery } },
        // The file as it is: the body is the CSV, not JSON.
        body: await file.text(),
        bodySerializer: (body: string) => body,
        headers: {
          ...forPurpose(purpose),
          'Content-Type': 'text/csv',
          'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
        },
      });
      return dataOf(result).data;
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['imports', purpose, 'list'] }),
  });
}

/** An import's report, asked again every second until it settles. */
export function useImportReport(purpose: string, id: string | null) {
  return useQuery({
    queryKey: ['imports', purpose, 'report', id],
    enabled: id !== null,
    staleTime: 0,
    refetchInterval: (query) => (query.state.data && isSettled(query.state.data.status) ? false : 1000),
    queryFn: async () => dataOf(await api.GET('/api/v1/imports/{id}', { params: { path: { id: id ?? '' } }, headers: forPurpose(purpose) })).data,
  });
}

export function useUndoImport(purpose: string, id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => dataOf(await api.POST('/api/v1/imports/{id}/undo', { params: { path: { id } }, headers: forPurpose(purpose) })).data,
    onSuccess: async (report) => {
      queryClient.setQueryData(['imports', purpose, 'report', report.id], report);
      // The records it created are gone from every list.
      await queryClient.invalidateQueries({ predicate: (query) => ['imports', 'contacts', 'companies'].includes(String(query.queryKey[0])) });
    },
  });
}

export function useImportList(purpose: string) {
  return useQuery({
    queryKey: ['imports', purpose, 'list'],
    staleTime: 0,
    // While one runs, the list follows it.
    refetchInterval: (query) => (query.state.data?.some((item) => !isSettled(item.status)) ? 2000 : false),
    queryFn: async () => dataOf(await api.GET('/api/v1/imports', { params: { query: { limit: 50 } }, headers: forPurpose(purpose) })).data,
  });
}
