import { FilterSelect } from '../ui/FilterSelect.tsx';
import { importFieldLabel } from './fieldLabels.ts';

type ColumnFieldSelectProps = {
  header: string;
  field: string | null;
  fields: string[];
  onChange(field: string | null): void;
};

/** The field one column of the file fills, or "Not imported"; the table row names the column. */
export function ColumnFieldSelect({ header, field, fields, onChange }: ColumnFieldSelectProps) {
  const options = Object.fromEntries(fields.map((name) => [name, importFieldLabel(name)]));
  return (
    <FilterSelect
      label={`Field for the column ${header || '(unnamed)'}`}
      labelHidden
      noneLabel="Not imported"
      value={field}
      options={options}
      onChange={onChange}
    />
  );
}
