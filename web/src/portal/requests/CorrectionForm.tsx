import { useState } from 'react';
import { Button, Form, Input, Label, TextField } from 'react-aria-components';
import { ChoiceSelect } from '../../ui/ChoiceSelect.tsx';
import { formatDate } from '../../ui/format.ts';
import { ProblemNotice } from '../../ui/ProblemNotice.tsx';
import { useAskForRequest } from './usePortalRequests.ts';

/** A field the person may ask to correct: its catalog name and how the portal names it. */
export type CorrectableField = { name: string; label: string };
type Correction = { key: number; field: string; value: string };

/** Asking for a correction: one or more fields, each with the value it should hold. */
export function CorrectionForm({ workspace, fields }: { workspace: string; fields: CorrectableField[] }) {
  const ask = useAskForRequest(workspace);
  const first = fields[0]?.name ?? '';
  // A row's field until the person picks one: the first offered (the list may come after the form).
  const [chosen, setRows] = useState<Correction[]>([{ key: 0, field: '', value: '' }]);
  const rows = chosen.map((row) => (row.field === '' ? { ...row, field: first } : row));
  const change = (key: number, patch: Partial<Correction>) => setRows((all) => all.map((row) => (row.key === key ? { ...row, ...patch } : row)));
  const labelOf = (name: string) => fields.find((field) => field.name === name)?.label ?? name;
  const submit = () => {
    const corrections = Object.fromEntries(rows.map((row) => [row.field, row.value.trim() === '' ? null : row.value.trim()]));
    ask.mutate({ kind: 'rectification', corrections }, { onSuccess: () => setRows([{ key: Date.now(), field: '', value: '' }]) });
  };
  if (fields.length === 0) return null;
  return (
    <section className="portal-ask" aria-labelledby="ask-correction-heading">
      <h3 id="ask-correction-heading">Correct your data</h3>
      <p>Choose what is wrong and write what it should say. Leave the new value empty to ask us to remove it.</p>
      <Form
        className="stack"
        aria-labelledby="ask-correction-heading"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        {rows.map((row, index) => (
          <fieldset key={row.key} className="portal-correction">
            <legend>Correction {index + 1}</legend>
            <ChoiceSelect
              label="What to correct"
              value={row.field}
              choices={fields.map((field) => ({ id: field.name, name: field.label }))}
              onChange={(field) => change(row.key, { field })}
            />
            <TextField className="field" value={row.value} onChange={(value) => change(row.key, { value })}>
              <Label>New value for {labelOf(row.field)}</Label>
              <Input />
            </TextField>
            {rows.length > 1 && (
              <Button className="button button-quiet" onPress={() => setRows((all) => all.filter((other) => other.key !== row.key))}>
                Remove correction {index + 1}
              </Button>
            )}
          </fieldset>
        ))}
        <div className="portal-actions">
          <Button className="button" onPress={() => setRows((all) => [...all, { key: Date.now(), field: '', value: '' }])}>
            Add another correction
          </Button>
          <Button type="submit" className="button button-primary" isPending={ask.isPending}>
            Ask for the correction
          </Button>
        </div>
        {ask.isError && <ProblemNotice error={ask.error} title="Your request was not sent" />}
      </Form>
      <p role="status" className="portal-ask-status">
        {ask.isSuccess ? `We have your request for a correction. We will answer by ${formatDate(ask.data.dueAt)}.` : ''}
      </p>
    </section>
  );
}
