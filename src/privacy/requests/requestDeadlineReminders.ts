import { sql } from 'drizzle-orm';
import type { Database, Executor } from '../../db/connection.ts';
import { selectRows } from '../../db/rows.ts';
import { appendAudit, systemContext } from '../../kernel/index.ts';
import { dueSoonSql, overdueSql } from './requestQueue.ts';

/*
 * The hourly `request-deadlines` job's work: each open request is reminded once when it
 * falls due soon (within 7 days in its jurisdiction) and escalated once when it becomes
 * overdue. Requests are claimed in one transaction (reminded_at / escalated_at set, rows
 * locked, so two runs never claim the same one: the job is idempotent) and audited; then
 * every privacy officer of the workspace gets one notice with the counts (the admins too for
 * an escalation, and in place of privacy officers where a workspace has none). Notices name
 * no request's person: counts and the workspace only.
 */

export const requestDeadlineActor = 'request-deadlines';

export type DeadlineNotice = { to: string; workspaceName: string; dueSoon: number; overdue: number };
export type DeadlineNotifier = (notice: DeadlineNotice) => Promise<void>;
export type DeadlineRun = { reminded: number; escalated: number; notices: number };

type Claimed = { tenant_id: string; id: string };

async function claim(tx: Executor, condition: typeof dueSoonSql, column: 'reminded_at' | 'escalated_at'): Promise<Claimed[]> {
  const stamp = column === 'reminded_at' ? sql`reminded_at` : sql`escalated_at`;
  return selectRows<Claimed>(
    tx,
    sql`update rights_requests set ${stamp} = now()
        where (tenant_id, id) in (select r.tenant_id, r.id from rights_requests r where ${condition} and r.${stamp} is null for update skip locked)
        returning tenant_id, id`,
  );
}

const byTenant = (rows: Claimed[]) => {
  const grouped = new Map<string, string[]>();
  for (const row of rows) grouped.set(row.tenant_id, [...(grouped.get(row.tenant_id) ?? []), row.id]);
  return grouped;
};

type Staff = { tenant_id: string; email: string; role: string; workspace_name: string };

function noticesOf(staff: Staff[], soon: Map<string, string[]>, overdue: Map<string, string[]>): DeadlineNotice[] {
  const notices: DeadlineNotice[] = [];
  for (const tenantId of new Set([...soon.keys(), ...overdue.keys()])) {
    const members = staff.filter((member) => member.tenant_id === tenantId);
    const officers = members.filter((member) => member.role === 'privacy_officer');
    const admins = members.filter((member) => member.role === 'admin');
    const dueSoon = soon.get(tenantId)?.length ?? 0;
    const late = overdue.get(tenantId)?.length ?? 0;
    const recipients = late > 0 ? [...officers, ...admins] : officers.length > 0 ? officers : admins;
    for (const email of new Set(recipients.map((member) => member.email))) {
      notices.push({ to: email, workspaceName: members[0].workspace_name, dueSoon, overdue: late });
    }
  }
  return notices;
}

/** Claims the requests due for a reminder or an escalation, audits them, and sends the notices after commit. */
export async function remindRequestDeadlines(database: Database, notify: DeadlineNotifier): Promise<DeadlineRun> {
  const { notices, reminded, escalated } = await database.db.transaction(async (tx) => {
    const soon = byTenant(await claim(tx, dueSoonSql, 'reminded_at'));
    const overdue = byTenant(await claim(tx, overdueSql, 'escalated_at'));
    for (const [tenantId, ids] of soon) {
      await appendAudit(tx, systemContext(tenantId, requestDeadlineActor), { action: 'rights_request.reminded', object: 'rights_request', recordIds: ids });
    }
    for (const [tenantId, ids] of overdue) {
      await appendAudit(tx, systemContext(tenantId, requestDeadlineActor), { action: 'rights_request.escalated', object: 'rights_request', recordIds: ids });
    }
    const tenants = [...new Set([...soon.keys(), ...overdue.keys()])];
    const staff =
      tenants.length === 0
        ? []
        : await selectRows<Staff>(
            tx,
            sql`select u.tenant_id, u.email, u.role, w.name as workspace_name from users u join workspaces w on w.id = u.tenant_id
                where u.tenant_id = any(${sql.param(tenants)}::uuid[]) and u.status = 'active' and u.role in ('privacy_officer', 'admin')
                order by u.email`,
          );
    const count = (grouped: Map<string, string[]>) => [...grouped.values()].reduce((sum, ids) => sum + ids.length, 0);
    return { notices: noticesOf(staff, soon, overdue), reminded: count(soon), escalated: count(overdue) };
  });
  let sent = 0;
  for (const notice of notices) {
    // One failed mail must not stop the others; the requests stay claimed (the queue shows them).
    await notify(notice).then(
      () => {
        sent += 1;
      },
      () => undefined,
    );
  }
  return { reminded, escalated, notices: sent };
}
