import { z } from 'zod';
import { contactSources, lifecycleStages } from '../../crm/contacts/contactFields.ts';
import { nameSortBound } from '../../crm/contacts/contactSearch.ts';
import { nameComponent, uuid } from '../openapi/components.ts';
import { batchItemsSchema, batchModeSchema } from './batchRouteSupport.ts';
import { explainQuery, explainSchema } from './leftOutSupport.ts';
import { countQuery, countedListEnvelope, instant, pageQuery } from './recordRouteSupport.ts';

// The request and response schemas of the contact routes (contacts.ts).

const personalText = (max: number, description: string) => z.string().max(max).nullable().optional().describe(`${description} (personal; may be withheld)`);
const personalFields = {
  firstName: personalText(200, 'First name'),
  lastName: personalText(200, 'Last name'),
  email: personalText(254, 'E-mail address; stored lower-cased'),
  phone: personalText(50, 'Phone number; "+" and country code for international numbers'),
  jobTitle: personalText(200, 'Job title'),
  city: personalText(200, 'City'),
  country: personalText(100, 'Country'),
  externalId: personalText(200, 'The id the contact has in the system it came from (a CRM); found exactly by its blind index'),
};

const personalOut = (description: string) => z.string().optional().describe(`${description} (personal; absent when empty or withheld)`);
export const contactResponse = z.object({
  id: uuid,
  firstName: personalOut('First name'),
  lastName: personalOut('Last name'),
  email: personalOut('E-mail address'),
  phone: personalOut('Phone number'),
  jobTitle: personalOut('Job title'),
  city: personalOut('City'),
  country: personalOut('Country'),
  externalId: personalOut('External id'),
  customFields: z.record(z.string(), z.unknown()).describe('Values of contact custom fields (personal; may be withheld)'),
  ownerId: uuid.nullable(),
  companyId: uuid.nullable(),
  lifecycleStage: z.string(),
  source: z.string().describe('How Candor got the data: form, import, api or staff'),
  importBatchId: uuid.nullable(),
  lastActivityAt: instant.nullable(),
  createdAt: instant,
  updatedAt: instant,
  version: z.number().int(),
});
nameComponent(contactResponse, 'Contact', 'A person: personal fields are absent when empty or withheld for the purpose (see withheld)');

const contactChange = {
  ...personalFields,
  ownerId: uuid.nullable().optional().describe("A user of the workspace; defaults to the acting user (or the API key's creator)"),
  companyId: uuid.nullable().optional(),
  lifecycleStage: z.enum(lifecycleStages).optional(),
  customFields: z.record(z.string(), z.unknown()).optional().describe('Values by custom field key; on update keys merge and null removes one'),
};
export const contactCreate = z.strictObject({ ...contactChange, source: z.enum(contactSources).optional().describe('How Candor got the data; default api') });
export const contactPatch = z.strictObject(contactChange);
nameComponent(contactCreate, 'ContactCreate');
nameComponent(contactPatch, 'ContactChange');
export const duplicateQuery = z.object({
  allowDuplicate: z.enum(['true', 'false']).optional().describe('Store even when another contact has the e-mail address'),
});
export const contactListQuery = z.object({
  ownerId: uuid.optional(),
  companyId: uuid.optional(),
  lifecycleStage: z.enum(lifecycleStages).optional(),
  source: z.enum(contactSources).optional(),
  ...pageQuery(['createdAt', 'updatedAt', 'lastActivityAt'], 'createdAt'),
  ...countQuery,
  ...explainQuery,
});
/** A page of contacts, counted on request (`count=true`) and explained on request (`explain=true`). */
export const contactListResponse = countedListEnvelope(contactResponse).extend({ explain: explainSchema.optional() }).meta({ id: 'ContactCountedPage' });
export const contactSearch = z.strictObject({
  email: z.string().max(254).optional().describe('Exact e-mail address (normalised)'),
  phone: z
    .string()
    .max(50)
    .optional()
    .describe("Exact phone number in any format; without a country code it is read in the workspace's default region (GET /api/v1/workspace)"),
  name: z
    .string()
    .max(100)
    .optional()
    .describe(
      'Name words as typed ("Mar", "Emily Hill", "O\'Brien"): every word the prefix (≥ 2 characters) of a first- or last-name word, in either order; case and accents ignored',
    ),
  sort: z.enum(['name']).optional().describe(`Sort by last then first name; allowed on at most ${nameSortBound} matches (422 result_too_large beyond)`),
  cursor: z.string().max(2000).optional(),
  limit: z.number().int().min(1).max(200).optional(),
});
export const contactBatch = z.strictObject({
  mode: batchModeSchema,
  matchOn: z.enum(['email', 'externalId']).optional().describe('What an upsert finds its contact by; default email'),
  allowDuplicate: z.boolean().optional().describe('Create even when another contact has the e-mail address'),
  items: batchItemsSchema(contactCreate, contactPatch),
});
export const duplicateSchema = contactResponse.extend({ matchedOn: z.array(z.enum(['email', 'phone'])) });
nameComponent(duplicateSchema, 'ContactDuplicate');
