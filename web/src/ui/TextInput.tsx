import { FieldError, Input, Label, Text, TextField, type TextFieldProps } from 'react-aria-components';

type TextInputProps = Omit<TextFieldProps, 'children'> & { label: string; description?: string };

/**
 * A labelled text field with its description and its error: the browser's check, or the
 * server's reason for this field (the form's validationErrors, named by the field's `name`).
 */
export function TextInput({ label, description, ...props }: TextInputProps) {
  return (
    <TextField className="field" validationBehavior="native" {...props}>
      <Label>{label}</Label>
      <Input />
      {description && <Text slot="description">{description}</Text>}
      <FieldError />
    </TextField>
  );
}
