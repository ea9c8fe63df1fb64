import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { dataOf } from '../../api/problem.ts';
import type { Me } from '../../api/types.ts';
import type { GrantChange, RoleGrants } from './grantChanges.ts';

const roleGrantsKey = ['configuration', 'role-grants'];

/** Which purposes each role may act for (GET /role-grants), by role. */
export function useRoleGrants() {
  return useQuery({
    queryKey: roleGrantsKey,
    queryFn: async () => dataOf(await api.GET('/api/v1/role-grants')).data,
    select: (grants): RoleGrants => new Map(grants.map((grant) => [grant.role, new Set(grant.purposes)])),
  });
}

/** Applies each role's new list in turn (PUT /role-grants/{role}), answering what the API says changed. */
export function useApplyGrantChanges(onApplied: (applied: Array<{ role: string; added: string[]; removed: string[] }>) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (changes: GrantChange[]) => {
      const applied = [];
      for (const change of changes) {
        const result = dataOf(
          await api.PUT('/api/v1/role-grants/{role}', { params: { path: { role: change.role as Me['role'] } }, body: { purposes: change.purposes } }),
        );
        applied.push({ role: change.role, added: result.added, removed: result.removed });
      }
      return applied;
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: roleGrantsKey }),
    onSuccess: onApplied,
  });
}
