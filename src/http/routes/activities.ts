import { z } from 'zod';
import { activitySorts, defaultActivitySort, getActivity, listActivities, type Activity } from '../../crm/activities/activities.ts';
import { completeTask, createActivity, deleteActivity, updateActivity, type ActivityPatch } from '../../crm/activities/activityWrites.ts';
import { activityTypes } from '../../crm/activities/taskRules.ts';
import { optionalIfMatchVersion, requiredIfMatchVersion, setEtag } from '../etag.ts';
import { nameComponent, uuid } from '../openapi/components.ts';
import { auditedTransaction, requirePurpose } from '../../kernel/index.ts';
import { accessContext } from '../principal.ts';
import {
  createThenRead,
  dateOrNull,
  idempotencyRequestOf,
  idParams,
  instant,
  isoOrNull,
  countCapFor,
  countQuery,
  countedListEnvelope,
  pageQuery,
  singleEnvelope,
  subjectRulesNote,
  uuidList,
} from './recordRouteSupport.ts';
import { routePlugin } from './routePlugin.ts';

const linksSchema = z.object({
  contactIds: z.array(uuid).describe('The linked people the purpose may process; the others are left out and named in withheld (links.contactIds)'),
  companyIds: z.array(uuid),
  dealIds: z.array(uuid),
});
export const activitySchema = z.object({
  id: uuid,
  type: z.enum(activityTypes),
  subject: z
    .string()
    .optional()
    .describe('Free text (personal data of the linked people); absent when empty or withheld, e.g. when every linked person is restricted'),
  body: z.string().optional().describe('Free text (personal data); absent when empty or withheld'),
  occurredAt: instant,
  dueAt: instant.nullable(),
  completedAt: instant.nullable(),
  assigneeId: uuid.nullable(),
  ownerId: uuid.nullable(),
  reviewReason: z
    .enum(['linked_subject_erased'])
    .nullable()
    .describe(
      'Set when an erasure removed a link to an erased person and other links remain: check that the text says nothing more of them, then PATCH it to null',
    ),
  links: linksSchema,
  createdAt: instant,
  updatedAt: instant,
  version: z.number().int(),
});
nameComponent(activitySchema, 'Activity');

const linksInput = z
  .strictObject({ contactIds: uuidList(500).optional(), companyIds: uuidList(500).optional(), dealIds: uuidList(500).optional() })
  .describe('Records the activity is about; on update each list sent replaces that kind of link');
const activityFields = {
  subject: z.string().max(1000).nullable().optional(),
  body: z.string().max(100_000).nullable().optional(),
  occurredAt: instant.optional().describe('Defaults to now'),
  dueAt: instant.nullable().optional().describe('Tasks only'),
  assigneeId: uuid.nullable().optional().describe('Tasks only: a user of the workspace'),
  completedAt: instant.nullable().optional().describe('Tasks only'),
  ownerId: uuid.nullable().optional(),
  links: linksInput.optional(),
};
const activityPatch = z.strictObject({ ...activityFields, reviewReason: z.null().optional().describe('null: the review asked for is done') });
const activityCreate = z.strictObject({ type: z.enum(activityTypes), ...activityFields });
nameComponent(activityCreate, 'ActivityCreate');
nameComponent(activityPatch, 'ActivityChange');
const completeBody = z.strictObject({ completedAt: instant.optional().describe('Defaults to now') }).nullish();

export const activityListQuery = z.object({
  contactId: uuid.optional(),
  companyId: uuid.optional(),
  dealId: uuid.optional(),
  type: z.enum(activityTypes).optional(),
  assigneeId: uuid.optional(),
  status: z.enum(['open', 'completed']).optional().describe('Tasks only: open or completed'),
  dueBefore: instant.optional().describe('Open tasks due before this instant'),
  ...pageQuery(Object.keys(activitySorts), defaultActivitySort),
  ...countQuery,
});

type PatchBody = z.infer<typeof activityPatch>;
const toPatch = ({ occurredAt, dueAt, completedAt, ...rest }: PatchBody): ActivityPatch => ({
  ...rest,
  ...(occurredAt !== undefined ? { occurredAt: new Date(occurredAt) } : {}),
  ...(dueAt !== undefined ? { dueAt: dateOrNull(dueAt) } : {}),
  ...(completedAt !== undefined ? { completedAt: dateOrNull(completedAt) } : {}),
});

const activityView = (activity: Activity): z.infer<typeof activitySchema> => ({
  ...activity,
  reviewReason: activity.reviewReason === null ? null : 'linked_subject_erased',
  occurredAt: activity.occurredAt.toISOString(),
  dueAt: isoOrNull(activity.dueAt),
  completedAt: isoOrNull(activity.completedAt),
  createdAt: activity.createdAt.toISOString(),
  updatedAt: activity.updatedAt.toISOString(),
});

