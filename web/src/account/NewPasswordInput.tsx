import { fieldReason } from '../api/problem.ts';
import { TextInput } from '../ui/TextInput.tsx';

/** A password being chosen, with the rule Candor holds it to and the server's reason when it refuses it. */
export function NewPasswordInput({ label, error }: { label: string; error: unknown }) {
  return (
    <TextInput
      name="password"
      label={label}
      type="password"
      isRequired
      minLength={12}
      autoComplete="new-password"
      description="At least 12 characters."
      serverError={fieldReason(error, 'password')}
    />
  );
}
