import { useState } from 'react';
import { Button } from 'react-aria-components';
import type { PortalConsentEvent, PortalData, PortalPurpose } from '../../api/types.ts';
import { formatDateTime, humanise } from '../../ui/format.ts';
import { ProblemNotice } from '../../ui/ProblemNotice.tsx';
import { PortalReceipt } from './PortalReceipt.tsx';
import { useConsentChoice } from './usePortalConsent.ts';

const stateWords: Record<string, string> = {
  given: 'Given',
  renewed: 'Given',
  withdrawn: 'Withdrawn',
  refused: 'Refused',
  expired: 'Expired',
  opted_out: 'Opted out',
};
const stateOf = (state: string) => stateWords[state] ?? humanise(state);

const channelWords: Record<string, string> = {
  staff: 'one of our staff',
  portal: 'this portal',
  form: 'a form',
  widget: 'our website’s consent banner',
  import: 'an import of our records',
  api: 'one of our systems',
  email_link: 'a link in an e-mail',
  gpc: 'your browser’s privacy signal',
  tcf: 'an advertising consent banner',
};

/** A receipt behind a button, for one consent event. */
function ReceiptToggle({ event, label }: { event: PortalConsentEvent; label: string }) {
  const [open, setOpen] = useState(false);
  if (!event.receipt) return null;
  return (
    <div className="portal-receipt">
      <Button className="button" aria-expanded={open} onPress={() => setOpen((shown) => !shown)}>
        {open ? 'Hide the receipt' : 'See the receipt'}
        <span className="visually-hidden"> for {label}</span>
      </Button>
      {open && <PortalReceipt eventId={event.id} receipt={event.receipt} />}
    </div>
  );
}

/** One consent purpose: whether consent counts now, the button that changes it, and the latest receipt. */
function ConsentChoice({ workspace, purpose, latest }: { workspace: string; purpose: PortalPurpose; latest: PortalData['consents'][number] | undefined }) {
  const choose = useConsentChoice(workspace, purpose.key);
  const live = latest?.live === true;
  return (
    <li className="portal-consent">
      <p className="portal-consent-title">
        <strong>{purpose.label}</strong>
        <span className={`status state-${live ? 'given' : (latest?.state ?? 'none')}`}>{latest ? stateOf(latest.state) : 'Not given'}</span>
      </p>
      <p className="muted">
        {purpose.description}
        {latest && ` Last changed ${formatDateTime(latest.recordedAt)}.`}
      </p>
      <div className="portal-actions">
        <Button className={live ? 'button' : 'button button-primary'} onPress={() => choose.mutate(live ? 'withdrawn' : 'given')} isPending={choose.isPending}>
          {live ? 'Withdraw my consent' : 'Give my consent'}
          <span className="visually-hidden"> to {purpose.label}</span>
        </Button>
      </div>
      {latest && <ReceiptToggle event={latest} label={purpose.label} />}
      {choose.isError && <ProblemNotice error={choose.error} title="Your choice was not saved" />}
    </li>
  );
}

/** The consent purposes, each with the person's choice and a button to change it; then every past choice with its receipt. */
export function ConsentsSection({ workspace, data }: { workspace: string; data: PortalData }) {
  const consentPurposes = data.purposes.filter((purpose) => purpose.legalBasis === 'consent');
  const labelOf = (key: string) => data.purposes.find((purpose) => purpose.key === key)?.label ?? humanise(key);
  const history = [...data.consentHistory].reverse();
  return (
    <section id="your-consents" className="panel portal-section" aria-labelledby="your-consents-heading">
      <h2 id="your-consents-heading">Your consents</h2>
      <p>We use your data for these purposes only if you agree. You can change your mind at any time; withdrawing takes effect at once.</p>
      {!data.known ? (
        <p className="empty-state">We hold no record for your address, so there is no consent of yours to change.</p>
      ) : consentPurposes.length === 0 ? (
        <p className="empty-state">We ask for consent for nothing.</p>
      ) : (
        <ul className="plain-list ruled" aria-label="Consent purposes">
          {consentPurposes.map((purpose) => (
            <ConsentChoice
              key={purpose.key}
              workspace={workspace}
              purpose={purpose}
              latest={data.consents.find((consent) => consent.purposeKey === purpose.key)}
            />
          ))}
        </ul>
      )}
      <h3>Your choices so far</h3>
      {history.length === 0 ? (
        <p className="empty-state">No choice recorded yet.</p>
      ) : (
        <ol className="plain-list ruled" aria-label="Your consent history">
          {history.map((event) => (
            <li key={event.id} className="portal-consent">
              <p>
                <strong>{labelOf(event.purposeKey)}</strong>: {stateOf(event.state)}
              </p>
              <p className="muted">
                <time dateTime={event.recordedAt}>{formatDateTime(event.recordedAt)}</time> · through {channelWords[event.channel] ?? humanise(event.channel)}
                {event.noticeVersion !== null && ` · notice version ${event.noticeVersion}`}
              </p>
              <ReceiptToggle event={event} label={`${labelOf(event.purposeKey)}, ${formatDateTime(event.recordedAt)}`} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