export const activityRoutes = routePlugin(async (app, deps) => {
  const { database } = deps;

  app.get(
    '/activities',
    {
      schema: {
        operationId: 'listActivities',
        tags: ['activities'],
        summary: 'List activities, filtered by linked contact, company or deal, type, assignee or open tasks',
        querystring: activityListQuery,
        response: { 200: countedListEnvelope(activitySchema) },
      },
    },
    async (request) => {
      const ctx = requirePurpose(accessContext(request, 'activity:read'));
      const { dueBefore, count, ...query } = request.query;
      const page = await listActivities(database.db, ctx, {
        ...query,
        dueBefore: dateOrNull(dueBefore) ?? undefined,
        countCap: countCapFor(count, deps.config.countCap),
      });
      return { data: page.data.map(activityView), withheld: page.withheld, nextCursor: page.nextCursor, ...page.count };
    },
  );

  app.post(
    '/activities',
    {
      config: { idempotencyKey: true, etag: true },
      schema: {
        operationId: 'createActivity',
        tags: ['activities'],
        summary: 'Log a note, call, e-mail or meeting, or create a task (honours Idempotency-Key)',
        description: subjectRulesNote,
        body: activityCreate,
        response: { 200: singleEnvelope(activitySchema), 201: singleEnvelope(activitySchema) },
      },
    },
    async (request, reply) => {
      const ctx = requirePurpose(accessContext(request, 'activity:write'));
      const { type, ...fields } = request.body;
      const created = await createThenRead(
        database,
        idempotencyRequestOf(request, ctx),
        (tx) => createActivity(tx, ctx, { type, ...toPatch(fields) }),
        (executor, id) => getActivity(executor, ctx, id),
      );
      const { data: activity, withheld } = created.read;
      setEtag(reply, activity.version);
      return reply.code(created.statusCode).send({ data: activityView(activity), withheld });
    },
  );

  app.get(
    '/activities/:id',
    {
      config: { etag: true },
      schema: {
        operationId: 'getActivity',
        tags: ['activities'],
        summary: 'Get an activity',
        params: idParams,
        response: { 200: singleEnvelope(activitySchema) },
      },
    },
    async (request, reply) => {
      const ctx = requirePurpose(accessContext(request, 'activity:read'));
      const { data: activity, withheld } = await getActivity(database.db, ctx, request.params.id);
      setEtag(reply, activity.version);
      return { data: activityView(activity), withheld };
    },
  );

  app.patch(
    '/activities/:id',
    {
      config: { ifMatch: 'required', etag: true },
      schema: {
        operationId: 'updateActivity',
        tags: ['activities'],
        summary: 'Change an activity (If-Match required)',
        description: `${subjectRulesNote} The text of an activity linked to such a person is refused too (field links.contactIds); linked people the purpose may not process are kept when links.contactIds is replaced.`,
        params: idParams,
        body: activityPatch,
        response: { 200: singleEnvelope(activitySchema) },
      },
    },
    async (request, reply) => {
      const ctx = requirePurpose(accessContext(request, 'activity:write'));
      const expectedVersion = requiredIfMatchVersion(request);
      await auditedTransaction(database.db, (tx) => updateActivity(tx, ctx, request.params.id, expectedVersion, toPatch(request.body)));
      const { data: activity, withheld } = await getActivity(database.db, ctx, request.params.id);
      setEtag(reply, activity.version);
      return { data: activityView(activity), withheld };
    },
  );

  app.post(
    '/activities/:id/complete',
    {
      config: { ifMatch: 'optional', etag: true },
      schema: {
        operationId: 'completeActivity',
        tags: ['activities'],
        summary: 'Mark a task completed (a completed task stays as it is; If-Match optional)',
        params: idParams,
        body: completeBody,
        response: { 200: singleEnvelope(activitySchema) },
      },
    },
    async (request, reply) => {
      const ctx = requirePurpose(accessContext(request, 'activity:write'));
      const expectedVersion = optionalIfMatchVersion(request);
      const completedAt = dateOrNull(request.body?.completedAt) ?? undefined;
      await auditedTransaction(database.db, (tx) => completeTask(tx, ctx, request.params.id, expectedVersion, completedAt));
      const { data: activity, withheld } = await getActivity(database.db, ctx, request.params.id);
      setEtag(reply, activity.version);
      return { data: activityView(activity), withheld };
    },
  );

  app.delete(
    '/activities/:id',
    {
      config: { ifMatch: 'optional' },
      schema: {
        operationId: 'deleteActivity',
        tags: ['activities'],
        summary: 'Delete an activity for good (audited)',
        params: idParams,
        response: { 204: z.null().describe('Deleted') },
      },
    },
    async (request, reply) => {
      const ctx = requirePurpose(accessContext(request, 'activity:delete'));
      const expectedVersion = optionalIfMatchVersion(request);
      await auditedTransaction(database.db, (tx) => deleteActivity(tx, ctx, request.params.id, expectedVersion));
      return reply.code(204).send(null);
    },
  );
});
