import type { ConsentStatistics } from '../../api/types.ts';
import { purposeLabel } from '../../purpose/purposeLabels.ts';
import { formatCount, formatDate } from '../../ui/format.ts';
import { SimpleTable } from '../../ui/SimpleTable.tsx';
import { type ConsentSummary, rateText, type RenewalRow } from './consentDashboardData.ts';

/** The four figures above the charts, as a description list a screen reader reads in order. */
export function ConsentFigures({ summary, periods }: { summary: ConsentSummary; periods: string }) {
  const figures: Array<[string, number]> = [
    ['Live consents now', summary.live],
    [`Withdrawals, ${periods}`, summary.withdrawals],
    [`GPC opt-outs, ${periods}`, summary.gpcOptOuts],
    ['Renewals due', summary.renewalsDue],
  ];
  return (
    <dl className="consent-figures">
      {figures.map(([label, value]) => (
        <div key={label} className="consent-figure">
          <dt>{label}</dt>
          <dd>{formatCount(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Each purpose now: who is on record, whose consent is live, and the latest word of the others. */
export function PurposesNowTable({ labelledBy, statistics }: { labelledBy: string; statistics: ConsentStatistics }) {
  const columns = ['Purpose', 'People asked', 'Live', 'Consent rate', 'Refused', 'Withdrawn', 'Expired', 'Opted out'];
  return (
    <SimpleTable labelledBy={labelledBy} keyboardScroll columns={columns.map((label, index) => ({ label, numeric: index > 0 }))}>
      {statistics.purposes.map(({ purposeKey, current }) => (
        <tr key={purposeKey}>
          <th scope="row">{purposeLabel(purposeKey)}</th>
          {[current.onRecord, current.live].map((value, index) => (
            <td key={columns[index + 1]} className="numeric">
              {formatCount(value)}
            </td>
          ))}
          <td className="numeric">{rateText(current.consentRate)}</td>
          {[current.refused, current.withdrawn, current.expired, current.optedOut].map((value, index) => (
            <td key={columns[index + 4]} className="numeric">
              {formatCount(value)}
            </td>
          ))}
        </tr>
      ))}
    </SimpleTable>
  );
}

/** The consents to ask again: expiring within the window, or given under a notice older than a material change. */
export function RenewalsTable({ labelledBy, rows, windowDays }: { labelledBy: string; rows: RenewalRow[]; windowDays: number }) {
  return (
    <SimpleTable
      labelledBy={labelledBy}
      keyboardScroll
      columns={[
        { label: 'Purpose' },
        { label: `Expiring within ${windowDays} days`, numeric: true },
        { label: 'Given under an older notice', numeric: true },
        { label: 'Renew by' },
        { label: 'Due in all', numeric: true },
      ]}
    >
      {rows.map((row) => (
        <tr key={row.purposeKey}>
          <th scope="row">{purposeLabel(row.purposeKey)}</th>
          <td className="numeric">{formatCount(row.expiringSoon)}</td>
          <td className="numeric">{formatCount(row.olderNotice)}</td>
          <td>{row.renewBy ? formatDate(row.renewBy) : '—'}</td>
          <td className="numeric">{formatCount(row.renewalsDue)}</td>
        </tr>
      ))}
    </SimpleTable>
  );
}
