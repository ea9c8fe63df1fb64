import { useDraggable } from '@dnd-kit/core';
import { Link } from 'react-router';
import type { Deal } from '../api/types.ts';
import { formatDate, formatMoney } from '../ui/format.ts';
import { useCompany } from '../contact/useContactRecord.ts';

/** What a card says: the deal's name, amount, company and expected close date. */
export function DealCardBody({ deal, purpose, linkCompany }: { deal: Deal; purpose: string; linkCompany: boolean }) {
  const company = useCompany(purpose, deal.companyId);
  const companyName = company.data?.data.name ?? (company.isError ? 'Its company (not loaded)' : 'Loading its company…');
  return (
    <>
      <h3 className="deal-card-name">{deal.name}</h3>
      <p className="deal-card-amount">{deal.amountMinor !== null && deal.currency ? formatMoney(deal.amountMinor, deal.currency) : 'No amount'}</p>
      {deal.companyId !== null && (
        <p className="deal-card-company">
          {linkCompany ? (
            // A link is natively draggable: it would take the mouse drag from dnd-kit.
            <Link to={`/companies/${deal.companyId}`} draggable={false}>
              {companyName}
            </Link>
          ) : (
            companyName
          )}
        </p>
      )}
      {/* A calendar date: read at noon UTC, so no time zone shows it as the day before or after. */}
      {deal.expectedCloseDate !== null && <p className="deal-card-date">Closes {formatDate(`${deal.expectedCloseDate}T12:00:00Z`)}</p>}
    </>
  );
}

/**
 * A deal on the board. The card is dragged with the mouse from anywhere on it; by keyboard
 * its handle is the one control that picks it up (space), so the company link beside it
 * stays a plain link.
 */
export function DealCard({ deal, purpose }: { deal: Deal; purpose: string }) {
  const { setNodeRef, setActivatorNodeRef, listeners, attributes, isDragging } = useDraggable({ id: deal.id, data: { deal } });
  return (
    <li ref={setNodeRef} className={isDragging ? 'deal-card deal-card-lifted' : 'deal-card'} {...listeners}>
      <button type="button" ref={setActivatorNodeRef} className="deal-card-handle" {...attributes} aria-label={`Move ${deal.name}`}>
        <svg viewBox="0 0 10 16" width="10" height="16" aria-hidden="true" focusable="false">
          <path d="M2 2h2v2H2zm4 0h2v2H6zM2 7h2v2H2zm4 0h2v2H6zM2 12h2v2H2zm4 0h2v2H6z" fill="currentColor" />
        </svg>
      </button>
      <DealCardBody deal={deal} purpose={purpose} linkCompany />
    </li>
  );
}
