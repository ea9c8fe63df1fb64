import { useQuery } from '@tanstack/react-query';
import { api, forPurpose } from '../api/client.ts';
import { dataOf } from '../api/problem.ts';

/** One contact with its withheld fields, read for the purpose (the read is in the person's access trail). */
export function useContactRecord(purpose: string, id: string) {
  return useQuery({
    queryKey: ['contacts', purpose, 'record', id],
    queryFn: async () => dataOf(await api.GET('/api/v1/contacts/{id}', { params: { path: { id } }, headers: forPurpose(purpose) })),
  });
}

/** The contact's company, when it has one. */
export function useCompany(purpose: string, id: string | null) {
  return useQuery({
    queryKey: ['companies', purpose, 'record', id],
    enabled: id !== null,
    queryFn: async () => dataOf(await api.GET('/api/v1/companies/{id}', { params: { path: { id: id ?? '' } }, headers: forPurpose(purpose) })),
  });
}

/** Whose deals a list shows: a contact's (the deals they take part in) or a company's. */
export type DealsOf = { contactId: string } | { companyId: string };

/** The deals of a contact or a company, newest first, with the pipelines that name their stages. */
export function useDealsOf(purpose: string, of: DealsOf) {
  return useQuery({
    queryKey: ['deals', purpose, 'of', of],
    queryFn: async () => {
      const [deals, pipelines] = await Promise.all([
        api.GET('/api/v1/deals', { params: { query: { ...of, limit: 50, sort: '-createdAt' } }, headers: forPurpose(purpose) }),
        api.GET('/api/v1/pipelines', { headers: forPurpose(purpose) }),
      ]);
      const stageNames = new Map(dataOf(pipelines).data.flatMap((pipeline) => pipeline.stages.map((stage) => [stage.id, stage.name] as const)));
      return { deals: dataOf(deals).data, stageNames };
    },
  });
}
