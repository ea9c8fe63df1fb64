import { Button } from 'react-aria-components';
import { Link, useParams } from 'react-router';
import type { WebhookDelivery } from '../api/types.ts';
import { formatDateTime } from '../ui/format.ts';
import { ProblemNotice } from '../ui/ProblemNotice.tsx';
import { QueryPanel } from '../ui/QueryPanel.tsx';
import { SimpleTable } from '../ui/SimpleTable.tsx';
import { useTestWebhook, useWebhook, useWebhookDeliveries } from './adminApi.ts';

const statusLabels: Record<string, string> = { pending: 'Pending', delivered: 'Delivered', failed: 'Failed' };

/** One attempt as a line: when, and the receiver's status or why none arrived. */
function attemptText(attempt: WebhookDelivery['attempts'][number]): string {
  const outcome = attempt.statusCode !== null ? `HTTP ${attempt.statusCode}` : (attempt.error ?? 'no answer');
  return `${attempt.number}. ${formatDateTime(attempt.attemptedAt)} — ${outcome}, ${attempt.durationMs} ms`;
}

/** A webhook's delivery log, newest first, with every attempt; and a test delivery to follow in it. */
export function WebhookDeliveriesPage() {
  const { id = '' } = useParams();
  const webhook = useWebhook(id);
  const deliveries = useWebhookDeliveries(id);
  const ping = useTestWebhook(id);
  return (
    <div className="stack">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/admin/webhooks">Webhooks</Link>
      </nav>
      <div className="toolbar">
        <p className="webhook-url">{webhook.data ? <code>{webhook.data.url}</code> : 'Loading the webhook…'}</p>
        <Button className="button" onPress={() => ping.mutate()} isPending={ping.isPending}>
          Send a test delivery
        </Button>
      </div>
      {ping.isError && <ProblemNotice error={ping.error} title="The test delivery was not sent" />}
      <QueryPanel
        id="deliveries-heading"
        title="Delivery log"
        query={deliveries}
        what="the deliveries"
        empty={(list) => (list.length === 0 ? 'Nothing was sent to this webhook yet.' : null)}
      >
        {(list) => (
          <SimpleTable labelledBy="deliveries-heading" columns={[{ label: 'Event' }, { label: 'Status' }, { label: 'Queued' }, { label: 'Attempts' }]}>
            {list.map((delivery) => (
              <tr key={delivery.id}>
                <th scope="row">{delivery.eventType}</th>
                <td>
                  <span className={`status status-${delivery.status}`}>{statusLabels[delivery.status] ?? delivery.status}</span>
                </td>
                <td>{formatDateTime(delivery.createdAt)}</td>
                <td>
                  {delivery.attempts.length === 0 ? (
                    <span className="muted">None yet</span>
                  ) : (
                    <ol className="plain-list attempts">
                      {delivery.attempts.map((attempt) => (
                        <li key={attempt.number}>{attemptText(attempt)}</li>
                      ))}
                    </ol>
                  )}
                </td>
              </tr>
            ))}
          </SimpleTable>
        )}
      </QueryPanel>
    </div>
  );
}
