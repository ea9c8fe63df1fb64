import { Button, Input } from 'react-aria-components';

/** A combo box's text field with the button that shows its list (inside a react-aria ComboBox; styles .combo-input in app.css). */
export function ComboInput({ showLabel }: { showLabel: string }) {
  return (
    <div className="combo-input">
      <Input />
      <Button className="combo-button" aria-label={showLabel}>
        <span aria-hidden="true">▾</span>
      </Button>
    </div>
  );
}
