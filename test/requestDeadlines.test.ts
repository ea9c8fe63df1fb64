import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../src/accounts/users.ts';
import { rowsOf } from '../src/db/rows.ts';
import { candorJobHandlers } from '../src/jobs/candorJobs.ts';
import { requestDeadlineQueue } from '../src/jobs/requestJobs.ts';
import { systemContext } from '../src/kernel/index.ts';
import { type DeadlineNotice, remindRequestDeadlines } from '../src/privacy/requests/requestDeadlineReminders.ts';
import { receiveRightsRequest } from '../src/privacy/requests/requestWorkflow.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

/*
 * Deadlines as a workspace counts them: table-driven across weekends, month ends, leap days,
 * both regimes and extensions, with the workspace's own holiday list (an added company day
 * moves a deadline; a removed holiday no longer does); and the hourly request-deadlines job,
 * which reminds privacy officers of requests due soon and escalates overdue ones, each once.
 */

let t: TestApp;
let workspace: TestWorkspace;
beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
});
afterAll(() => t.close());

const ctx = () => systemContext(workspace.id, 'deadline-test', 'legal_compliance');
const identity = { email: 'deadline@example.org', name: null, details: null };

async function received(input: { regime: 'gdpr' | 'ccpa'; kind?: 'access' | 'opt_out_sale_sharing'; jurisdiction: string; receivedAt: string }) {
  return t.database.db.transaction((tx) =>
    receiveRightsRequest(tx, ctx(), { kind: input.kind ?? 'access', channel: 'staff', identity, ...input, receivedAt: new Date(input.receivedAt) }),
  );
}

describe("deadlines in a workspace's working calendar", () => {
  const cases = [
    {
      why: 'GDPR: a month from 31 January in a leap year ends on 29 February',
      regime: 'gdpr',
      jurisdiction: 'DE',
      receivedAt: '2028-01-31T09:00:00Z',
      respondBy: '2028-02-29',
      extendedRespondBy: '2028-05-02',
    },
    {
      why: 'GDPR: a month ending on a Saturday runs to the Monday',
      regime: 'gdpr',
      jurisdiction: 'DE',
      receivedAt: '2027-01-16T10:00:00Z',
      respondBy: '2027-02-16',
      extendedRespondBy: '2027-04-16',
    },
    {
      why: 'GDPR: Christmas and a Sunday are skipped at a year end',
      regime: 'gdpr',
      jurisdiction: 'DE',
      receivedAt: '2026-11-25T12:00:00Z',
      respondBy: '2026-12-28',
      extendedRespondBy: '2027-02-25',
    },
    {
      why: 'GDPR: received at 23:30 UTC is the next day in Berlin',
      regime: 'gdpr',
      jurisdiction: 'DE',
      receivedAt: '2027-03-30T23:30:00Z',
      respondBy: '2027-04-30',
      extendedRespondBy: '2027-06-30',
    },
    {
      why: 'CCPA: 45 calendar days, 90 once extended, confirmation in 10 business days',
      regime: 'ccpa',
      jurisdiction: 'US-CA',
      receivedAt: '2026-12-21T18:00:00Z',
      respondBy: '2027-02-04',
      extendedRespondBy: '2027-03-21',
      acknowledgeBy: '2027-01-06',
    },
  ] as const;
  it.each(cases)('$why', async ({ regime, jurisdiction, receivedAt, respondBy, extendedRespondBy, ...rest }) => {
    const request = await received({ regime, jurisdiction, receivedAt });
    expect(request.deadlines).toMatchObject({ respondBy, extendedRespondBy });
    if ('acknowledgeBy' in rest) expect(request.deadlines.acknowledgeBy).toBe(rest.acknowledgeBy);
  });

  it('CCPA opt-outs of sale and sharing: 15 business days, no extension', async () => {
    const request = await received({ regime: 'ccpa', kind: 'opt_out_sale_sharing', jurisdiction: 'US-CA', receivedAt: '2026-12-21T18:00:00Z' });
    // 25 Dec and 1 Jan are California holidays; weekends are skipped.
    expect(request.deadlines).toMatchObject({ respondBy: '2027-01-13', extendedRespondBy: null, extensionNoticeBy: null });
  });

  it("follow the admins' edits of the holiday list", async () => {
    const before = await received({ regime: 'ccpa', kind: 'opt_out_sale_sharing', jurisdiction: 'US-CA', receivedAt: '2027-06-01T18:00:00Z' });
    // Juneteenth's substitute day (Friday 18 June) is skipped.
    expect(before.deadlines.respondBy).toBe('2027-06-23');
    const put = await t.request(workspace.keys.admin, { method: 'PUT', url: '/api/v1/requests/holidays/US-CA/2027-06-10', payload: { name: 'Company day' } });
    expect(put.statusCode, put.body).toBe(200);
    const after = await received({ regime: 'ccpa', kind: 'opt_out_sale_sharing', jurisdiction: 'US-CA', receivedAt: '2027-06-01T18:00:00Z' });
    expect(after.deadlines.respondBy).toBe('2027-06-24');
    const removed = await t.request(workspace.keys.admin, { method: 'DELETE', url: '/api/v1/requests/holidays/US-CA/2027-07-05' });
    expect(removed.statusCode, removed.body).toBe(204);
    // Independence Day (observed Monday 5 July 2027) no longer counts.
    const july = await received({ regime: 'ccpa', kind: 'opt_out_sale_sharing', jurisdiction: 'US-CA', receivedAt: '2027-06-28T18:00:00Z' });
    expect(july.deadlines.respondBy).toBe('2027-07-19');
  });
});

