import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { dataOf } from '../../api/problem.ts';
import { portalKeys, portalCsrfHeader } from '../portalApi.ts';

export type ConsentChoice = 'given' | 'withdrawn';

/** Gives or withdraws the person's consent to one purpose; their data (consents, history, trail) is read again. */
export function useConsentChoice(workspace: string, purposeKey: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (choice: ConsentChoice) =>
      dataOf(
        await api.PUT('/api/v1/portal/{workspace}/me/consents/{purposeKey}', {
          params: { path: { workspace, purposeKey }, header: portalCsrfHeader() },
          body: { choice },
        }),
      ).data,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: portalKeys.data(workspace) }),
  });
}
