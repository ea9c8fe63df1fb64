import { z } from 'zod';
import { apiWithheld, contactSources, contactView, lifecycleStages, type ContactView } from '../../crm/contacts/contactFields.ts';
import { findDuplicates, mergeContacts } from '../../crm/contacts/contactMerge.ts';
import { nameSortBound, searchContacts } from '../../crm/contacts/contactSearch.ts';
import { createContactRecord, deleteContact, listContacts, requireContact, updateContact } from '../../crm/contacts/contactService.ts';
import { runIdempotent } from '../../platform/idempotency.ts';
import { auditedTransaction, requirePurpose } from '../../kernel/index.ts';
import { runContactBatch } from '../../crm/contacts/contactBatch.ts';
import { batchBodyLimit, batchItemsSchema, batchModeSchema, batchResponseSchema, runBatchRoute } from './batchRouteSupport.ts';
import { requiredIfMatchVersion, setEtag } from '../etag.ts';
import { accessContext } from '../principal.ts';
import {
  createdStatus,
  idempotencyRequestOf,
  idParams,
  instant,
  countCapFor,
  countQuery,
  countedListEnvelope,
  listEnvelope,
  optionalIfMatchVersion,
  pageQuery,
  singleEnvelope,
} from './recordRouteSupport.ts';
import { explainQuery, explainSchema, explainView } from './leftOutSupport.ts';
import { routePlugin } from './routePlugin.ts';

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
const contactResponse = z.object({
  id: z.uuid(),
  firstName: personalOut('First name'),
  lastName: personalOut('Last name'),
  email: personalOut('E-mail address'),
  phone: personalOut('Phone number'),
  jobTitle: personalOut('Job title'),
  city: personalOut('City'),
  country: personalOut('Country'),
  externalId: personalOut('External id'),
  customFields: z.record(z.string(), z.unknown()).describe('Values of contact custom fields (personal; may be withheld)'),
  ownerId: z.uuid().nullable(),
  companyId: z.uuid().nullable(),
  lifecycleStage: z.string(),
  source: z.string().describe('How Candor got the data: form, import, api or staff'),
  importBatchId: z.uuid().nullable(),
  lastActivityAt: instant.nullable(),
  createdAt: instant,
  updatedAt: instant,
  version: z.number().int(),
});

