import type { PortalData } from '../../api/types.ts';
import { FieldRow } from '../../ui/FieldRow.tsx';
import { RecordLists } from './RecordLists.tsx';
import { valueText } from './recordValues.ts';

/** Every value held on the person, then the records that name them; for an address no one holds, says so. */
export function YourDataSection({ data, email }: { data: PortalData; email: string }) {
  const hasRecords = Object.values(data.records).some((records) => records.length > 0);
  return (
    <section id="your-data" className="panel portal-section" aria-labelledby="your-data-heading">
      <h2 id="your-data-heading">Your data</h2>
      {!data.known ? (
        <p>
          We hold no data about <strong>{email}</strong>. If you gave us another e-mail address, sign out and sign in with that one.
        </p>
      ) : (
        <>
          <p>This is everything we hold about you, as we hold it.</p>
          <h3>Your details</h3>
          <dl className="field-list ruled">
            {data.fields.map((field) => (
              <FieldRow key={field.field} label={field.label}>
                {valueText(field.value) ?? <span className="muted">(empty)</span>}
              </FieldRow>
            ))}
          </dl>
          <h3>Your history with us</h3>
          {hasRecords ? <RecordLists records={data.records} /> : <p className="empty-state">No deals, purchases, notes or visits are recorded about you.</p>}
        </>
      )}
    </section>
  );
}
