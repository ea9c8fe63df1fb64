import { EmptyValue } from '../privacy/PersonalValue.tsx';
import { formatMoney } from '../ui/format.ts';
import { QueryPanel } from '../ui/QueryPanel.tsx';
import { type DealsOf, useDealsOf } from './useContactRecord.ts';

/** The deals a contact takes part in, or a company's, with their stage and amount. */
export function DealsSection({ purpose, of, emptyText }: { purpose: string; of: DealsOf; emptyText: string }) {
  const deals = useDealsOf(purpose, of);
  return (
    <QueryPanel id="deals-heading" title="Deals" query={deals} what="deals" empty={({ deals }) => (deals.length === 0 ? emptyText : null)}>
      {({ deals, stageNames }) => (
        <ul className="plain-list ruled">
          {deals.map((deal) => (
            <li key={deal.id} className="deal-item">
              <span className="deal-name">{deal.name}</span>
              <span className="badge">{stageNames.get(deal.stageId) ?? 'Unknown stage'}</span>
              <span className="deal-amount">{deal.amountMinor !== null && deal.currency ? formatMoney(deal.amountMinor, deal.currency) : <EmptyValue />}</span>
            </li>
          ))}
        </ul>
      )}
    </QueryPanel>
  );
}