const contactChange = {
  ...personalFields,
  ownerId: z.uuid().nullable().optional().describe("A user of the workspace; defaults to the acting user (or the API key's creator)"),
  companyId: z.uuid().nullable().optional(),
  lifecycleStage: z.enum(lifecycleStages).optional(),
  customFields: z.record(z.string(), z.unknown()).optional().describe('Values by custom field key; on update keys merge and null removes one'),
};
const contactCreate = z.strictObject({ ...contactChange, source: z.enum(contactSources).optional().describe('How Candor got the data; default api') });
const contactPatch = z.strictObject(contactChange);
const duplicateQuery = z.object({ allowDuplicate: z.enum(['true', 'false']).optional().describe('Store even when another contact has the e-mail address') });
const contactListQuery = z.object({
  ownerId: z.uuid().optional(),
  companyId: z.uuid().optional(),
  lifecycleStage: z.enum(lifecycleStages).optional(),
  source: z.enum(contactSources).optional(),
  ...pageQuery(['createdAt', 'updatedAt', 'lastActivityAt'], 'createdAt'),
  ...countQuery,
  ...explainQuery,
});
const contactSearch = z.strictObject({
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
const contactBatch = z.strictObject({
  mode: batchModeSchema,
  matchOn: z.enum(['email', 'externalId']).optional().describe('What an upsert finds its contact by; default email'),
  allowDuplicate: z.boolean().optional().describe('Create even when another contact has the e-mail address'),
  items: batchItemsSchema(contactCreate, contactPatch),
});
const duplicateSchema = contactResponse.extend({ matchedOn: z.array(z.enum(['email', 'phone'])) });

const view = (record: Parameters<typeof contactView>[0]): ContactView => contactView(record);

export const contactRoutes = routePlugin(async (app, deps) => {
  const { database } = deps;

  app.get(
    '/contacts',
    {
      schema: {
        tags: ['contacts'],
        summary: 'List contacts (filters on non-personal attributes; search by e-mail, phone or name with POST /contacts/search)',
        querystring: contactListQuery,
        response: { 200: countedListEnvelope(contactResponse).extend({ explain: explainSchema.optional() }) },
      },
    },
    async (request) => {
      const ctx = requirePurpose(accessContext(request, 'contact:read'));
      const { count, explain, ...query } = request.query;
      const countCap = countCapFor(count, deps.config.countCap);
      const page = await listContacts(database.db, ctx, { ...query, countCap, leftOutCap: countCapFor(explain, deps.config.countCap) });
      const explained = page.leftOut ? { explain: explainView(page.leftOut, ctx.purpose) } : {};
      return { data: page.rows.map(view), withheld: apiWithheld(page.withheld), nextCursor: page.nextCursor, ...page.count, ...explained };
    },
  );

  app.post(
    '/contacts',
    {
      schema: {
        tags: ['contacts'],
        summary: 'Create a contact (honours Idempotency-Key; 409 duplicate when the e-mail address is taken unless allowDuplicate=true)',
        querystring: duplicateQuery,
        body: contactCreate,
        response: { 200: singleEnvelope(contactResponse), 201: singleEnvelope(contactResponse) },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'contact:write');
      const allowDuplicate = request.query.allowDuplicate === 'true';
      const outcome = await runIdempotent(database, idempotencyRequestOf(request, ctx), async (tx) => {
        const created = await createContactRecord(tx, ctx, request.body, { allowDuplicate });
        return { statusCode: 201, recordId: created.record.id, created };
      });
      // A replay stored only the id: it reads the contact as it is now.
      const contact = outcome.replayed ? await requireContact(database.db, ctx, outcome.recordId ?? '') : outcome.created;
      setEtag(reply, contact.record.version);
      return reply.code(createdStatus(outcome)).send({ data: view(contact.record), withheld: apiWithheld(contact.withheld) });
    },
  );

  app.post(
    '/contacts/batch',
    {
      bodyLimit: batchBodyLimit,
      schema: {
        tags: ['contacts'],
        summary: 'Create, update or upsert up to 1,000 contacts (honours Idempotency-Key)',
        description:
          'Each item passes the same checks as POST and PATCH /contacts (fields declared for the purpose, duplicate e-mail, subject rules) and is sent to webhooks on its own; the contacts a batch creates share one audit entry naming each of them, an update has its own. ' +
          'An upsert finds its contact by e-mail or external id (matchOn) and updates it, or creates one. mode atomic: one transaction, the first refused item refuses the request naming items.<index>.<field>, nothing written; ' +
          'mode perItem: each item answers its own status or problem. A field the purpose may not write refuses the whole request (403) in both modes.',
        body: contactBatch,
        response: { 200: batchResponseSchema },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'contact:write');
      return runBatchRoute(database, request, ctx, (tx) => runContactBatch(tx, ctx, request.body));
    },
  );

  app.post(
    '/contacts/search',
    {
      schema: {
        tags: ['contacts'],
        summary: `Search contacts by exact e-mail or phone and by name prefix (criteria combine); sort by name only on at most ${nameSortBound} matches`,
        description: `Personal values are searched with a JSON body, never in URLs. Results come in order of entry into Candor, or by name with sort=name, which is refused with 422 result_too_large when more than ${nameSortBound} contacts match.`,
        body: contactSearch,
        response: { 200: listEnvelope(contactResponse) },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'contact:read');
      const page = await database.db.transaction((tx) => searchContacts(tx, ctx, request.body));
      return { data: page.rows.map(view), withheld: apiWithheld(page.withheld), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/contacts/:id',
    { schema: { tags: ['contacts'], summary: 'Get a contact', params: idParams, response: { 200: singleEnvelope(contactResponse) } } },
    async (request, reply) => {
      const ctx = accessContext(request, 'contact:read');
      const contact = await requireContact(database.db, ctx, request.params.id);
      setEtag(reply, contact.record.version);
      return { data: view(contact.record), withheld: apiWithheld(contact.withheld) };
    },
  );

  app.patch(
    '/contacts/:id',
    {
      schema: {
        tags: ['contacts'],
        summary: 'Change a contact (If-Match required; null removes a value)',
        description: `An erased contact is 404. A restricted contact takes no change, personal or not: 403 forbidden with errors [{ field: "id", reason: "restricted" }] (a correction goes through a rights request); a contact who objected to the request's purpose: 403 with reason objected, and other purposes are not affected.`,
        params: idParams,
        querystring: duplicateQuery,
        body: contactPatch,
        response: { 200: singleEnvelope(contactResponse) },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'contact:write');
      const expectedVersion = requiredIfMatchVersion(request);
      const allowDuplicate = request.query.allowDuplicate === 'true';
      const contact = await auditedTransaction(database.db, (tx) =>
        updateContact(tx, ctx, request.params.id, expectedVersion, request.body, { allowDuplicate }),
      );
      setEtag(reply, contact.record.version);
      return { data: view(contact.record), withheld: apiWithheld(contact.withheld) };
    },
  );

  app.delete(
    '/contacts/:id',
    {
      schema: {
        tags: ['contacts'],
        summary: 'Delete a contact for good, with its events (audited; If-Match optional)',
        params: idParams,
        response: { 204: z.null().describe('Deleted') },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'contact:delete');
      const expectedVersion = optionalIfMatchVersion(request);
      await auditedTransaction(database.db, (tx) => deleteContact(tx, ctx, request.params.id, expectedVersion));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/contacts/:id/duplicates',
    {
      schema: {
        tags: ['contacts'],
        summary: "Other contacts sharing this contact's normalised e-mail address or phone number",
        params: idParams,
        response: { 200: listEnvelope(duplicateSchema) },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'contact:read');
      const duplicates = await database.db.transaction((tx) => findDuplicates(tx, ctx, request.params.id));
      return {
        data: duplicates.matches.map((match) => ({ ...view(match.record), matchedOn: match.matchedOn })),
        withheld: apiWithheld(duplicates.withheld),
        nextCursor: null,
      };
    },
  );

  app.post(
    '/contacts/:id/merge',
    {
      schema: {
        tags: ['contacts'],
        summary:
          'Merge a duplicate into this contact: missing values filled, deals, activities, purchases, events and visitors moved, duplicate deleted (honours Idempotency-Key)',
        params: idParams,
        body: z.strictObject({ duplicateId: z.uuid().describe('The contact to merge into this one; it is deleted') }),
        response: { 200: singleEnvelope(contactResponse) },
      },
    },
    async (request, reply) => {
      accessContext(request, 'contact:delete');
      const ctx = accessContext(request, 'contact:write');
      // The survivor is in the path, so the key is bound to the full URL, not the route pattern.
      const idempotency = idempotencyRequestOf(request, ctx);
      const outcome = await runIdempotent(database, idempotency && { ...idempotency, route: request.url }, async (tx) => ({
        statusCode: 200,
        recordId: await mergeContacts(tx, ctx, request.params.id, request.body.duplicateId),
      }));
      const contact = await requireContact(database.db, ctx, outcome.recordId ?? '');
      setEtag(reply, contact.record.version);
      return { data: view(contact.record), withheld: apiWithheld(contact.withheld) };
    },
  );
});
