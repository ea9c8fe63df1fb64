/** A small padlock, drawn here: the app loads no icon font or image from elsewhere. */
function LockIcon() {
  return (
    <svg className="withheld-icon" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" focusable="false">
      <path
        d="M4.5 7V5a3.5 3.5 0 0 1 7 0v2h.5a1 1 0 0 1 1 1v6a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1h.5Zm1.5 0h4V5a2 2 0 0 0-4 0v2Z"
        fill="currentColor"
      />
    </svg>
  );
}

/** A value the purpose may not see: never an empty cell, always the word and the reason. */
export function WithheldValue({ reason }: { reason: string }) {
  return (
    <span className="withheld">
      <LockIcon />
      Withheld: {reason}
    </span>
  );
}

/** The same in a table cell, where the reason repeats on every row: the word, with the reason for screen readers and on hover. */
export function WithheldBadge({ reason }: { reason: string }) {
  return (
    <span className="withheld" title={`Withheld: ${reason}`}>
      <LockIcon />
      Withheld<span className="visually-hidden">: {reason}</span>
    </span>
  );
}

/** A field that is simply empty (not withheld): a dash, read out as "none". */
export function EmptyValue() {
  return (
    <span className="empty-value">
      <span aria-hidden="true">—</span>
      <span className="visually-hidden">none</span>
    </span>
  );
}

/** A personal value as the API gave it: the value, withheld with its reason, or empty. */
export function PersonalValue({ value, withheld, compact = false }: { value: unknown; withheld?: string; compact?: boolean }) {
  if (withheld) return compact ? <WithheldBadge reason={withheld} /> : <WithheldValue reason={withheld} />;
  if (value === undefined || value === null || value === '') return <EmptyValue />;
  return <>{typeof value === 'object' ? JSON.stringify(value) : String(value)}</>;
}
