import { PersonalValue } from '../privacy/PersonalValue.tsx';
import { activityTypeLabels } from '../activities/activityTypes.ts';
import type { Activity } from '../api/types.ts';
import { formatDate, formatDateTime, formatMoney, humanise } from '../ui/format.ts';
import { QueryPanel } from '../ui/QueryPanel.tsx';
import { type TimelineEntry, useTimeline } from './useTimeline.ts';

/** A task's due day and whether it is done. */
function TaskState({ activity }: { activity: Activity }) {
  if (activity.completedAt) return <> · done</>;
  return activity.dueAt ? (
    <>
      {' · due '}
      <time dateTime={activity.dueAt}>{formatDate(activity.dueAt)}</time>
    </>
  ) : (
    <> · open</>
  );
}

function EntryContent({ entry }: { entry: TimelineEntry }) {
  switch (entry.kind) {
    case 'activity':
      return (
        <>
          <p className="timeline-kind">
            {activityTypeLabels[entry.activity.type]}
            {entry.activity.type === 'task' && <TaskState activity={entry.activity} />}
          </p>
          <p className="timeline-title">
            <PersonalValue value={entry.activity.subject} withheld={entry.withheld.get('subject')} />
          </p>
          {(entry.activity.body || entry.withheld.has('body')) && (
            <p className="timeline-body">
              <PersonalValue value={entry.activity.body} withheld={entry.withheld.get('body')} />
            </p>
          )}
        </>
      );
    case 'purchase':
      return (
        <>
          <p className="timeline-kind">Purchase · {humanise(entry.purchase.status)}</p>
          <p className="timeline-title">
            Order {entry.purchase.orderNumber}: {formatMoney(entry.purchase.totalMinor, entry.purchase.currency)}
          </p>
          <p className="timeline-body">{entry.purchase.lines.map((line) => `${line.quantity} × ${line.name}`).join(', ')}</p>
        </>
      );
    case 'event':
      return (
        <>
          <p className="timeline-kind">{humanise(entry.event.type)}</p>
          {entry.withheld.has('properties') && (
            <p className="timeline-body">
              <PersonalValue value={undefined} withheld={entry.withheld.get('properties')} />
            </p>
          )}
        </>
      );
  }
}

const entryKey = (entry: TimelineEntry) => (entry.kind === 'activity' ? entry.activity.id : entry.kind === 'purchase' ? entry.purchase.id : entry.event.id);

/** Activities, purchases and events with the person in one list, newest first. */
export function TimelineSection({ purpose, contactId }: { purpose: string; contactId: string }) {
  const timeline = useTimeline(purpose, contactId);
  return (
    <QueryPanel
      id="timeline-heading"
      title="Timeline"
      query={timeline}
      what="the timeline"
      className="panel timeline-panel"
      empty={(entries) => (entries.length === 0 ? 'Nothing has happened with this person yet.' : null)}
    >
      {(entries) => (
        <ol className="plain-list ruled">
          {entries.map((entry) => (
            <li key={`${entry.kind}:${entryKey(entry)}`} className={`timeline-entry timeline-${entry.kind}`}>
              <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
              <div>
                <EntryContent entry={entry} />
              </div>
            </li>
          ))}
        </ol>
      )}
    </QueryPanel>
  );
}
