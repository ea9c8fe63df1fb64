import { humanise } from '../ui/format.ts';

// What the contact's fields are called on screen; custom fields by their key.
const labels: Record<string, string> = {
  firstName: 'First name',
  lastName: 'Last name',
  email: 'E-mail',
  phone: 'Phone',
  jobTitle: 'Job title',
  city: 'City',
  country: 'Country',
  externalId: 'External id',
};

export const contactFieldLabel = (field: string): string => labels[field] ?? humanise(field.replace(/^customFields\./, ''));
