import { useState } from 'react';
import { Button, DropZone, FileTrigger, Label, Radio, RadioGroup, Text } from 'react-aria-components';
import { csvHeaderRow } from './csvHeaderRow.ts';
import type { ImportObject } from './importApi.ts';
import type { ChosenFile } from './ImportWizard.tsx';

const csvTypes = ['text/csv', '.csv', 'application/vnd.ms-excel'];

/** Step 1: what the file holds, and the file (chosen or dropped); its header row is read here. */
export function UploadStep({ onChosen }: { onChosen(chosen: ChosenFile): void }) {
  const [object, setObject] = useState<ImportObject>('contact');
  const [problem, setProblem] = useState<string | null>(null);

  const choose = async (file: File | undefined) => {
    if (!file) return;
    // Only the start of the file is needed for its header row.
    const headers = csvHeaderRow(await file.slice(0, 64 * 1024).text());
    if (headers.length === 0 || headers.every((header) => header === '')) {
      setProblem(`${file.name} has no header row: its first line must name the columns.`);
      return;
    }
    setProblem(null);
    onChosen({ file, headers, object });
  };

  return (
    <div className="panel stack">
      <RadioGroup className="radio-group" value={object} onChange={(value) => setObject(value as ImportObject)}>
        <Label className="field-label">The file holds</Label>
        <Radio value="contact" className="radio">
          Contacts
        </Radio>
        <Radio value="company" className="radio">
          Companies
        </Radio>
      </RadioGroup>
      <DropZone
        className="drop-zone"
        aria-label="CSV file to import"
        getDropOperation={(types) => (csvTypes.some((type) => types.has(type)) || types.has('text/plain') ? 'copy' : 'cancel')}
        onDrop={async (event) => {
          for (const item of event.items) {
            if (item.kind === 'file') return choose(await item.getFile());
          }
        }}
      >
        <Text slot="label">Drop a CSV file here, or</Text>
        <FileTrigger acceptedFileTypes={csvTypes} onSelect={(files) => void choose(files?.[0])}>
          <Button className="button button-primary">Choose a CSV file</Button>
        </FileTrigger>
        <p className="muted">
          Exports from HubSpot and Salesforce, and Candor&apos;s own, are recognised by their column names. Nothing is sent until you start the import.
        </p>
      </DropZone>
      {problem !== null && (
        <p className="notice notice-error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
