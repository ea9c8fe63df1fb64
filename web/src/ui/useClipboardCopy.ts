import { useState } from 'react';

/**
 * Copying a text to the clipboard from a button: `copy(text)` tries, and `status` says what
 * happened (for a role="status" line beside the button), including the browser refusing.
 */
export function useClipboardCopy(): { copy(text: string): void; status: string } {
  const [copied, setCopied] = useState<boolean | null>(null);
  const copy = (text: string) => {
    navigator.clipboard.writeText(text).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  const status = copied === true ? 'Copied to the clipboard.' : copied === false ? 'The browser did not allow copying: select the text and copy it.' : '';
  return { copy, status };
}
