import type { PortalData } from '../../api/types.ts';
import { formatDateTime, humanise } from '../../ui/format.ts';
import { actionOf, actorOf, fieldWords } from './trailWords.ts';

const shownAtMost = 50;

/** Who accessed the person's data (the kind of actor, never a name), when, what and for which purpose: the newest first. */
export function TrailSection({ data }: { data: PortalData }) {
  const labelOf = (key: string) => data.purposes.find((purpose) => purpose.key === key)?.label ?? humanise(key);
  const entries = [...data.trail].reverse();
  const shown = entries.slice(0, shownAtMost);
  return (
    <section id="who-accessed" className="panel portal-section" aria-labelledby="who-accessed-heading">
      <h2 id="who-accessed-heading">Who accessed your data</h2>
      <p>Every time someone at our end opens your data, we record when, what and why. Here is that record.</p>
      {entries.length === 0 ? (
        <p className="empty-state">No one has accessed your data yet.</p>
      ) : (
        <ol className="plain-list ruled" aria-label="Accesses to your data, newest first">
          {shown.map((entry, index) => (
            // Entries have no id of their own; the trail is read whole each time.
            // biome-ignore lint/suspicious/noArrayIndexKey: a trail entry is identified by its place in the trail
            <li key={index} className="portal-record">
              <p>
                <strong>{actorOf(entry.actorType)}</strong> {actionOf(entry.action)}
                {entry.decision === 'deny' && ' (refused: they were not allowed)'}
              </p>
              <p className="muted">
                <time dateTime={entry.occurredAt}>{formatDateTime(entry.occurredAt)}</time>
                {entry.purpose && ` · for ${labelOf(entry.purpose)}`}
                {entry.fields.length > 0 && ` · ${entry.fields.map(fieldWords).join(', ')}`}
              </p>
            </li>
          ))}
        </ol>
      )}
      {entries.length > shownAtMost && <p className="muted">And {entries.length - shownAtMost} earlier: your copy holds them all.</p>}
    </section>
  );
}
