import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RightsRequest } from '../requests/requestRecords.ts';
import { denialCodes, requestStates } from '../requests/requestStates.ts';
import { drpReasons, drpStatuses, exerciseStatusOf } from './drpStatus.ts';

const spec = readFileSync(new URL('../../../data/drp/data-rights-protocol.md', import.meta.url), 'utf8');

/** The (state, reason) rows of the spec's §3.02 Request Statuses table. */
function specRows(): Array<{ state: string; reason: string }> {
  const table = spec.slice(spec.indexOf('### 3.02 Request Statuses'), spec.indexOf('#### 3.02.1'));
  return table
    .split('\n')
    .filter((line) => /^\|\s*[a-z_]+\s*\|/.test(line))
    .map((line) => line.split('|').map((cell) => cell.trim()))
    .map((cells) => ({ state: cells[1], reason: cells[2] }))
    .filter((row) => row.state !== 'state');
}

const request = (overrides: Partial<RightsRequest>): RightsRequest => ({
  id: 'a0000000-0000-4000-8000-000000000001',
  tenantId: 'a0000000-0000-4000-8000-000000000002',
  subjectId: null,
  kind: 'access',
  regime: 'ccpa',
  jurisdiction: 'US-CA',
  timeZone: 'America/Los_Angeles',
  channel: 'agent',
  purposeKey: null,
  state: 'received',
  receivedAt: new Date('2026-12-01T10:00:00Z'),
  deadlines: {
    receivedOn: '2026-12-01',
    acknowledgeBy: '2026-12-15',
    respondBy: '2027-01-15',
    extensionNoticeBy: '2027-01-15',
    extendedRespondBy: '2027-03-01',
  },
  dueOn: '2027-01-15',
  overdue: false,
  acknowledgedAt: null,
  confirmationOverdue: false,
  extendedAt: null,
  extensionReason: null,
  denialReason: null,
  denialCode: null,
  withdrawalReason: null,
  outcome: null,
  verifiedAt: null,
  closedAt: null,
  version: 1,
  ...overrides,
});
const link = { drpRequestId: 'b0000000-0000-4000-8000-000000000003', agentRequestId: null };
const now = new Date('2026-12-02T10:00:00Z');

describe('the Data Rights Protocol statuses', () => {
  it("lists every state and reason of the spec's §3.02 table", () => {
    const rows = specRows();
    expect(rows.length).toBeGreaterThanOrEqual(13);
    expect([...new Set(rows.map((row) => row.state))].sort()).toEqual([...drpStatuses].sort());
    expect([...new Set(rows.map((row) => row.reason).filter((reason) => reason !== ''))].sort()).toEqual([...drpReasons].sort());
  });

  it("reaches every state and reason of the spec from Candor's states and denial codes", () => {
    const reached = new Set<string>();
    for (const state of requestStates) {
      const closedAt = ['completed', 'denied', 'withdrawn'].includes(state) ? new Date('2026-12-02T09:00:00Z') : null;
      const codes = state === 'denied' ? denialCodes : [null];
      for (const denialCode of codes) {
        const status = exerciseStatusOf(request({ state, closedAt, denialCode }), link, now);
        reached.add(`${status.status}/${status.reason ?? ''}`);
      }
    }
    reached.add(`${exerciseStatusOf(request({ state: 'completed', closedAt: new Date('2026-09-01T00:00:00Z') }), link, now).status}/`);
    const expected = specRows().map((row) => `${row.state}/${row.reason}`);
    expect([...reached].sort()).toEqual([...new Set(expected)].sort());
  });

  it('gives expected_by once in progress, the extension reason, and expires_at once closed', () => {
    expect(exerciseStatusOf(request({ state: 'received' }), link, now)).toEqual({
      request_id: link.drpRequestId,
      status: 'open',
      received_at: '2026-12-01T10:00:00.000Z',
    });
    expect(exerciseStatusOf(request({ state: 'extended', extensionReason: 'Many records', dueOn: '2027-03-01' }), link, now)).toMatchObject({
      status: 'in_progress',
      expected_by: '2027-03-01',
      processing_details: 'Many records',
    });
    expect(exerciseStatusOf(request({ state: 'completed', closedAt: new Date('2026-12-02T09:00:00Z') }), link, now)).toMatchObject({
      status: 'fulfilled',
      expires_at: '2027-01-31T09:00:00.000Z',
    });
  });
});
