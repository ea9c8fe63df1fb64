import { z } from 'zod';
import { activitiesPerWeek } from '../../crm/activities/activityWeeks.ts';
import { purposeContext } from '../principal.ts';
import { routePlugin } from './routePlugin.ts';

export const activityWeeksQuery = z.object({
  weeks: z.coerce.number().int().min(1).max(52).default(12).describe('How many weeks back, this one included (1 to 52, default 12)'),
});

const activityWeekSchema = z.object({
  weekStart: z.string().describe('The Monday the week starts on (00:00 UTC), YYYY-MM-DD'),
  count: z.number().int().describe('How many activities occurred that week'),
});

// A read-only aggregate for a chart: the activities list has no date filter, and paging
// through every activity of twelve weeks to count them would move thousands of rows.
export const activityWeekRoutes = routePlugin(async (app, { database }) => {
  app.get(
    '/activities/weekly-counts',
    {
      schema: {
        operationId: 'getActivityWeeklyCounts',
        tags: ['activities'],
        summary: 'Count the activities that occurred each week, over the last weeks',
        description: 'Every week is listed, oldest first, zero included; weeks start on Monday 00:00 UTC and the last one is the current week, so far.',
        querystring: activityWeeksQuery,
        response: { 200: z.object({ data: z.array(activityWeekSchema) }) },
      },
    },
    async (request) => {
      const ctx = purposeContext(request, 'activity:read');
      return { data: await activitiesPerWeek(database.db, ctx, request.query.weeks) };
    },
  );
});
