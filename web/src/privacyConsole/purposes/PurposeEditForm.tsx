import { useQueryClient } from '@tanstack/react-query';
import { Form } from 'react-aria-components';
import { api } from '../../api/client.ts';
import { dataOf } from '../../api/problem.ts';
import type { Purpose } from '../../api/types.ts';
import { purposeLabel } from '../../purpose/purposeLabels.ts';
import { ProblemNotice } from '../../ui/ProblemNotice.tsx';
import { EditorActions } from '../EditorActions.tsx';
import { TextInput } from '../../ui/TextInput.tsx';
import { textOf, useFormSubmit } from '../../ui/useFormSubmit.ts';

type PurposeChange = { description?: string; dataUse?: string; retentionDays?: number; consentValidityDays?: number | null };

/** Only the settings the form changed: a PATCH that names nothing else cannot undo another's edit of another setting. */
function changeOf(purpose: Purpose, fields: FormData): PurposeChange {
  const change: PurposeChange = {};
  const description = textOf(fields, 'description').trim();
  const dataUse = textOf(fields, 'dataUse').trim();
  const retentionDays = Number(textOf(fields, 'retentionDays'));
  if (description !== purpose.description) change.description = description;
  if (dataUse !== purpose.dataUse) change.dataUse = dataUse;
  if (retentionDays !== purpose.retentionDays) change.retentionDays = retentionDays;
  if (purpose.legalBasis === 'consent') {
    // Empty: a consent counts until withdrawn.
    const validity = textOf(fields, 'consentValidityDays').trim();
    const consentValidityDays = validity === '' ? null : Number(validity);
    if (consentValidityDays !== purpose.consentValidityDays) change.consentValidityDays = consentValidityDays;
  }
  return change;
}

/**
 * Edits a purpose's description, data use, retention and (consent purposes) consent validity under If-Match: when someone changed
 * it since it was read, the API answers 412 and the form says so over the purpose read again.
 */
export function PurposeEditForm({ purpose, onClose }: { purpose: Purpose; onClose(savedKey: string | null): void }) {
  const queryClient = useQueryClient();
  const { pending, error, onSubmit, validationErrors } = useFormSubmit(async (fields) => {
    const change = changeOf(purpose, fields);
    if (Object.keys(change).length === 0) return onClose(null);
    const result = await api.PATCH('/api/v1/purposes/{key}', {
      params: { path: { key: purpose.key }, header: { 'If-Match': `"${purpose.version}"` } },
      body: change,
    });
    // On a 412 the next save names the version read again; the notice says what happened.
    if (result.response.status === 412) await queryClient.invalidateQueries({ queryKey: ['configuration', 'purposes'] });
    dataOf(result);
    await queryClient.invalidateQueries({ queryKey: ['configuration', 'purposes'] });
    onClose(purpose.key);
  });
  const label = purposeLabel(purpose.key);
  return (
    <section className="panel console-form" aria-labelledby="purpose-edit-heading">
      <h2 id="purpose-edit-heading">Edit {label}</h2>
      <Form className="stack" onSubmit={onSubmit} validationErrors={validationErrors}>
        <TextInput name="description" label="Description" defaultValue={purpose.description} isRequired maxLength={1000} />
        <TextInput
          name="dataUse"
          label="Data use"
          description="A fideslang data use key, such as marketing.communications.email"
          defaultValue={purpose.dataUse}
          isRequired
        />
        <TextInput
          name="retentionDays"
          label="Retention (days)"
          type="number"
          inputMode="numeric"
          defaultValue={purpose.retentionDays === null ? '' : String(purpose.retentionDays)}
          isRequired
        />
        {purpose.legalBasis === 'consent' && (
          <TextInput
            name="consentValidityDays"
            label="Consent validity (days)"
            description="How long a consent counts once given or renewed; leave empty for until withdrawn. Not the retention period."
            type="number"
            inputMode="numeric"
            defaultValue={purpose.consentValidityDays === null ? '' : String(purpose.consentValidityDays)}
          />
        )}
        {error !== null && <ProblemNotice error={error} title={`${label} was not saved`} fieldsShown />}
        <EditorActions saveLabel={`Save ${label}`} pending={pending} onCancel={() => onClose(null)} />
      </Form>
    </section>
  );
}
