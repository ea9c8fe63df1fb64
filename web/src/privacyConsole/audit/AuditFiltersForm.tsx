import { Button, Form } from 'react-aria-components';
import { TextInput } from '../../ui/TextInput.tsx';
import { textOf } from '../../ui/useFormSubmit.ts';
import { type AuditFilterValues, auditFilters } from './auditFilters.ts';

type AuditFiltersFormProps = { values: AuditFilterValues; onApply(values: AuditFilterValues): void };

/** One field per filter the API accepts (auditFilters.ts); applying puts them in the address. */
export function AuditFiltersForm({ values, onApply }: AuditFiltersFormProps) {
  return (
    <Form
      className="toolbar audit-filters"
      aria-label="Filter the audit trail"
      onSubmit={(event) => {
        event.preventDefault();
        const fields = new FormData(event.currentTarget);
        onApply(Object.fromEntries(auditFilters.map((filter) => [filter.param, textOf(fields, filter.param).trim()])));
      }}
    >
      {auditFilters.map((filter) => (
        <TextInput
          key={`${filter.param}:${values[filter.param] ?? ''}`}
          name={filter.param}
          label={filter.label}
          description={filter.description}
          type={filter.input}
          defaultValue={values[filter.param] ?? ''}
        />
      ))}
      <div className="form-actions">
        <Button type="submit" className="button">
          Apply filters
        </Button>
        <Button type="reset" className="button button-quiet" onPress={() => onApply({})}>
          Clear
        </Button>
      </div>
    </Form>
  );
}
