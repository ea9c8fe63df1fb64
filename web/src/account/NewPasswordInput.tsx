import { TextInput } from '../ui/TextInput.tsx';

/** A password being chosen, with the rule Candor holds it to (the server's reason, when it refuses it, comes from the form). */
export function NewPasswordInput({ label }: { label: string }) {
  return (
    <TextInput name="password" label={label} type="password" isRequired minLength={12} autoComplete="new-password" description="At least 12 characters." />
  );
}
