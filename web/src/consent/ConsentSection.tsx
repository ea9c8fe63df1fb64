import { useState } from 'react';
import { Button } from 'react-aria-components';
import { purposeLabel } from '../purpose/purposeLabels.ts';
import { formatDateTime, humanise } from '../ui/format.ts';
import { QueryPanel } from '../ui/QueryPanel.tsx';
import '../styles/consent.css';
import { ReceiptPanel } from './ReceiptPanel.tsx';
import { RecordConsentForm } from './RecordConsentForm.tsx';
import type { ConsentEvent } from '../api/types.ts';
import { useConsentHistory } from './useConsentHistory.ts';

function ConsentEntry({ event, purpose, contactId }: { event: ConsentEvent; purpose: string; contactId: string }) {
  const [open, setOpen] = useState(false);
  return (
    <li className="consent-entry">
      <div className="consent-summary">
        <p className="consent-title">
          <strong>{purposeLabel(event.purposeKey)}</strong>: <span className={`consent-state consent-${event.state}`}>{humanise(event.state)}</span>
        </p>
        <p className="muted">
          <time dateTime={event.recordedAt}>{formatDateTime(event.recordedAt)}</time>
          {` · via ${humanise(event.channel)}`}
          {event.expiresAt ? (
            <>
              {' · expires '}
              <time dateTime={event.expiresAt}>{formatDateTime(event.expiresAt)}</time>
            </>
          ) : null}
          {` · notice ${event.noticeVersion === null ? 'not versioned' : `v${event.noticeVersion}`}`}
        </p>
        <Button className="button" aria-expanded={open} onPress={() => setOpen((shown) => !shown)}>
          {open ? 'Hide the receipt' : 'Receipt'}
        </Button>
      </div>
      {open && <ReceiptPanel purpose={purpose} contactId={contactId} eventId={event.id} />}
    </li>
  );
}

/** The person's consent ledger (newest first) with each event's signed receipt, and the staff form to record a consent. */
export function ConsentSection({ purpose, contactId }: { purpose: string; contactId: string }) {
  const history = useConsentHistory(purpose, contactId);
  return (
    <div className="panel consent-panel">
      <QueryPanel
        id="consent-heading"
        title="Consent"
        query={history}
        what="the consent history"
        className="consent-history"
        empty={(events) => (events.length === 0 ? 'No consent recorded for this person yet.' : null)}
      >
        {(events) => (
          <ol className="plain-list ruled" aria-label="Consent history">
            {events.map((event) => (
              <ConsentEntry key={event.id} event={event} purpose={purpose} contactId={contactId} />
            ))}
          </ol>
        )}
      </QueryPanel>
      <RecordConsentForm purpose={purpose} contactId={contactId} />
    </div>
  );
}
