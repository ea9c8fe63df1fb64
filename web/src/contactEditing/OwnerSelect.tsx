import type { User } from '../api/types.ts';
import { ChoiceSelect } from '../ui/ChoiceSelect.tsx';
import { nobody, ownerChoices } from './ownerChoices.ts';

type OwnerSelectProps = {
  value: string;
  onChange(ownerId: string): void;
  meId: string | null;
  /** The active users, or null when the role may not list them. */
  users: readonly User[] | null;
  /** The owner the contact has now ("" for none or a new contact). */
  currentOwnerId: string;
};

/** Who owns the contact: one of the active users (or me, nobody, or the owner it has, for a role that may not list users). */
export function OwnerSelect({ value, onChange, meId, users, currentOwnerId }: OwnerSelectProps) {
  return (
    <ChoiceSelect
      className="field filter-select"
      name="ownerId"
      label="Owner"
      labelClassName="form-label"
      value={value === '' ? nobody : value}
      choices={ownerChoices(meId, users, currentOwnerId)}
      onChange={(key) => onChange(key === nobody ? '' : key)}
    />
  );
}
