import { type FormEvent, useMemo, useState } from 'react';
import { fieldReasons } from '../api/problem.ts';

/**
 * A form's submit handler for an API call: the browser does not submit the form itself; the
 * call runs with the form's fields, and its pending state and error are kept for the form to
 * show; an ApiProblem's field reasons are the form's validationErrors, shown next to the fields.
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
  // One object per error: the form keeps showing a field's reason until that field is edited.
  const validationErrors = useMemo(() => fieldReasons(error), [error]);
  return { pending, error, onSubmit, validationErrors };
}

/** A form field's value as text (FormData holds text for every input the app's forms have). */
export const textOf = (fields: FormData, name: string): string => String(fields.get(name) ?? '');
