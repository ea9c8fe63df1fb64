import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import { dataOf } from '../api/problem.ts';
import type { SavedView, SavedViewInput } from '../api/types.ts';

// The signed-in user's saved views of a list (GET/POST/PATCH/DELETE /api/v1/views): their own
// only, as the API gives each caller theirs. Views hold no personal value, so no purpose scopes them.

export type ViewObject = SavedView['object'];
export type ViewContent = Pick<SavedViewInput, 'filters' | 'sort' | 'columns'>;

export const savedViewsKey = (object: ViewObject, owner: string | undefined) => ['views', object, owner ?? 'key'];

/** The user's views of one list, by name (one page of the API's largest: a person keeps far fewer). */
export function useSavedViews(object: ViewObject, owner: string | undefined) {
  return useQuery({
    queryKey: savedViewsKey(object, owner),
    staleTime: 0,
    queryFn: async () => dataOf(await api.GET('/api/v1/views', { params: { query: { object, sort: 'name', limit: 200 } } })).data,
  });
}

const etagOf = (view: SavedView) => `"${view.version}"`;

export async function createView(object: ViewObject, name: string, content: ViewContent): Promise<SavedView> {
  return dataOf(await api.POST('/api/v1/views', { body: { object, name, ...content } })).data;
}

/** A change to a view the user opened, refused (412) when it changed since (another tab). */
export async function updateView(view: SavedView, change: Partial<ViewContent> & { name?: string }): Promise<SavedView> {
  return dataOf(await api.PATCH('/api/v1/views/{id}', { params: { path: { id: view.id }, header: { 'If-Match': etagOf(view) } }, body: change })).data;
}

export async function deleteView(view: SavedView): Promise<void> {
  dataOf(await api.DELETE('/api/v1/views/{id}', { params: { path: { id: view.id }, header: { 'If-Match': etagOf(view) } } }));
}
