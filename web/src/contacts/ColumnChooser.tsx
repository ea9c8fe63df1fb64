import { useEffect, useRef, useState } from 'react';
import { Button, Checkbox, Dialog, DialogTrigger, Heading, Popover } from 'react-aria-components';
import { type ColumnChoice, moveColumn, toggleColumn } from './contactColumnChoice.ts';
import '../styles/savedViews.css';

type ColumnChooserProps = {
  /** The columns shown, in order. */
  columns: readonly string[];
  /** Every column the table may show, named. */
  choices: readonly ColumnChoice[];
  onChange(columns: string[]): void;
};

/** The last move: the column, its direction, and the order it makes (the focus waits for the table to show it). */
type Move = { id: string; by: -1 | 1; order: string };

const moveButtonId = (id: string, by: -1 | 1) => `column-move-${by < 0 ? 'up' : 'down'}-${id.replace('.', '-')}`;

/**
 * The table's columns to tick, shown ones first in their order, each movable up or down by
 * button (so by keyboard); the name column is always there and first. A moved row's button
 * keeps the focus, or its other button once it reached an end.
 */
export function ColumnChooser({ columns, choices, onChange }: ColumnChooserProps) {
  const [moved, setMoved] = useState<Move | null>(null);
  const order = columns.join(',');
  useEffect(() => {
    if (!moved || moved.order !== order) return;
    const same = document.getElementById(moveButtonId(moved.id, moved.by));
    const other = document.getElementById(moveButtonId(moved.id, moved.by < 0 ? 1 : -1));
    (same && !same.hasAttribute('disabled') ? same : other)?.focus();
  }, [moved, order]);

  const labelOf = new Map(choices.map((choice) => [choice.id, choice.label]));
  const hidden = choices.filter((choice) => !columns.includes(choice.id));
  const rows = [...columns.map((id) => ({ id, label: labelOf.get(id) ?? id })), ...hidden];
  // Two presses before the address (and so `columns`) caught up must build on each other.
  const latest = useRef(columns);
  useEffect(() => {
    latest.current = columns;
  }, [columns]);
  const move = (id: string, by: -1 | 1) => {
    const next = moveColumn(latest.current, id, by);
    latest.current = next;
    onChange(next);
    setMoved({ id, by, order: next.join(',') });
  };

  return (
    <DialogTrigger>
      <Button className="button columns-button">Columns</Button>
      <Popover className="columns-popover" placement="bottom start">
        <Dialog className="columns-dialog" aria-labelledby="columns-heading">
          <Heading id="columns-heading" slot="title" className="columns-heading">
            Columns
          </Heading>
          <p className="muted">Name is always first. Tick the others to show; move the shown ones to order them.</p>
          <ul className="columns-list">
            {rows.map(({ id, label }) => {
              const position = columns.indexOf(id);
              const shown = position >= 0;
              return (
                <li key={id} className="columns-row">
                  <Checkbox
                    className="checkbox"
                    isSelected={shown}
                    isDisabled={shown && columns.length === 1}
                    onChange={(isSelected) => onChange(toggleColumn(columns, id, isSelected))}
                  >
                    <span className="checkbox-box" aria-hidden="true" />
                    {label}
                  </Checkbox>
                  {shown && (
                    <span className="columns-move">
                      <Button
                        id={moveButtonId(id, -1)}
                        className="button columns-move-button"
                        aria-label={`Move ${label} up`}
                        isDisabled={position === 0}
                        onPress={() => move(id, -1)}
                      >
                        ↑
                      </Button>
                      <Button
                        id={moveButtonId(id, 1)}
                        className="button columns-move-button"
                        aria-label={`Move ${label} down`}
                        isDisabled={position === columns.length - 1}
                        onPress={() => move(id, 1)}
                      >
                        ↓
                      </Button>
                    </span>
                  )}
                </li>
              );
            })}
          </ul>
        </Dialog>
      </Popover>
    </DialogTrigger>
  );
}
