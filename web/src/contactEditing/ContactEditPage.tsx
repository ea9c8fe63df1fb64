import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { Link, useNavigate, useParams } from 'react-router';
import { api, forPurpose } from '../api/client.ts';
import { dataOf, fieldReasons, problemIn } from '../api/problem.ts';
import type { Contact, CustomFieldDefinition, User, Withheld } from '../api/types.ts';
import { useContactRecord } from '../contact/useContactRecord.ts';
import { contactName } from '../contacts/contactName.ts';
import { usePurpose, useSession } from '../session/sessionContext.ts';
import { usePermission } from '../session/usePermission.ts';
import { Loading } from '../ui/Loading.tsx';
import { ProblemNotice } from '../ui/ProblemNotice.tsx';
import { ConflictPanel } from './ConflictPanel.tsx';
import { ContactFormFields } from './ContactFormFields.tsx';
import { type ContactFormValues, changedFields, type FormField, changeOf, formValuesOf, rebase, visibleFields } from './contactFormValues.ts';
import { forgetContactReads, updateContact } from './contactWrites.ts';
import { customFieldName, offeredCustomFields } from './customFieldValues.ts';
import { NotOfferedNote } from './NotOfferedNote.tsx';
import { useContactCustomFields, useOwnerChoices } from './useWritableFields.ts';
import '../styles/contactEditing.css';

/** The version the user edits: its number (for If-Match) and its values. */
type Base = { version: number; values: ContactFormValues };
/** A save: the version it was made on, the form's values and the fields the user changed. */
type SaveAttempt = { from: Base; edited: ContactFormValues; edits: FormField[] };
/** A save refused with 412, and the version saved meanwhile. */
type Conflict = { attempt: SaveAttempt; saved: Base };

type ContactEditFormProps = { contact: Contact; withheld: Withheld; definitions: CustomFieldDefinition[]; users: User[] | null };

function ContactEditForm({ contact, withheld, definitions, users }: ContactEditFormProps) {
  const purpose = usePurpose();
  const meId = useSession().me?.user?.id ?? null;
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const contactPath = `/contacts/${contact.id}`;
  const fields = visibleFields(withheld);
  const customFields = offeredCustomFields(definitions, withheld, true);
  const shownFields = new Set<string>([...fields, 'lifecycleStage', 'ownerId', 'companyId', ...customFields.map((field) => customFieldName(field.key))]);
  const [base, setBase] = useState<Base>({ version: contact.version, values: formValuesOf(contact) });
  const [values, setValues] = useState(base.values);
  const [conflict, setConflict] = useState<Conflict | null>(null);

  const save = useMutation({
    mutationFn: async ({ from, edited, edits }: SaveAttempt) => {
      if (edits.length > 0) await updateContact(purpose, contact.id, from.version, changeOf(edited, edits, definitions));
    },
    onSuccess: async () => {
      await forgetContactReads(queryClient);
      navigate(contactPath);
    },
    onError: async (error, attempt) => {
      if (problemIn(error)?.status !== 412) return;
      // Someone saved another version: read it, show what changed beside the user's edits,
      // and let the form hold that version with the user's edits on top.
      const current = dataOf(await api.GET('/api/v1/contacts/{id}', { params: { path: { id: contact.id } }, headers: forPurpose(purpose) })).data;
      const saved = { version: current.version, values: formValuesOf(current) };
      setConflict({ attempt, saved });
      setBase(saved);
      setValues(rebase(attempt.from.values, attempt.edited, saved.values));
      // The contact's page shows the version saved now, whatever the user decides here.
      await forgetContactReads(queryClient);
    },
  });
  const refused = save.error !== null && problemIn(save.error)?.status !== 412 ? save.error : null;
  const validationErrors = useMemo(() => fieldReasons(refused), [refused]);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    save.mutate({ from: base, edited: values, edits: changedFields(base.values, values) });
  };
  const saveOnSaved = () => {
    if (!conflict) return;
    // Only the user's edits are sent: what the other person changed stays as they saved it.
    const edits = [...new Set([...conflict.attempt.edits, ...changedFields(conflict.saved.values, values)])];
    setConflict(null);
    save.mutate({ from: conflict.saved, edited: values, edits });
  };
  const discard = () => {
    if (!conflict) return;
    setValues(conflict.saved.values);
    setConflict(null);
    save.reset();
  };

  return (
    <Form className="panel stack" aria-label="Edit the contact" onSubmit={onSubmit} validationErrors={validationErrors}>
      {conflict && (
        <ConflictPanel
          before={conflict.attempt.from.values}
          edited={conflict.attempt.edited}
          edits={conflict.attempt.edits}
          saved={conflict.saved.values}
          naming={{ purpose, definitions, meId, users }}
          pending={save.isPending}
          onRetry={saveOnSaved}
          onDiscard={discard}
        />
      )}
      <NotOfferedNote withheld={withheld} purpose={purpose} definitions={definitions} />
      <ContactFormFields
        purpose={purpose}
        fields={fields}
        customFields={customFields}
        owners={{ meId, users, currentOwnerId: contact.ownerId ?? '' }}
        values={values}
        onChange={setValues}
      />
      {refused !== null && (
        <ProblemNotice
          error={refused}
          title="The changes were not saved"
          fieldsShown={Object.keys(validationErrors).every((field) => shownFields.has(field))}
        />
      )}
      <div className="form-actions">
        <Button type="submit" className="button button-primary" isPending={save.isPending} isDisabled={conflict !== null}>
          {save.isPending ? 'Saving…' : 'Save'}
        </Button>
        <Link className="button" to={contactPath}>
          Cancel
        </Link>
      </div>
    </Form>
  );
}

/** A contact's fields to change, saved with If-Match on the version the user opened. */
export function ContactEditPage() {
  const { id = '' } = useParams();
  const purpose = usePurpose();
  const record = useContactRecord(purpose, id);
  const definitions = useContactCustomFields(purpose);
  const users = useOwnerChoices(usePermission('user:read'));
  if (record.isPending || definitions.isPending || users.isPending) return <Loading what="the contact" />;
  const failed = definitions.error ?? users.error;
  const name = record.isSuccess ? (contactName(record.data.data) ?? 'Unnamed contact') : 'Contact';
  return (
    <section className="page form-page" aria-labelledby="edit-contact-heading">
      <p className="breadcrumb">
        <Link to={`/contacts/${id}`}>← {name}</Link>
      </p>
      <h1 id="edit-contact-heading">Edit {name}</h1>
      {record.isError ? (
        <ProblemNotice error={record.error} title="The contact could not be loaded" />
      ) : failed !== null ? (
        <ProblemNotice error={failed} title="The form could not be prepared" />
      ) : (
        <ContactEditForm
          key={record.data.data.id}
          contact={record.data.data}
          withheld={record.data.withheld}
          definitions={definitions.data ?? []}
          users={users.data ?? null}
        />
      )}
    </section>
  );
}
