import { useQuery } from '@tanstack/react-query';
import { api, forPurpose } from '../api/client.ts';
import { dataOf } from '../api/problem.ts';
import type { Activity, ContactEvent, Purchase } from '../api/types.ts';
import { withheldByField } from '../privacy/withheldReasons.ts';

export type TimelineEntry =
  | { kind: 'activity'; at: string; activity: Activity; withheld: Map<string, string> }
  | { kind: 'purchase'; at: string; purchase: Purchase }
  | { kind: 'event'; at: string; event: ContactEvent; withheld: Map<string, string> };

const perKind = 25;

/**
 * One timeline of what happened with the person: activities (notes, calls, e-mails, meetings,
 * tasks), purchases and tracked events, newest first. The newest of each kind are read
 * together; each kind's own page holds the rest.
 */
export function useTimeline(purpose: string, contactId: string) {
  return useQuery({
    queryKey: ['timeline', purpose, contactId],
    queryFn: async (): Promise<TimelineEntry[]> => {
      const headers = forPurpose(purpose);
      const [activities, purchases, events] = await Promise.all([
        api.GET('/api/v1/activities', { params: { query: { contactId, limit: perKind, sort: '-occurredAt' } }, headers }),
        api.GET('/api/v1/purchases', { params: { query: { contactId, limit: perKind, sort: '-purchasedAt' } }, headers }),
        api.GET('/api/v1/contacts/{id}/events', { params: { path: { id: contactId }, query: { limit: perKind } }, headers }),
      ]);
      const activityPage = dataOf(activities);
      const eventPage = dataOf(events);
      const activityWithheld = withheldByField(activityPage.withheld, purpose);
      const eventWithheld = withheldByField(eventPage.withheld, purpose);
      const entries: TimelineEntry[] = [
        ...activityPage.data.map((activity) => ({ kind: 'activity' as const, at: activity.occurredAt, activity, withheld: activityWithheld })),
        ...dataOf(purchases).data.map((purchase) => ({ kind: 'purchase' as const, at: purchase.purchasedAt, purchase })),
        ...eventPage.data.map((event) => ({ kind: 'event' as const, at: event.occurredAt, event, withheld: eventWithheld })),
      ];
      // ISO instants in one format: their text order is their time order.
      return entries.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
    },
  });
}
