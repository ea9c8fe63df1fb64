import { describe, expect, it } from 'vitest';
import { newId } from '../src/db/ids.ts';
import { systemContext } from '../src/kernel/accessContext.ts';
import { appendAudit, appendAuditBatch, inMemoryAuditKeys, type AuditEntry } from '../src/kernel/audit.ts';
import { auditTampering } from './support/auditTampering.ts';
import { checkpointEvery, useAuditTestApp } from './support/auditTestApp.ts';

/* The audit routes: verifying the chain and reading the trail, for admins and privacy officers only. */

const keys = inMemoryAuditKeys();
const { t, database, db } = useAuditTestApp(keys);
const { raw, tamper } = auditTampering(database);

describe('audit API', () => {
  it('verifies the workspace chain for admins and privacy officers only', async () => {
    const workspace = await t().createWorkspace();
    await appendAuditBatch(db(), systemContext(workspace.id, 'crm', 'sales'), [{ action: 'deal.created' }, { action: 'deal.updated' }]);
    for (const role of ['admin', 'privacy_officer'] as const) {
      const response = await t().request(workspace.keys[role], { method: 'GET', url: '/api/v1/audit/verify' });
      expect(response.statusCode).toBe(200);
      expect(response.json().data).toMatchObject({ ok: true });
    }
    const refused = await t().request(workspace.keys.sales, { method: 'GET', url: '/api/v1/audit/verify' });
    expect(refused.statusCode).toBe(403);
  });

  it('reports the first broken entry of a tampered chain', async () => {
    const workspace = await t().createWorkspace();
    await appendAuditBatch(db(), systemContext(workspace.id, 'crm', 'sales'), [{ action: 'a' }, { action: 'b' }, { action: 'c' }]);
    await tamper(() => raw(`update audit_entries set action = 'x' where tenant_id = $1 and sequence = 2`, [workspace.id]));
    const response = await t().request(workspace.keys.admin, { method: 'GET', url: '/api/v1/audit/verify' });
    expect(response.json().data).toMatchObject({ ok: false, firstBrokenSequence: 2 });
  });

  it('reports missing checkpoints as a broken chain', async () => {
    const workspace = await t().createWorkspace();
    await appendAuditBatch(
      db(),
      systemContext(workspace.id, 'crm', 'sales'),
      Array.from({ length: checkpointEvery + 2 }, (_, index) => ({ action: 'deal.updated', detail: { index } })),
    );
    await tamper(() => raw('delete from audit_checkpoints where tenant_id = $1', [workspace.id]));
    const response = await t().request(workspace.keys.admin, { method: 'GET', url: '/api/v1/audit/verify' });
    expect(response.json().data).toMatchObject({ ok: false, firstBrokenSequence: checkpointEvery, reason: expect.stringContaining('missing') });
  });

  it("lists the trail in sequence pages, only of the caller's workspace", async () => {
    const workspace = await t().createWorkspace();
    const elsewhere = await t().createWorkspace();
    await appendAuditBatch(db(), systemContext(elsewhere.id, 'crm', 'sales'), [{ action: 'elsewhere' }]);
    await appendAuditBatch(db(), systemContext(workspace.id, 'crm', 'sales'), [{ action: 'one' }, { action: 'two' }, { action: 'three' }]);
    const first = await t().request(workspace.keys.privacy_officer, { method: 'GET', url: '/api/v1/audit?limit=2' });
    expect(first.statusCode).toBe(200);
    const firstPage = first.json();
    expect(firstPage.data.map((entry: AuditEntry) => entry.sequence)).toEqual([1, 2]);
    const second = (await t().request(workspace.keys.privacy_officer, { method: 'GET', url: `/api/v1/audit?limit=2&cursor=${firstPage.nextCursor}` })).json();
    expect(second.data[0]).toMatchObject({ sequence: 3, action: 'three' });
    const actions = [...firstPage.data, ...second.data].map((entry: AuditEntry) => entry.action);
    expect(actions).not.toContain('elsewhere');
    // Reading the trail is itself recorded.
    expect(actions).toContain('audit.read');
    expect((await t().request(workspace.keys.sales, { method: 'GET', url: '/api/v1/audit' })).statusCode).toBe(403);
  });

  it("serves one subject's trail by subject id, recording that lookup under the subject's pseudonym", async () => {
    const workspace = await t().createWorkspace();
    const subject = newId();
    await appendAudit(db(), systemContext(workspace.id, 'crm', 'marketing'), { action: 'contact.read', fields: ['email'], subjectIds: [subject] });
    await appendAudit(db(), systemContext(workspace.id, 'crm', 'sales'), { action: 'contact.read', subjectIds: [newId()] });
    const response = await t().request(workspace.keys.privacy_officer, { method: 'GET', url: `/api/v1/audit?subjectId=${subject}` });
    expect(response.statusCode).toBe(200);
    expect(response.json().data.map((entry: AuditEntry) => [entry.sequence, entry.purpose])).toEqual([[1, 'marketing']]);
    const again = (await t().request(workspace.keys.privacy_officer, { method: 'GET', url: `/api/v1/audit?subjectId=${subject}` })).json();
    expect(again.data.map((entry: AuditEntry) => entry.action)).toEqual(['contact.read', 'audit.read']);
  });
});
