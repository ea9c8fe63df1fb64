// What the import's fields are called on screen: the API names them in camelCase (jobTitle).

const special: Record<string, string> = { email: 'E-mail', ownerEmail: 'Owner e-mail', externalId: 'External id' };

export function importFieldLabel(field: string): string {
  const words = field.replace(/([A-Z])/g, ' $1').toLowerCase();
  return special[field] ?? words.charAt(0).toUpperCase() + words.slice(1);
}

export const presetLabels: Record<string, string> = { hubspot: 'HubSpot', salesforce: 'Salesforce', candor: 'Candor' };

/** A field as an import's issue names it (first_name, or the file, header or row as a whole). */
export const issueFieldLabel = (field: string): string => importFieldLabel(field.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase()));
