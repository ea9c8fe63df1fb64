import { z } from 'zod';
import { deleteRequestHoliday, listRequestHolidays, putRequestHoliday } from '../../privacy/requests/requestHolidays.ts';
import { DomainError } from '../../shared/domainError.ts';
import { accessContext } from '../principal.ts';
import { routePlugin } from './routePlugin.ts';

/*
 * The holidays that business-day deadlines skip, per jurisdiction (/requests/holidays):
 * seeded from the public holidays computed offline, then edited by admins and privacy
 * officers. Dates and names only, no one's data: these routes need no purpose.
 */

const holidaySchema = z.object({ date: z.string().describe('YYYY-MM-DD'), name: z.string() });
const jurisdiction = z.string().min(2).max(6).describe('An EEA or UK country (DE), its state (DE-BY), or US-CA');
const holidayParams = z.object({ jurisdiction, date: z.string().min(10).max(10).describe('YYYY-MM-DD') });

export const requestHolidayRoutes = routePlugin(async (app, deps) => {
  const { database } = deps;

  app.get(
    '/requests/holidays',
    {
      schema: {
        operationId: 'listRequestHolidays',
        tags: ['requests'],
        summary: "The holidays a jurisdiction's business days skip in a year (seeded on first use)",
        querystring: z.object({ jurisdiction, year: z.coerce.number().int().min(2000).max(2100) }),
        response: { 200: z.object({ data: z.array(holidaySchema) }) },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'request:read');
      const data = await database.db.transaction((tx) => listRequestHolidays(tx, ctx.tenantId, request.query.jurisdiction, request.query.year));
      return { data };
    },
  );

  app.put(
    '/requests/holidays/:jurisdiction/:date',
    {
      schema: {
        operationId: 'putRequestHoliday',
        tags: ['requests'],
        summary: 'Add a holiday, or rename one (counts for requests received from now on)',
        params: holidayParams,
        body: z.strictObject({ name: z.string().trim().min(1).max(200) }),
        response: { 200: z.object({ data: holidaySchema }) },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'request:write');
      const { jurisdiction: code, date } = request.params;
      const data = await database.db.transaction((tx) => putRequestHoliday(tx, ctx, code, date, request.body.name));
      return { data };
    },
  );

  app.delete(
    '/requests/holidays/:jurisdiction/:date',
    {
      config: { problems: ['not_found'] },
      schema: {
        operationId: 'deleteRequestHoliday',
        tags: ['requests'],
        summary: 'Remove a holiday (a seeded one stays removed)',
        params: holidayParams,
        response: { 204: z.null().describe('Removed') },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'request:write');
      const { jurisdiction: code, date } = request.params;
      const removed = await database.db.transaction((tx) => deleteRequestHoliday(tx, ctx, code, date));
      if (!removed) throw new DomainError('not_found', 'No holiday on that date in that jurisdiction.');
      return reply.code(204).send(null);
    },
  );
});
