import { FieldError, Input, Label, Text, TextField, type TextFieldProps } from 'react-aria-components';

type TextInputProps = Omit<TextFieldProps, 'children'> & {
  label: string;
  description?: string;
  /** An error the server gave for this field (problem+json `errors`), shown under it. */
  serverError?: string;
};

/** A labelled text field with its description and its error (the browser's check, or the server's). */
export function TextInput({ label, description, serverError, ...props }: TextInputProps) {
  return (
    <TextField className="field" {...props} isInvalid={serverError ? true : props.isInvalid} validationBehavior="native">
      <Label>{label}</Label>
      <Input />
      {description && <Text slot="description">{description}</Text>}
      <FieldError>{serverError}</FieldError>
    </TextField>
  );
}
