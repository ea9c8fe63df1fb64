import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, forPurpose } from '../../api/client.ts';
import { dataOf } from '../../api/problem.ts';
import { QueryPanel } from '../../ui/QueryPanel.tsx';
import { SimpleTable } from '../../ui/SimpleTable.tsx';
import { daysLeft } from './daysLeft.ts';
import { ConfirmReceipt } from './ConfirmReceipt.tsx';
import { RequestActions } from './RequestActions.tsx';

/*
 * The rights-request queue of the privacy console: every request with its kind, law, state
 * and the date its answer is due, counted down in days (GET /api/v1/requests, read for
 * legal_compliance), and the CCPA confirmation of receipt; filtered to the requests due
 * within 7 days, overdue, or with receipt still to confirm. Ids, kinds,
 * states and dates only: the requester's identity is opened one request at a time.
 */

type DueFilter = 'all' | 'soon' | 'overdue' | 'unconfirmed';
const filters: Array<{ value: DueFilter; label: string }> = [
  { value: 'all', label: 'All' },
  { value: 'soon', label: 'Due within 7 days' },
  { value: 'overdue', label: 'Overdue' },
  { value: 'unconfirmed', label: 'Receipt to confirm' },
];

export function RequestsPage() {
  const [due, setDue] = useState<DueFilter>('all');
  const requests = useQuery({
    queryKey: ['requests', due],
    queryFn: async () =>
      dataOf(
        await api.GET('/api/v1/requests', {
          params: { query: { limit: 100, ...(due === 'all' ? {} : { due }) } },
          headers: forPurpose('legal_compliance'),
        }),
      ).data,
  });
  return (
    <section className="page stack" aria-labelledby="requests-heading">
      <h1 id="requests-heading">Rights requests</h1>
      <p className="muted">
        Access, erasure, restriction, objection and the other rights, each with the date its answer is due under its law (GDPR: one month; CCPA: 45 days,
        opt-outs 15 business days), counted in its jurisdiction&apos;s working days. CCPA requests to know, delete or correct also need their receipt confirmed
        to the person within 10 business days.
      </p>
      <label className="queue-filter">
        Show{' '}
        <select value={due} onChange={(event) => setDue(event.target.value as DueFilter)}>
          {filters.map((filter) => (
            <option key={filter.value} value={filter.value}>
              {filter.label}
            </option>
          ))}
        </select>
      </label>
      <QueryPanel
        id="requests-queue-heading"
        title="Queue"
        query={requests}
        what="the rights requests"
        empty={(rows) => (rows.length === 0 ? 'No request here.' : null)}
      >
        {(rows) => (
          <SimpleTable
            labelledBy="requests-queue-heading"
            keyboardScroll
            columns={[
              { label: 'Received' },
              { label: 'Kind' },
              { label: 'Law' },
              { label: 'State' },
              { label: 'Due' },
              { label: 'Days left', numeric: true },
              { label: 'Receipt confirmed' },
              { label: 'Actions' },
            ]}
          >
            {rows.map((request) => (
              <tr key={request.id} className={request.overdue ? 'overdue' : undefined}>
                <td className="queue-date">{request.receivedOn}</td>
                <td>{request.kind.replaceAll('_', ' ')}</td>
                <td>{request.regime.toUpperCase()}</td>
                <td>{request.state.replaceAll('_', ' ')}</td>
                <td className="queue-date">{request.dueOn}</td>
                <td className="numeric">{request.closedAt ? '—' : daysLeft(request.dueOn, new Date())}</td>
                <td>
                  <ConfirmReceipt
                    id={request.id}
                    kind={request.kind}
                    acknowledgeBy={request.acknowledgeBy}
                    acknowledgedAt={request.acknowledgedAt}
                    confirmationOverdue={request.confirmationOverdue}
                    closed={request.closedAt !== null}
                  />
                </td>
                <td>
                  <RequestActions id={request.id} state={request.state} kind={request.kind} />
                </td>
              </tr>
            ))}
          </SimpleTable>
        )}
      </QueryPanel>
    </section>
  );
}
