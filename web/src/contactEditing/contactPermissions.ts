/*
 * The roles whose grants include contact:delete (docs/roles.md), which deleting and merging
 * (the duplicate is deleted) need. The app only hides what the API would refuse: the API
 * decides, and a refusal still shows its reason.
 */
const rolesThatDeleteContacts = new Set(['admin', 'privacy_officer']);

export const mayDeleteContacts = (role: string | undefined): boolean => role !== undefined && rolesThatDeleteContacts.has(role);

/** The roles granted user:read (docs/roles.md): only they may list the workspace's users to choose an owner from. */
const rolesThatListUsers = new Set(['admin', 'privacy_officer']);

export const mayListUsers = (role: string | undefined): boolean => role !== undefined && rolesThatListUsers.has(role);
