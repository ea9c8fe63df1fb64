/** Which fields the current purpose may not see and why, said once above a list whose cells only say "Withheld". */
export function WithheldSummary({ withheld, label }: { withheld: Map<string, string>; label: (field: string) => string }) {
  if (withheld.size === 0) return null;
  return (
    <p className="withheld-summary">
      <strong>Withheld for this purpose:</strong> {[...withheld].map(([field, reason]) => `${label(field)} (${reason})`).join('; ')}.
    </p>
  );
}
