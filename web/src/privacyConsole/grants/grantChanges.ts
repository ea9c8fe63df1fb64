/** Each role's granted purposes, as GET /role-grants lists them. */
export type RoleGrants = ReadonlyMap<string, ReadonlySet<string>>;

/** What applying a draft changes for one role: the purposes it gains and loses. */
export type GrantChange = { role: string; purposes: string[]; added: string[]; removed: string[] };

/**
 * The roles whose purposes differ between the saved grants and the draft, in the saved order,
 * each with its whole new list (what PUT /role-grants/{role} takes) and the difference (what
 * the confirmation shows).
 */
export function grantChanges(saved: RoleGrants, draft: RoleGrants): GrantChange[] {
  const changes: GrantChange[] = [];
  for (const [role, before] of saved) {
    const after = draft.get(role) ?? before;
    const added = [...after].filter((purpose) => !before.has(purpose));
    const removed = [...before].filter((purpose) => !after.has(purpose));
    if (added.length > 0 || removed.length > 0) changes.push({ role, purposes: [...after], added, removed });
  }
  return changes;
}

/** The draft with one role's grant of one purpose set or cleared. */
export function toggledGrant(draft: RoleGrants, role: string, purpose: string, granted: boolean): RoleGrants {
  const purposes = new Set(draft.get(role));
  if (granted) purposes.add(purpose);
  else purposes.delete(purpose);
  return new Map(draft).set(role, purposes);
}
