import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { weekStarts } from '../src/crm/activities/activityWeeks.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

// GET /activities/weekly-counts: how many activities occurred each week, for a chart, without
// paging through the activities list (which has no date filter).

let t: TestApp;
let workspace: TestWorkspace;
let other: TestWorkspace;

// Instants inside this week and the one before, whatever the day the test runs.
const [lastWeek, thisWeek] = weekStarts(new Date(), 2) as [Date, Date];
const into = (week: Date, hours: number) => new Date(week.getTime() + hours * 3_600_000).toISOString();

async function logActivity(ws: TestWorkspace, occurredAt: string): Promise<void> {
  const response = await t.request(ws.keys.sales, { method: 'POST', url: '/api/v1/activities', payload: { type: 'call', occurredAt }, purpose: 'sales' });
  expect(response.statusCode).toBe(201);
}

const weeklyCounts = (ws: TestWorkspace, query: string) =>
  t.request(ws.keys.sales, { method: 'GET', url: `/api/v1/activities/weekly-counts${query}`, purpose: 'sales' });

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  other = await t.createWorkspace();
  await logActivity(workspace, into(thisWeek, 0));
  await logActivity(workspace, into(lastWeek, 1));
  await logActivity(workspace, into(lastWeek, 7 * 24 - 1));
  // Older than the weeks asked for, and another workspace's: not counted.
  await logActivity(workspace, into(lastWeek, -30 * 7 * 24));
  await logActivity(other, into(thisWeek, 0));
});
afterAll(() => t.close());

describe('activities per week', () => {
  it('lists every week asked for, oldest first, zero included, counting what occurred in each', async () => {
    const response = await weeklyCounts(workspace, '?weeks=4');
    expect(response.statusCode).toBe(200);
    const weeks = response.json().data as Array<{ weekStart: string; count: number }>;
    expect(weeks.map((week) => week.count)).toEqual([0, 0, 2, 1]);
    expect(weeks.map((week) => week.weekStart)).toEqual(weekStarts(new Date(), 4).map((start) => start.toISOString().slice(0, 10)));
  });

  it("does not count another workspace's activities, and refuses a role that may not read activities", async () => {
    const response = await weeklyCounts(other, '?weeks=1');
    expect(response.json().data.map((week: { count: number }) => week.count)).toEqual([1]);
    const analyst = await t.request(workspace.keys.analyst, { method: 'GET', url: '/api/v1/activities/weekly-counts' });
    expect(analyst.statusCode).toBe(403);
  });

  it('covers the last twelve weeks by default', async () => {
    const response = await weeklyCounts(workspace, '');
    expect(response.statusCode).toBe(200);
    expect(response.json().data).toHaveLength(12);
  });

  it('refuses a number of weeks outside 1 to 52, naming the parameter', async () => {
    for (const weeks of ['0', '53', 'many']) {
      const response = await weeklyCounts(workspace, `?weeks=${weeks}`);
      expect(response.statusCode).toBe(422);
      expect(response.json().errors[0].field).toContain('weeks');
    }
  });
});

describe('the weeks', () => {
  it('start on Monday 00:00 UTC, the last one being the current week', () => {
    const wednesday = new Date('2026-12-02T15:00:00Z');
    expect(weekStarts(wednesday, 3).map((start) => start.toISOString())).toEqual([
      '2026-11-16T00:00:00.000Z',
      '2026-11-23T00:00:00.000Z',
      '2026-11-30T00:00:00.000Z',
    ]);
    expect(weekStarts(new Date('2026-11-30T00:00:00Z'), 1)[0]?.toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(weekStarts(new Date('2026-12-06T23:59:59Z'), 1)[0]?.toISOString()).toBe('2026-11-30T00:00:00.000Z');
  });
});
