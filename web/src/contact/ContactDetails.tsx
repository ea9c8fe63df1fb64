import type { Contact, Me } from '../api/types.ts';
import { EmptyValue, PersonalValue } from '../privacy/PersonalValue.tsx';
import { contactFieldLabel } from '../contacts/contactFieldLabels.ts';
import { useContactCustomFields } from '../contactEditing/useWritableFields.ts';
import { usePurpose } from '../session/sessionContext.ts';
import { FieldRow } from '../ui/FieldRow.tsx';
import { formatDateTime, humanise } from '../ui/format.ts';

const personalFields = ['email', 'phone', 'jobTitle', 'city', 'country', 'externalId'] as const;

const when = (value: string | null) => (value ? <time dateTime={value}>{formatDateTime(value)}</time> : <EmptyValue />);

/** The contact's fields: personal ones as the purpose may see them (or withheld, with why), then the record's own. */
export function ContactDetails({ contact, withheld, me }: { contact: Contact; withheld: Map<string, string>; me: Me }) {
  // Custom fields go by their definition's label; by their key until the definitions are read (or if one was deleted since).
  const definitions = useContactCustomFields(usePurpose());
  const labels = new Map((definitions.data ?? []).map((definition) => [definition.key, definition.label]));
  const customLabel = (key: string) => labels.get(key) ?? contactFieldLabel(`customFields.${key}`);
  // Custom fields the purpose may see, then those it may not (named in withheld as customFields.<key>).
  const customKeys = new Set([
    ...Object.keys(contact.customFields),
    ...[...withheld.keys()].filter((field) => field.startsWith('customFields.')).map((field) => field.slice('customFields.'.length)),
  ]);
  return (
    <dl className="field-list ruled">
      {personalFields.map((field) => (
        <FieldRow key={field} label={contactFieldLabel(field)}>
          <PersonalValue value={contact[field]} withheld={withheld.get(field)} />
        </FieldRow>
      ))}
      {[...customKeys]
        .sort((a, b) => customLabel(a).localeCompare(customLabel(b)))
        .map((key) => (
          <FieldRow key={key} label={customLabel(key)}>
            <PersonalValue value={contact.customFields[key]} withheld={withheld.get(`customFields.${key}`) ?? withheld.get('customFields')} />
          </FieldRow>
        ))}
      <FieldRow label="Stage">{humanise(contact.lifecycleStage)}</FieldRow>
      <FieldRow label="Owner">{contact.ownerId === null ? <EmptyValue /> : contact.ownerId === me.user?.id ? 'You' : 'Another member of the team'}</FieldRow>
      <FieldRow label="Source">{humanise(contact.source)}</FieldRow>
      <FieldRow label="Last activity">{when(contact.lastActivityAt)}</FieldRow>
      <FieldRow label="Created">{when(contact.createdAt)}</FieldRow>
      <FieldRow label="Updated">{when(contact.updatedAt)}</FieldRow>
    </dl>
  );
}
