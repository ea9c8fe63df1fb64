import { Label, ProgressBar } from 'react-aria-components';
import { formatCount } from '../ui/format.ts';
import type { ImportReport } from './importApi.ts';
import { statusLabels } from './importLabels.ts';

/** How far a running import got: rows read of the rows in the file (indeterminate until the job has counted them). */
export function ImportProgress({ report }: { report: ImportReport }) {
  const { rowsProcessed, rowsTotal } = report.progress;
  const counted = rowsTotal !== null && rowsTotal > 0;
  return (
    <ProgressBar
      className="import-progress"
      value={counted ? rowsProcessed : undefined}
      maxValue={counted ? rowsTotal : undefined}
      isIndeterminate={!counted}
      valueLabel={counted ? `${formatCount(rowsProcessed)} of ${formatCount(rowsTotal)} rows` : statusLabels[report.status]}
    >
      {({ percentage, valueText }) => (
        <>
          <div className="progress-labels">
            <Label>{statusLabels[report.status]}</Label>
            <span>{valueText}</span>
          </div>
          {/* The bar itself is drawn by a native element: no inline width to allow in the CSP. */}
          <progress className="progress-fill" max={100} value={counted ? percentage : undefined} aria-hidden="true" />
        </>
      )}
    </ProgressBar>
  );
}
