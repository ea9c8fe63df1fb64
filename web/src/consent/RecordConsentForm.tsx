import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, FieldError, Form, Label, TextArea, TextField } from 'react-aria-components';
import { api, forPurpose } from '../api/client.ts';
import { dataOf } from '../api/problem.ts';
import { purposeLabel } from '../purpose/purposeLabels.ts';
import { usePurposes } from '../purpose/usePurposes.ts';
import { ChoiceSelect } from '../ui/ChoiceSelect.tsx';
import { ProblemNotice } from '../ui/ProblemNotice.tsx';
import { textOf, useFormSubmit } from '../ui/useFormSubmit.ts';
import { consentHistoryKey } from './useConsentHistory.ts';

export const consentStateLabels = { given: 'Given', refused: 'Refused', withdrawn: 'Withdrawn' } as const;
type StaffState = keyof typeof consentStateLabels;

/**
 * Staff record what the person told them about a consent purpose. The server decides
 * whether the role may (403) and whether the purpose is a consent one (422); its reason
 * shows beside the field it names.
 */
export function RecordConsentForm({ purpose, contactId }: { purpose: string; contactId: string }) {
  const queryClient = useQueryClient();
  const purposes = usePurposes();
  const choices = [...(purposes.data?.values() ?? [])].filter((p) => p.legalBasis === 'consent').map((p) => ({ id: p.key, name: purposeLabel(p.key) }));
  const [purposeKey, setPurposeKey] = useState('');
  const [state, setState] = useState<StaffState>('given');
  const [formKey, setFormKey] = useState(0);
  const [recorded, setRecorded] = useState<string | null>(null);
  const chosen = purposeKey || choices[0]?.id || '';
  const { pending, error, onSubmit, validationErrors } = useFormSubmit(async (fields) => {
    setRecorded(null);
    const note = textOf(fields, 'note').trim();
    await api
      .POST('/api/v1/contacts/{id}/consents', {
        params: { path: { id: contactId } },
        body: { purposeKey: chosen, state, ...(note === '' ? {} : { note }) },
        headers: forPurpose(purpose),
      })
      .then(dataOf);
    await queryClient.invalidateQueries({ queryKey: consentHistoryKey(purpose, contactId) });
    setRecorded(`${consentStateLabels[state]}: ${purposeLabel(chosen)} is in the consent history.`);
    setFormKey((key) => key + 1);
  });
  return (
    <Form key={formKey} className="stack record-consent" aria-labelledby="record-consent-heading" onSubmit={onSubmit} validationErrors={validationErrors}>
      <h3 id="record-consent-heading">Record consent</h3>
      <div className="record-consent-choices">
        <ChoiceSelect label="Purpose" name="purposeKey" value={chosen} choices={choices} onChange={setPurposeKey} className="field" />
        <ChoiceSelect
          label="The person"
          name="state"
          value={state}
          choices={Object.entries(consentStateLabels).map(([id, name]) => ({ id, name: name.toLowerCase() }))}
          onChange={(value) => setState(value as StaffState)}
          className="field"
        />
      </div>
      <TextField className="field" name="note">
        <Label>Note (optional)</Label>
        <TextArea rows={2} placeholder="How the person said it" />
        <FieldError />
      </TextField>
      {error !== null && (
        <ProblemNotice
          error={error}
          title="It was not recorded"
          fieldsShown={Object.keys(validationErrors).every((field) => ['purposeKey', 'state', 'note'].includes(field))}
        />
      )}
      <div className="form-actions">
        <Button type="submit" className="button button-primary" isPending={pending} isDisabled={chosen === ''}>
          Record
        </Button>
      </div>
      <p role="status" className="muted">
        {recorded}
      </p>
    </Form>
  );
}
