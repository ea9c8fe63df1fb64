import { z } from 'zod';
import { apiWithheld, contactView, type ContactView } from '../../crm/contacts/contactFields.ts';
import { findDuplicates, mergeContacts } from '../../crm/contacts/contactMerge.ts';
import { nameSortBound, searchContacts } from '../../crm/contacts/contactSearch.ts';
import { createContactRecord, listContacts, lockContactForErasure, requireContact, updateContact } from '../../crm/contacts/contactService.ts';
import { runIdempotent } from '../../platform/idempotency.ts';
import { auditedTransaction, requirePurpose } from '../../kernel/index.ts';
import { runContactBatch } from '../../crm/contacts/contactBatch.ts';
import { batchBodyLimit, batchResponseSchema, runBatchRoute } from './batchRouteSupport.ts';
import {
  contactBatch,
  contactCreate,
  contactListQuery,
  contactListResponse,
  contactPatch,
  contactResponse,
  contactSearch,
  duplicateQuery,
  duplicateSchema,
} from './contactSchemas.ts';
import { optionalIfMatchVersion, requiredIfMatchVersion, setEtag } from '../etag.ts';
import { uuid } from '../openapi/components.ts';
import { accessContext } from '../principal.ts';
import { createdStatus, idempotencyRequestOf, idParams, countCapFor, listEnvelope, singleEnvelope } from './recordRouteSupport.ts';
import { eraseSubject } from '../../privacy/erasure/subjectErasure.ts';
import { explainView } from './leftOutSupport.ts';
import { routePlugin } from './routePlugin.ts';

const view = (record: Parameters<typeof contactView>[0]): ContactView => contactView(record);

export const contactRoutes = routePlugin(async (app, deps) => {
  const { database } = deps;

  app.get(
    '/contacts',
    {
      schema: {
        operationId: 'listContacts',
        tags: ['contacts'],
        summary: 'List contacts (filters on non-personal attributes; search by e-mail, phone or name with POST /contacts/search)',
        querystring: contactListQuery,
        response: { 200: contactListResponse },
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
      config: { idempotencyKey: true, etag: true, problems: ['duplicate'] },
      schema: {
        operationId: 'createContact',
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
      config: { idempotencyKey: true, problems: ['duplicate', 'conflict', 'not_found', 'precondition_failed'] },
      schema: {
        operationId: 'batchContacts',
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
      config: { problems: ['result_too_large'] },
      schema: {
        operationId: 'searchContacts',
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
    {
      config: { etag: true },
      schema: { operationId: 'getContact', tags: ['contacts'], summary: 'Get a contact', params: idParams, response: { 200: singleEnvelope(contactResponse) } },
    },
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
      config: { ifMatch: 'required', etag: true, problems: ['duplicate'] },
      schema: {
        operationId: 'updateContact',
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
      config: { ifMatch: 'optional' },
      schema: {
        operationId: 'deleteContact',
        tags: ['contacts'],
        summary:
          'Erase a contact for good: its events and the activities only about them go, its e-mail address is suppressed until fresh consent (audited; If-Match optional)',
        params: idParams,
        response: { 204: z.null().describe('Deleted') },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'contact:delete');
      const expectedVersion = optionalIfMatchVersion(request);
      // Every erasure takes the one path (src/privacy/erasure/subjectErasure.ts): the address is suppressed, linked
      // activities erased or flagged, the id scrubbed from deliveries, idempotency records and jobs.
      await auditedTransaction(database.db, async (tx) => {
        await lockContactForErasure(tx, ctx, request.params.id, expectedVersion);
        await eraseSubject(tx, ctx.tenantId, request.params.id, { reason: 'staff_deletion', actor: ctx });
      });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/contacts/:id/duplicates',
    {
      schema: {
        operationId: 'listContactDuplicates',
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
      config: { idempotencyKey: true, etag: true, problems: ['conflict'] },
      schema: {
        operationId: 'mergeContact',
        tags: ['contacts'],
        summary:
          'Merge a duplicate into this contact: missing values filled, deals, activities, purchases, events and visitors moved, duplicate deleted (honours Idempotency-Key); 409 naming duplicateId when it is under a legal hold',
        params: idParams,
        body: z.strictObject({ duplicateId: uuid.describe('The contact to merge into this one; it is deleted') }),
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
