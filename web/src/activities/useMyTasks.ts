import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, forPurpose } from '../api/client.ts';
import { dataOf } from '../api/problem.ts';
import { withheldByField } from '../privacy/withheldReasons.ts';

const shown = 100;

/** The user's open tasks, due soonest first (those without a due date last). */
export function useMyTasks(purpose: string, userId: string | undefined) {
  return useQuery({
    queryKey: ['tasks', purpose, 'mine', userId],
    enabled: userId !== undefined,
    queryFn: async () => {
      const page = dataOf(
        await api.GET('/api/v1/activities', {
          params: { query: { type: 'task', assigneeId: userId, status: 'open', sort: 'dueAt', limit: shown } },
          headers: forPurpose(purpose),
        }),
      );
      return { tasks: page.data, withheld: withheldByField(page.withheld, purpose), more: page.nextCursor !== null };
    },
  });
}

/** Marks a task done (now); the lists and timelines that show it are read again. */
export function useCompleteTask(purpose: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (taskId: string) =>
      dataOf(await api.POST('/api/v1/activities/{id}/complete', { params: { path: { id: taskId } }, body: {}, headers: forPurpose(purpose) })).data,
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: ['tasks'] }), queryClient.invalidateQueries({ queryKey: ['timeline'] })]),
  });
}
