import { Button } from 'react-aria-components';

type EditorActionsProps = { saveLabel: string; pending: boolean; canSave?: boolean; onCancel(): void };

/** The end of a console editor: save (the form's submit) and cancel. */
export function EditorActions({ saveLabel, pending, canSave = true, onCancel }: EditorActionsProps) {
  return (
    <div className="form-actions">
      <Button type="submit" className="button button-primary" isPending={pending} isDisabled={!canSave}>
        {saveLabel}
      </Button>
      <Button className="button" onPress={onCancel}>
        Cancel
      </Button>
    </div>
  );
}

/** A row's button that opens its editor; its name says which row, and starts with what it shows (WCAG 2.5.3). */
export function RowEditButton({ label, rowName, onPress }: { label: string; rowName: string; onPress(): void }) {
  return (
    <Button className="button button-small" aria-label={`${label} ${rowName}`} onPress={onPress}>
      {label}
    </Button>
  );
}
