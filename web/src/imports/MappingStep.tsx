import { useState } from 'react';
import { Button, Checkbox } from 'react-aria-components';
import { usePurpose } from '../session/sessionContext.ts';
import { formatCount } from '../ui/format.ts';
import { Loading } from '../ui/Loading.tsx';
import { ProblemNotice } from '../ui/ProblemNotice.tsx';
import { SimpleTable } from '../ui/SimpleTable.tsx';
import { ColumnFieldSelect } from './ColumnFieldSelect.tsx';
import { type ConsentDefaults, ConsentColumnsPanel } from './ConsentColumnsPanel.tsx';
import { presetLabels } from './fieldLabels.ts';
import { type MappingChoices, useImportMapping } from './importApi.ts';
import type { ChosenFile } from './ImportWizard.tsx';

type MappingStepProps = {
  chosen: ChosenFile;
  choices: MappingChoices;
  onChoices(choices: MappingChoices): void;
  onBack(): void;
  onImport(skipInvalid: boolean, consents: ConsentDefaults | null): void;
  pending: boolean;
  error: unknown;
};

/** Step 2: the server's mapping of each column (its presets recognise HubSpot and Salesforce exports), changed by hand where needed. */
export function MappingStep({ chosen, choices, onChoices, onBack, onImport, pending, error }: MappingStepProps) {
  const purpose = usePurpose();
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [consents, setConsents] = useState<ConsentDefaults>({ source: '', date: '' });
  const mapping = useImportMapping(purpose, chosen.object, chosen.headers, choices);
  const what = chosen.object === 'contact' ? 'contacts' : 'companies';

  if (mapping.isPending) return <Loading what="the column mapping" />;
  if (mapping.isError) return <ProblemNotice error={mapping.error} title="The columns could not be mapped" />;
  const { format, columns, fields, unmapped, consentColumns, consentDateColumn } = mapping.data;
  const mapped = columns.filter((column) => column.field !== null).length;
  const consentHeaders = new Map(consentColumns.map((column) => [column.column, column.purposeKey]));
  const hasConsents = consentColumns.length > 0;
  // The server refuses a file with consent columns and no source, or no date for a row.
  const consentsReady = !hasConsents || (consents.source.trim() !== '' && (consentDateColumn !== null || consents.date !== ''));

  return (
    <div className="stack">
      <section className="panel stack" aria-labelledby="mapping-heading">
        <div>
          <h2 id="mapping-heading">Map the columns of {chosen.file.name}</h2>
          <p className="preset-line" role="status">
            {format ? (
              <>
                Preset: <strong>{presetLabels[format] ?? format} export</strong>, recognised from the column names.
              </>
            ) : (
              'No known export recognised: the columns were matched by their names.'
            )}{' '}
            {formatCount(mapped)} of {formatCount(columns.length)} columns will be imported as {what}.
          </p>
        </div>
        <SimpleTable labelledBy="mapping-heading" className="mapping-table" columns={[{ label: 'Column in the file' }, { label: 'Imported as' }]}>
          {columns.map((column) => (
            <tr key={column.column}>
              <th scope="row">{column.header || <span className="muted">(unnamed column {column.column + 1})</span>}</th>
              <td>
                {consentHeaders.has(column.column) || column.column === consentDateColumn ? (
                  <span>{column.column === consentDateColumn ? 'The date of the consents' : 'Consent, in the consent history'}</span>
                ) : (
                  <ColumnFieldSelect
                    header={column.header}
                    field={column.field}
                    fields={fields}
                    onChange={(field) => onChoices({ ...choices, [column.header]: field })}
                  />
                )}
              </td>
            </tr>
          ))}
        </SimpleTable>
        {unmapped.length > 0 && (
          <p className="notice notice-warning">Not imported, as no field matches: {unmapped.join(', ')}. Choose a field for a column to import it.</p>
        )}
        {hasConsents && (
          <ConsentColumnsPanel
            purposeKeys={consentColumns.map((column) => column.purposeKey)}
            hasDateColumn={consentDateColumn !== null}
            value={consents}
            onChange={setConsents}
          />
        )}
        <Checkbox className="checkbox checkbox-inline" isSelected={skipInvalid} onChange={setSkipInvalid}>
          <span className="checkbox-box" aria-hidden="true" />
          Import the valid rows even if some are invalid (otherwise nothing is imported until every row is valid)
        </Checkbox>
      </section>
      {error !== null && <ProblemNotice error={error} title="The import could not start" />}
      <div className="toolbar">
        <Button className="button" onPress={onBack} isDisabled={pending}>
          Back
        </Button>
        <Button
          className="button button-primary"
          onPress={() => onImport(skipInvalid, hasConsents ? consents : null)}
          isPending={pending}
          isDisabled={mapped === 0 || !consentsReady}
        >
          Start the import
        </Button>
      </div>
    </div>
  );
}
