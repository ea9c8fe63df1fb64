import type { FieldDeclaration } from './fieldDeclaration.ts';

/*
 * The declarations of the built-in personal fields every workspace starts with. Purposes
 * are the keys of src/privacy/defaultPurposes.ts: each field lists only the purposes that
 * need it (data minimisation): web analytics sees no names, marketing no phone numbers.
 */

const relationship = ['sales', 'support', 'order_fulfilment'];
const emailMarketing = ['email_marketing', 'email_marketing_existing_customers'];

const contactField = (field: string, dataCategory: string, purposes: string[], index: { lookup?: boolean; search?: boolean } = {}): FieldDeclaration => ({
  object: 'contact',
  field,
  dataCategory,
  subject: 'contact',
  sensitivity: 'ordinary',
  purposes,
  encrypted: true,
  lookup: index.lookup ?? false,
  search: index.search ?? false,
});

export const defaultCatalogDeclarations: readonly FieldDeclaration[] = [
  contactField('first_name', 'user.name.first', [...relationship, ...emailMarketing, 'legal_compliance'], { search: true }),
  contactField('last_name', 'user.name.last', [...relationship, ...emailMarketing, 'legal_compliance'], { search: true }),
  contactField('email', 'user.contact.email', [...relationship, ...emailMarketing, 'legal_compliance'], { lookup: true }),
  contactField('phone', 'user.contact.phone_number', relationship, { lookup: true }),
  contactField('job_title', 'user.job_title', ['sales', 'support']),
  contactField('city', 'user.contact.address.city', ['sales', 'order_fulfilment', 'legal_compliance']),
  contactField('country', 'user.contact.address.country', ['sales', 'order_fulfilment', 'legal_compliance', ...emailMarketing, 'web_analytics']),
  // The contact's id in the system it was imported from (HubSpot, Salesforce): re-imports match on it.
  contactField('external_id', 'user.unique_id', relationship),
  {
    object: 'visitor',
    field: 'anonymous_id',
    dataCategory: 'user.unique_id.pseudonymous',
    subject: 'visitor',
    sensitivity: 'ordinary',
    purposes: ['web_analytics'],
    encrypted: true,
    // Tracking calls find the visitor by its anonymous id.
    lookup: true,
    search: false,
  },
  {
    object: 'event',
    field: 'properties',
    dataCategory: 'user.behavior.browsing_history',
    // Until a visitor is merged into a contact, its events are the visitor's.
    subject: 'visitor',
    sensitivity: 'ordinary',
    purposes: ['web_analytics'],
    encrypted: true,
    lookup: false,
    search: false,
  },
  ...(['subject', 'body'] as const).map(
    (field): FieldDeclaration => ({
      object: 'activity',
      field,
      dataCategory: 'user.content.private',
      subject: 'record',
      sensitivity: 'ordinary',
      purposes: relationship,
      encrypted: true,
      lookup: false,
      search: false,
    }),
  ),
];
