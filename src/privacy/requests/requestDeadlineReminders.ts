import { sql, type SQL } from 'drizzle-orm';
import type { Database, Executor } from '../../db/connection.ts';
import { selectRows } from '../../db/rows.ts';
import { appendAudit, systemContext } from '../../kernel/index.ts';
import { confirmationSoonSql, dueSoonSql, overdueSql } from './requestQueue.ts';
import { confirmationOverdueSql } from './requestRecords.ts';

/*
 * The hourly `request-deadlines` job's work: each open request is reminded once when it
 * falls due soon (within 7 days in its jurisdiction) and escalated once when it becomes
 * overdue; a request whose receipt is still to be confirmed (CCPA: 10 business days) is
 * reminded once when its confirm-by date is 3 days away or less, and escalated once when it
 * has passed. Requests are claimed in one transaction (the stamp columns set, rows locked,
 * so two runs never claim the same one: the job is idempotent) and audited; then every
 * privacy officer of the workspace gets one notice with the counts (the admins too for an
 * escalation, and in place of privacy officers where a workspace has none). Notices name no
 * request's person: counts and the workspace only.
 */

export const requestDeadlineActor = 'request-deadlines';

/** A notice's counts: answers due soon and overdue, confirmations of receipt due soon and late. */
export type DeadlineCounts = { dueSoon: number; overdue: number; confirmSoon: number; confirmOverdue: number };
export type DeadlineNotice = { to: string; workspaceName: string } & DeadlineCounts;
export type DeadlineNotifier = (notice: DeadlineNotice) => Promise<void>;
export type DeadlineRun = { reminded: number; escalated: number; confirmationsReminded: number; confirmationsEscalated: number; notices: number };

type Claimed = { tenant_id: string; id: string };
type Check = { count: keyof DeadlineCounts; condition: SQL; stamp: SQL; action: string; escalates: boolean };

// Each check claims its requests by stamping a column of its own, once.
const checks: Check[] = [
  { count: 'dueSoon', condition: dueSoonSql, stamp: sql`reminded_at`, action: 'rights_request.reminded', escalates: false },
  { count: 'overdue', condition: overdueSql, stamp: sql`escalated_at`, action: 'rights_request.escalated', escalates: true },
  {
    count: 'confirmSoon',
    condition: confirmationSoonSql,
    stamp: sql`acknowledge_reminded_at`,
    action: 'rights_request.confirmation_reminded',
    escalates: false,
  },
  {
    count: 'confirmOverdue',
    condition: confirmationOverdueSql,
    stamp: sql`acknowledge_escalated_at`,
    action: 'rights_request.confirmation_escalated',
    escalates: true,
  },
];

async function claim(tx: Executor, check: Check): Promise<Claimed[]> {
  return selectRows<Claimed>(
    tx,
    sql`update rights_requests set ${check.stamp} = now()
        where (tenant_id, id) in (select r.tenant_id, r.id from rights_requests r where ${check.condition} and r.${check.stamp} is null for update skip locked)
        returning tenant_id, id`,
  );
}

const byTenant = (rows: Claimed[]) => {
  const grouped = new Map<string, string[]>();
  for (const row of rows) grouped.set(row.tenant_id, [...(grouped.get(row.tenant_id) ?? []), row.id]);
  return grouped;
};

type Staff = { tenant_id: string; email: string; role: string; workspace_name: string };

type Claims = Record<keyof DeadlineCounts, Map<string, string[]>>;

/** The workspaces with any claimed request. */
const claimedTenants = (claims: Claims): string[] => [...new Set(checks.flatMap((check) => [...claims[check.count].keys()]))];

function noticesOf(staff: Staff[], claims: Claims, tenants: readonly string[]): DeadlineNotice[] {
  const notices: DeadlineNotice[] = [];
  for (const tenantId of tenants) {
    const members = staff.filter((member) => member.tenant_id === tenantId);
    const officers = members.filter((member) => member.role === 'privacy_officer');
    const admins = members.filter((member) => member.role === 'admin');
    const counts = Object.fromEntries(checks.map((check) => [check.count, claims[check.count].get(tenantId)?.length ?? 0])) as DeadlineCounts;
    const late = checks.some((check) => check.escalates && counts[check.count] > 0);
    const recipients = late ? [...officers, ...admins] : officers.length > 0 ? officers : admins;
    for (const email of new Set(recipients.map((member) => member.email))) {
      notices.push({ to: email, workspaceName: members[0].workspace_name, ...counts });
    }
  }
  return notices;
}

/** Claims the requests due for a reminder or an escalation, audits them, and sends the notices after commit. */
export async function remindRequestDeadlines(database: Database, notify: DeadlineNotifier): Promise<DeadlineRun> {
  const { notices, claims } = await database.db.transaction(async (tx) => {
    const claims = {} as Claims;
    for (const check of checks) {
      claims[check.count] = byTenant(await claim(tx, check));
      for (const [tenantId, ids] of claims[check.count]) {
        await appendAudit(tx, systemContext(tenantId, requestDeadlineActor), { action: check.action, object: 'rights_request', recordIds: ids });
      }
    }
    const tenants = claimedTenants(claims);
    const staff =
      tenants.length === 0
        ? []
        : await selectRows<Staff>(
            tx,
            sql`select u.tenant_id, u.email, u.role, w.name as workspace_name from users u join workspaces w on w.id = u.tenant_id
                where u.tenant_id = any(${sql.param(tenants)}::uuid[]) and u.status = 'active' and u.role in ('privacy_officer', 'admin')
                order by u.email`,
          );
    return { notices: noticesOf(staff, claims, tenants), claims };
  });
  const count = (grouped: Map<string, string[]>) => [...grouped.values()].reduce((sum, ids) => sum + ids.length, 0);
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
  return {
    reminded: count(claims.dueSoon),
    escalated: count(claims.overdue),
    confirmationsReminded: count(claims.confirmSoon),
    confirmationsEscalated: count(claims.confirmOverdue),
    notices: sent,
  };
}
