import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { dataOf } from '../../api/problem.ts';
import type { PurposeNotice } from '../../api/types.ts';

export type DraftText = { title: string; bodyMarkdown: string; language: string };
export type Publication = { material: boolean; renewalGraceDays: number | null };

const noticesKey = (purposeKey: string) => ['configuration', 'notices', purposeKey];
const etagOf = (revision: number) => `"${revision}"`;

/** Every version of a purpose's notice, newest first: the draft (if any) leads. */
export function useNoticeVersions(purposeKey: string) {
  return useQuery({
    queryKey: noticesKey(purposeKey),
    queryFn: async () => dataOf(await api.GET('/api/v1/purposes/{key}/notices', { params: { path: { key: purposeKey } } })).data,
  });
}

async function saveDraft(purposeKey: string, draft: PurposeNotice | undefined, text: DraftText): Promise<PurposeNotice> {
  const result = await api.PUT('/api/v1/purposes/{key}/notices/draft', {
    // With a draft, only the revision read is replaced (412 otherwise); without one, a new draft starts.
    params: { path: { key: purposeKey }, header: draft ? { 'If-Match': etagOf(draft.revision) } : {} },
    body: text,
  });
  return dataOf(result).data;
}

/**
 * Saving the draft, publishing it (after saving the text on screen, when it differs from the
 * draft's) and discarding it, each under If-Match on the draft's revision as last read. Every
 * outcome, a 412 included, reads the versions again.
 */
export function useNoticeActions(purposeKey: string, draft: PurposeNotice | undefined) {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: noticesKey(purposeKey) });
  const save = useMutation({ mutationFn: (text: DraftText) => saveDraft(purposeKey, draft, text), onSettled: refresh });
  const publish = useMutation({
    mutationFn: async ({ text, publication }: { text: DraftText; publication: Publication }) => {
      const unchanged = draft && draft.title === text.title && draft.bodyMarkdown === text.bodyMarkdown && draft.language === text.language;
      const saved = unchanged ? draft : await saveDraft(purposeKey, draft, text);
      const result = await api.POST('/api/v1/purposes/{key}/notices/draft/publish', {
        params: { path: { key: purposeKey }, header: { 'If-Match': etagOf(saved.revision) } },
        body: publication.material ? publication : { material: false },
      });
      return dataOf(result).data;
    },
    onSettled: refresh,
  });
  const discard = useMutation({
    mutationFn: async () => {
      if (!draft) return;
      const result = await api.DELETE('/api/v1/purposes/{key}/notices/draft', {
        params: { path: { key: purposeKey }, header: { 'If-Match': etagOf(draft.revision) } },
      });
      dataOf(result);
    },
    onSettled: refresh,
  });
  return { save, publish, discard };
}