describe('the request-deadlines job', () => {
  it('is scheduled hourly among the Candor queues', () => {
    expect(candorJobHandlers(t.database)[requestDeadlineQueue].schedule).toBe('0 * * * *');
  });

  it('reminds privacy officers of requests due soon and escalates overdue ones to them and the admins, each request once', async () => {
    await addUser(t.database.db, { tenantId: workspace.id, email: 'officer@example.com', displayName: 'Officer', role: 'privacy_officer' });
    await addUser(t.database.db, { tenantId: workspace.id, email: 'owner@example.com', displayName: 'Owner', role: 'admin' });
    await t.database.db.execute(sql`update rights_requests set closed_at = now() where tenant_id = ${workspace.id}`);
    const soon = await received({ regime: 'gdpr', jurisdiction: 'DE', receivedAt: new Date().toISOString() });
    const late = await received({ regime: 'gdpr', jurisdiction: 'DE', receivedAt: new Date().toISOString() });
    await t.database.db.execute(sql`update rights_requests set respond_by = current_date + 2 where id = ${soon.id}`);
    await t.database.db.execute(sql`update rights_requests set respond_by = current_date - 2 where id = ${late.id}`);

    const notices: DeadlineNotice[] = [];
    const first = await remindRequestDeadlines(t.database, async (notice) => {
      notices.push(notice);
    });
    expect(first).toMatchObject({ reminded: 1, escalated: 1 });
    const mine = notices.filter((notice) => notice.workspaceName === 'Test workspace' && ['officer@example.com', 'owner@example.com'].includes(notice.to));
    expect(mine.map((notice) => notice.to).sort()).toEqual(['officer@example.com', 'owner@example.com']);
    expect(mine[0]).toMatchObject({ dueSoon: 1, overdue: 1 });
    expect(JSON.stringify(notices)).not.toContain('deadline@example.org');

    const second = await remindRequestDeadlines(t.database, async (notice) => {
      notices.push(notice);
    });
    expect(second).toMatchObject({ reminded: 0, escalated: 0, notices: 0 });
    const audited = rowsOf<{ action: string }>(
      await t.database.db.execute(
        sql`select action from audit_entries where tenant_id = ${workspace.id} and action in ('rights_request.reminded', 'rights_request.escalated')`,
      ),
    );
    expect(audited.map((row) => row.action).sort()).toEqual(['rights_request.escalated', 'rights_request.reminded']);
  });
});
