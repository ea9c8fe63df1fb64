import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { dataOf } from '../../api/problem.ts';
import { formatCount, formatDateTime } from '../../ui/format.ts';
import { QueryPanel } from '../../ui/QueryPanel.tsx';
import { durationLabel } from './durationLabel.ts';

/*
 * Key epochs and the erasure window (GET /api/v1/keys): when an erased person's data stops
 * being openable in copies of the database taken before the erasure. Counts and times only:
 * the API never says who waits.
 */
export function KeyEpochsPage() {
  const status = useQuery({ queryKey: ['configuration', 'key-epochs'], queryFn: async () => dataOf(await api.GET('/api/v1/keys')).data });
  return (
    <section className="page stack" aria-labelledby="keys-heading">
      <h1 id="keys-heading">Key epochs and the erasure window</h1>
      <p className="muted">
        Erasing a person destroys their data key at once; copies of the database taken before still hold it, wrapped under the current epoch's key, until the
        next epoch advance re-wraps every other key and destroys that one.
      </p>
      <QueryPanel id="epoch-heading" title="Now" query={status} what="the key epochs">
        {(data) => (
          <dl className="field-list">
            <div className="field-row">
              <dt>Current epoch</dt>
              <dd>{data.currentEpoch === null ? 'None yet: no personal value is stored' : `Epoch ${data.currentEpoch}`}</dd>
            </div>
            <div className="field-row">
              <dt>Began</dt>
              <dd>{data.epochStartedAt ? formatDateTime(data.epochStartedAt) : '—'}</dd>
            </div>
            <div className="field-row">
              <dt>Erasures waiting for an advance</dt>
              <dd>
                {formatCount(data.pendingErasures)}
                {data.firstPendingErasureAt && `, the first at ${formatDateTime(data.firstPendingErasureAt)}`}
              </dd>
            </div>
            <div className="field-row">
              <dt>Next advance</dt>
              <dd>
                {data.advanceInProgress
                  ? 'In progress: data keys are being re-wrapped'
                  : data.nextAdvanceDueAt
                    ? `Due ${formatDateTime(data.nextAdvanceDueAt)}`
                    : 'Not needed: no erasure waits'}
              </dd>
            </div>
            <div className="field-row">
              <dt>Old copies hold no openable key of the waiting erasures from</dt>
              <dd>{data.pendingErasuresHoldBy ? formatDateTime(data.pendingErasuresHoldBy) : '—'}</dd>
            </div>
            <div className="field-row">
              <dt>Epochs destroyed</dt>
              <dd>{formatCount(data.destroyedEpochs)}</dd>
            </div>
          </dl>
        )}
      </QueryPanel>
      <QueryPanel id="window-heading" title="The erasure window" query={status} what="the erasure window">
        {({ erasureWindow }) => (
          <p>
            An advance is due {durationLabel(erasureWindow.maxDelaySeconds)} after the first erasure it covers, or as soon as{' '}
            {formatCount(erasureWindow.maxPendingErasures)} erasures wait; the schedule looks every {durationLabel(erasureWindow.checkIntervalSeconds)}. At
            worst, {durationLabel(erasureWindow.worstCaseSeconds)} after an erasure (plus the advance's own run) no database copy holds an openable key of it.
            Key-store backups keep old epoch keys for as long as you keep them.
          </p>
        )}
      </QueryPanel>
    </section>
  );
}
