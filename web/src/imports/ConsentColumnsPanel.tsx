import { TextInput } from '../ui/TextInput.tsx';
import { purposeLabel } from '../purpose/purposeLabels.ts';

/** Where and when the file's consents were collected: sent with the import as consentSource and consentDate. */
export type ConsentDefaults = { source: string; date: string };

type ConsentColumnsPanelProps = {
  purposeKeys: string[];
  hasDateColumn: boolean;
  value: ConsentDefaults;
  onChange(value: ConsentDefaults): void;
};

/**
 * A file's consent:<purpose> columns: each cell becomes a consent event at its row's date, so
 * the import needs to know where the consents came from, and a date for rows without one.
 */
export function ConsentColumnsPanel({ purposeKeys, hasDateColumn, value, onChange }: ConsentColumnsPanelProps) {
  return (
    <fieldset className="stack consent-columns">
      <legend>Consents in this file</legend>
      <p className="muted">
        Recorded in each person's consent history: {purposeKeys.map(purposeLabel).join(', ')}.{' '}
        {hasDateColumn ? 'Each row is dated by its consent_date column.' : 'The file has no consent_date column: give the date below.'}
      </p>
      <TextInput
        label="Where were these consents collected?"
        description="For example: the sign-up sheet of the 2025 trade fair. Kept as evidence with each consent."
        value={value.source}
        onChange={(source) => onChange({ ...value, source })}
        isRequired
      />
      <TextInput
        label={hasDateColumn ? 'Consent date for rows without one' : 'Consent date'}
        type="date"
        value={value.date}
        onChange={(date) => onChange({ ...value, date })}
        isRequired={!hasDateColumn}
      />
    </fieldset>
  );
}
