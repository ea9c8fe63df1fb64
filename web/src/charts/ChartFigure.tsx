import { type ReactNode, Suspense, useId, useState } from 'react';
import { Button } from 'react-aria-components';
import '../styles/charts.css';
import { SimpleTable } from '../ui/SimpleTable.tsx';
import { formatCount } from '../ui/format.ts';
import { colourOf } from './chartColours.ts';
import { type ChartData, valueText } from './chartData.ts';

export type ChartFigureProps = {
  /** The figure's caption, which is also the accessible name of the chart and of its table. */
  title: string;
  /** A sentence under the caption: what is counted and what is not. */
  note?: ReactNode;
  data: ChartData;
  /** The table's first column header: what a category is ("Stage", "Week"). */
  categoryLabel: string;
  /** How a category reads in the table (a date, say); as given by default. */
  categoryText?: (category: string) => string;
  /** Shown instead of the chart when there is no series to draw. */
  emptyText: string;
};

type Props = ChartFigureProps & { kind: string; children: ReactNode };

/**
 * The part of every chart that is not the drawing, so it is there before the chart code has
 * loaded: a figure named by its caption, a legend, and a "Show as table" toggle with the same
 * numbers as text for screen readers, keyboard users and anyone who cannot tell the colours
 * apart. The drawing itself (children) is a picture whose name says where its numbers are.
 */
export function ChartFigure({ title, note, data, categoryLabel, categoryText = (category) => category, emptyText, kind, children }: Props) {
  const [showTable, setShowTable] = useState(false);
  const captionId = useId();
  const tableId = useId();
  const empty = data.series.length === 0;
  return (
    <figure className="chart" aria-labelledby={captionId}>
      <figcaption id={captionId} className="chart-caption">
        {title}
      </figcaption>
      {note && <p className="chart-note muted">{note}</p>}
      {empty ? (
        <p className="empty-state">{emptyText}</p>
      ) : (
        <>
          <ul className="chart-legend">
            {data.series.map((series, index) => (
              <li key={series.label}>
                <span className="chart-swatch" style={{ backgroundColor: colourOf(index) }} aria-hidden="true" />
                {series.label}
              </li>
            ))}
          </ul>
          <div className="chart-picture" role="img" aria-label={`${title}: ${kind}. The numbers are in its table.`}>
            <Suspense fallback={<div className="chart-plot chart-plot-loading" />}>{children}</Suspense>
          </div>
          <Button className="button button-quiet chart-table-toggle" aria-expanded={showTable} aria-controls={tableId} onPress={() => setShowTable(!showTable)}>
            {showTable ? 'Hide the table' : 'Show as table'}
            <span className="visually-hidden">: {title}</span>
          </Button>
          <div id={tableId} className="chart-table" hidden={!showTable}>
            <SimpleTable labelledBy={captionId} columns={[{ label: categoryLabel }, ...data.series.map((series) => ({ label: series.label, numeric: true }))]}>
              {data.categories.map((category, row) => (
                <tr key={category}>
                  <th scope="row">{categoryText(category)}</th>
                  {data.series.map((series) => (
                    <td key={series.label} className="numeric">
                      {valueText(series, row, formatCount)}
                    </td>
                  ))}
                </tr>
              ))}
            </SimpleTable>
          </div>
        </>
      )}
    </figure>
  );
}
