import { useState } from 'react';
import { Link } from 'react-router';
import type { CreatedWebhook } from '../api/types.ts';
import { formatDate } from '../ui/format.ts';
import { QueryPanel } from '../ui/QueryPanel.tsx';
import { SimpleTable } from '../ui/SimpleTable.tsx';
import { useWebhooks } from './adminApi.ts';
import { CreateWebhookForm } from './CreateWebhookForm.tsx';
import { SecretOnce } from './SecretOnce.tsx';

/** The workspace's webhooks, a new one's signing secret shown once, and the way to each delivery log. */
export function WebhooksPage() {
  const webhooks = useWebhooks();
  const [created, setCreated] = useState<CreatedWebhook | null>(null);
  return (
    <div className="stack">
      {created?.secret ? (
        <SecretOnce title={`The signing secret of ${created.url}`} secret={created.secret} onDone={() => setCreated(null)} />
      ) : (
        <CreateWebhookForm onCreated={setCreated} />
      )}
      <QueryPanel id="webhooks-heading" title="Webhooks" query={webhooks} what="the webhooks" empty={(list) => (list.length === 0 ? 'No webhook yet.' : null)}>
        {(list) => (
          <SimpleTable labelledBy="webhooks-heading" columns={[{ label: 'Receiver' }, { label: 'Events' }, { label: 'State' }, { label: 'Added' }]}>
            {list.map((webhook) => (
              <tr key={webhook.id}>
                <th scope="row">
                  <Link to={`/admin/webhooks/${webhook.id}`} aria-label={`Delivery log of ${webhook.url}`}>
                    {webhook.url}
                  </Link>
                </th>
                <td>{webhook.eventTypes.join(', ')}</td>
                <td>{webhook.active ? 'Active' : 'Paused'}</td>
                <td className="nowrap">{formatDate(webhook.createdAt)}</td>
              </tr>
            ))}
          </SimpleTable>
        )}
      </QueryPanel>
    </div>
  );
}
