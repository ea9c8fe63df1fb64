import { type FormEvent, useState } from 'react';

/**
 * A form's submit handler for an API call: the browser does not submit the form itself; the
 * call runs with the form's fields, and its pending state and error (an ApiProblem, whose
 * field reasons go next to the fields) are kept for the form to show.
 */
export function useFormSubmit(action: (fields: FormData) => Promise<void>) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const fields = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    action(fields)
      .catch((failure: unknown) => setError(failure))
      .finally(() => setPending(false));
  };
  return { pending, error, onSubmit };
}

/** A form field's value as text (FormData holds text for every input the app's forms have). */
export const textOf = (fields: FormData, name: string): string => String(fields.get(name) ?? '');
