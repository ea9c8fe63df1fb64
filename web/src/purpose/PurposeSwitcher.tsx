import { Button, Label, ListBox, ListBoxItem, Popover, Select, SelectValue, Text } from 'react-aria-components';
import { useSession } from '../session/sessionContext.ts';
import { legalBasisLabel, purposeLabel } from './purposeLabels.ts';
import { usePurposes } from './usePurposes.ts';

/**
 * The purpose lens, always in the header: why the user is processing people's data right now.
 * It offers only the purposes the user's role is granted; every request carries the choice in
 * Candor-Purpose, and every page's data is read again under a new choice.
 */
export function PurposeSwitcher() {
  const { purposes, purpose, choosePurpose } = useSession();
  const details = usePurposes().data;
  const chosen = purpose ? details?.get(purpose) : undefined;
  return (
    <Select className="purpose-switcher" value={purpose} onChange={(key) => key !== null && choosePurpose(String(key))}>
      <Label className="purpose-label">Purpose</Label>
      <Button className="purpose-button">
        <SelectValue>{({ selectedText }) => selectedText}</SelectValue>
        <span aria-hidden="true" className="chevron">
          ▾
        </span>
      </Button>
      {chosen && (
        <Text slot="description" className="purpose-basis">
          {legalBasisLabel(chosen)}
        </Text>
      )}
      <Popover className="select-popover purpose-popover" placement="bottom end">
        <ListBox className="select-options">
          {purposes.map((key) => {
            const detail = details?.get(key);
            return (
              // No label/description slots: the option's name is all it shows (WCAG 2.5.3, label in name).
              <ListBoxItem key={key} id={key} textValue={purposeLabel(key)} className="select-option purpose-option">
                <span className="purpose-option-label">{purposeLabel(key)}</span>
                {detail && <span className="purpose-option-basis">{legalBasisLabel(detail)}</span>}
              </ListBoxItem>
            );
          })}
        </ListBox>
      </Popover>
    </Select>
  );
}
