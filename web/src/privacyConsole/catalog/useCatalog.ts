import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { dataOf } from '../../api/problem.ts';
import type { DeclarationChange, FieldDeclaration } from '../../api/types.ts';

const catalogKey = ['configuration', 'catalog'];

/** Every personal field of the workspace, built-in and custom, with its declaration. */
export function useCatalog() {
  return useQuery({ queryKey: catalogKey, queryFn: async () => dataOf(await api.GET('/api/v1/catalog')).data });
}

/** The fideslang data categories a field may take. */
export function useDataCategories() {
  return useQuery({
    queryKey: ['configuration', 'data-categories'],
    queryFn: async () => dataOf(await api.GET('/api/v1/catalog/data-categories')).data,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** Changes one field's declaration (PUT /catalog/{object}/{field}: the settings named, the others kept). */
export function useChangeDeclaration() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ field, change }: { field: FieldDeclaration; change: DeclarationChange }) =>
      dataOf(await api.PUT('/api/v1/catalog/{object}/{field}', { params: { path: { object: field.object, field: field.field } }, body: change })).data,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: catalogKey }),
  });
}
