import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import { dataOf } from '../api/problem.ts';
import type { Campaign, CampaignInput, SegmentFilters } from '../api/types.ts';

// Segments and campaigns as their screens use them. Segments and campaigns hold no one's
// data; a preview reads the first members under the current purpose, as every data call does.

const etagOf = (version: number) => `"${version}"`;

export function useSegments() {
  return useQuery({
    queryKey: ['segments'],
    staleTime: 0,
    queryFn: async () => dataOf(await api.GET('/api/v1/segments', { params: { query: { limit: 200, sort: 'name' } } })).data,
  });
}

export function useCreateSegment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: { name: string; filters: SegmentFilters }) => dataOf(await api.POST('/api/v1/segments', { body })).data,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['segments'] }),
  });
}

/** How many contacts `filters` select now, and the first of them, asked again as the filters change. */
export function useSegmentPreview(filters: SegmentFilters) {
  return useQuery({
    queryKey: ['segments', 'preview', filters],
    placeholderData: keepPreviousData,
    queryFn: async () => dataOf(await api.POST('/api/v1/segments/preview', { params: { query: { limit: 5 } }, body: { filters } })).data,
  });
}

const inFlight = (campaign: Campaign) => campaign.status === 'scheduled' || campaign.status === 'sending';

/** The campaigns, read again every two seconds while one is scheduled or sending (its counts move). */
export function useCampaigns() {
  return useQuery({
    queryKey: ['campaigns'],
    staleTime: 0,
    refetchInterval: (query) => (query.state.data?.some(inFlight) ? 2_000 : false),
    queryFn: async () => dataOf(await api.GET('/api/v1/campaigns', { params: { query: { limit: 200, sort: '-createdAt' } } })).data,
  });
}

export function useCreateCampaign() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CampaignInput) => dataOf(await api.POST('/api/v1/campaigns', { body })).data,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['campaigns'] }),
  });
}

/** Schedules a draft to start now, or cancels a scheduled or sending campaign, at the version shown. */
export function useCampaignStep(campaign: Campaign) {
  const queryClient = useQueryClient();
  const params = { path: { id: campaign.id }, header: { 'If-Match': etagOf(campaign.version) } };
  return useMutation({
    mutationFn: async (step: 'schedule' | 'cancel') =>
      step === 'schedule'
        ? dataOf(await api.POST('/api/v1/campaigns/{id}/schedule', { params, body: {} })).data
        : dataOf(await api.POST('/api/v1/campaigns/{id}/cancel', { params })).data,
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['campaigns'] }),
  });
}
