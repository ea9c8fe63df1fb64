import type { ReactNode } from 'react';

/** One term and its value in a field list (<dl className="field-list ruled">). */
export function FieldRow({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="field-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
