import { useState } from 'react';
import { Button, Checkbox, CheckboxGroup, Form, Label } from 'react-aria-components';
import type { CreatedApiKey } from '../api/types.ts';
import { purposeLabel } from '../purpose/purposeLabels.ts';
import { usePurposes } from '../purpose/usePurposes.ts';
import { FilterSelect } from '../ui/FilterSelect.tsx';
import { ProblemNotice } from '../ui/ProblemNotice.tsx';
import { TextInput } from '../ui/TextInput.tsx';
import { textOf, useFormSubmit } from '../ui/useFormSubmit.ts';
import { useCreateApiKey } from './adminApi.ts';
import { type Role, roleLabels } from './roles.ts';

/** A new API key: its name, role and the purposes it may act for (one of them its default). */
export function CreateApiKeyForm({ onCreated }: { onCreated(key: CreatedApiKey): void }) {
  const create = useCreateApiKey();
  const purposes = usePurposes();
  const [role, setRole] = useState<Role>('sales');
  const [chosen, setChosen] = useState<string[]>([]);
  const [defaultPurpose, setDefaultPurpose] = useState<string | null>(null);
  const { pending, error, onSubmit, validationErrors } = useFormSubmit(async (fields) => {
    const key = await create.mutateAsync({
      name: textOf(fields, 'name'),
      role,
      purposes: chosen,
      ...(defaultPurpose !== null && chosen.includes(defaultPurpose) ? { defaultPurpose } : {}),
    });
    onCreated(key);
  });
  const purposeKeys = [...(purposes.data?.keys() ?? [])];
  return (
    <section className="panel stack" aria-labelledby="new-key-heading">
      <h2 id="new-key-heading">Create an API key</h2>
      <Form className="stack" aria-labelledby="new-key-heading" onSubmit={onSubmit} validationErrors={validationErrors}>
        <div className="toolbar">
          <TextInput name="name" label="Name" description="What uses it, e.g. the website's sign-up form" isRequired />
          <FilterSelect label="Role" value={role} options={roleLabels} noneLabel={null} onChange={(next) => next && setRole(next)} />
          <FilterSelect
            label="Default purpose"
            value={defaultPurpose}
            options={Object.fromEntries(chosen.map((key) => [key, purposeLabel(key)]))}
            noneLabel="None: every request names one"
            onChange={setDefaultPurpose}
          />
        </div>
        <CheckboxGroup className="checkbox-group" name="purposes" value={chosen} onChange={setChosen} isRequired>
          <Label className="field-label">Purposes it may act for</Label>
          <div className="checkbox-list">
            {purposeKeys.map((key) => (
              <Checkbox key={key} value={key} className="checkbox checkbox-inline">
                <span className="checkbox-box" aria-hidden="true" />
                {purposeLabel(key)}
              </Checkbox>
            ))}
          </div>
        </CheckboxGroup>
        {error !== null && <ProblemNotice error={error} title="The key was not created" fieldsShown />}
        <div>
          <Button type="submit" className="button button-primary" isPending={pending} isDisabled={chosen.length === 0}>
            Create the key
          </Button>
        </div>
      </Form>
    </section>
  );
}
