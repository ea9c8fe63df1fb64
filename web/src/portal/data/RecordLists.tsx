import type { ReactNode } from 'react';
import type { PortalRecords } from '../../api/types.ts';
import { humanise } from '../../ui/format.ts';
import { dateIn, dateTimeIn, type LooseRecord, moneyIn, numberIn, textIn } from './recordValues.ts';

// The records that name the person, kind by kind, in a few plain words each.

const shownAtMost = 20;

/** Words joined by " · ", the missing ones left out. */
const line = (...parts: Array<string | null>) => parts.filter((part): part is string => Boolean(part)).join(' · ');

function RecordGroup({ title, records, describe }: { title: string; records: LooseRecord[]; describe(record: LooseRecord): ReactNode }) {
  if (records.length === 0) return null;
  const shown = records.slice(0, shownAtMost);
  return (
    <section className="portal-records" aria-label={title}>
      <h4>
        {title} ({records.length})
      </h4>
      <ul className="plain-list ruled">
        {shown.map((record) => (
          <li key={record.id} className="portal-record">
            {describe(record)}
          </li>
        ))}
      </ul>
      {records.length > shownAtMost && <p className="muted">And {records.length - shownAtMost} more: your copy holds them all.</p>}
    </section>
  );
}

function describeActivity(record: LooseRecord) {
  const others = numberIn(record, 'otherPeople') ?? 0;
  return (
    <>
      <p>
        <strong>{textIn(record, 'subject') ?? humanise(textIn(record, 'type') ?? 'activity')}</strong>
      </p>
      {textIn(record, 'body') && <p>{textIn(record, 'body')}</p>}
      <p className="muted">
        {line(humanise(textIn(record, 'type') ?? 'activity'), dateTimeIn(record, 'occurredAt'), others > 0 ? `also about ${others} other people` : null)}
      </p>
    </>
  );
}

/** The deals, purchases, activities, events and website visits that name the person (the newest events first). */
export function RecordLists({ records }: { records: PortalRecords }) {
  const events = [...records.events].sort((a, b) => (textIn(b, 'occurredAt') ?? '').localeCompare(textIn(a, 'occurredAt') ?? ''));
  return (
    <>
      <RecordGroup
        title="Deals"
        records={records.deals}
        describe={(deal) => (
          <p>
            <strong>{textIn(deal, 'name')}</strong> {line(textIn(deal, 'stage'), moneyIn(deal, 'amountMinor'), dateIn(deal, 'createdAt'))}
          </p>
        )}
      />
      <RecordGroup
        title="Purchases"
        records={records.purchases}
        describe={(purchase) => (
          <p>
            <strong>Order {textIn(purchase, 'orderNumber')}</strong>{' '}
            {line(dateIn(purchase, 'purchasedAt'), moneyIn(purchase, 'totalMinor'), humanise(textIn(purchase, 'status') ?? ''))}
          </p>
        )}
      />
      <RecordGroup title="Calls, meetings, notes and tasks" records={records.activities} describe={describeActivity} />
      <RecordGroup
        title="Things you did on our site or in our e-mails"
        records={events}
        describe={(event) => <p>{line(humanise(textIn(event, 'type') ?? 'event'), dateTimeIn(event, 'occurredAt'))}</p>}
      />
      <RecordGroup
        title="Website visitor profiles"
        records={records.visitors}
        describe={(visitor) => <p>{line(`First seen ${dateIn(visitor, 'firstSeenAt') ?? ''}`, `last seen ${dateIn(visitor, 'lastSeenAt') ?? ''}`)}</p>}
      />
    </>
  );
}
