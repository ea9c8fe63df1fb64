import { z } from 'zod';
import { recordAudit } from '../../kernel/index.ts';
import { listRetentionProofs } from '../../privacy/retention/retentionProofs.ts';
import { previewRetention } from '../../privacy/retention/retentionSweep.ts';
import { retentionActions } from '../../shared/retentionRules.ts';
import { nameComponent, uuid } from '../openapi/components.ts';
import { accessContext } from '../principal.ts';
import { instant } from './recordRouteSupport.ts';
import { routePlugin } from './routePlugin.ts';

// The retention sweep as the privacy console sees it: what it would remove now, and the proofs of what it removed.
// The sweep counts retention periods (up to 100 years) back from asOf; earlier than this, that leaves the calendar.
const earliestSweepYear = 1000;
const sweepInstant = instant.refine((value) => new Date(value).getUTCFullYear() >= earliestSweepYear, `from the year ${earliestSweepYear} on`);
const dueSubjectSchema = z.object({
  subjectId: uuid,
  kind: z.enum(['contact', 'visitor']),
  action: z.enum(retentionActions).describe('erase, or anonymise (contacts whose last-ending purpose says so)'),
});
const previewSchema = z.object({
  asOf: z.date(),
  total: z.number().int().describe('How many subjects would go'),
  subjects: z.array(dueSubjectSchema).describe('The first `limit` of them, by id'),
  held: z.array(uuid).describe('Subjects due but kept under a legal hold'),
  restricted: z.array(uuid).describe('Subjects due but kept because they restricted the processing of their data (Art. 18)'),
  eventsBefore: z.date().nullable().describe('Events older than this go; null when a purpose kept for events has no period'),
  expiredEvents: z.number().int().describe('How many events would expire on their own (the events of the subjects that go are erased with them)'),
});
nameComponent(previewSchema, 'RetentionPreview');

const proofSchema = z.object({
  id: uuid,
  runId: uuid,
  batch: z.number().int(),
  asOf: z.date(),
  createdAt: z.date(),
  actor: z.string(),
  erasedSubjects: z.number().int(),
  anonymisedSubjects: z.number().int(),
  heldSubjects: z.number().int(),
  expiredEvents: z.number().int(),
  subjectPseudonyms: z.array(z.string()).describe("The keyed pseudonyms the batch's audit entry names: never a subject id"),
  auditSequence: z.number().int().describe("The batch's audit entry (retention.swept or retention.events_expired) in the hash chain"),
});
nameComponent(proofSchema, 'RetentionProof');

export const retentionRoutes = routePlugin(async (app, deps) => {
  app.get(
    '/retention/preview',
    {
      schema: {
        operationId: 'previewRetention',
        tags: ['privacy'],
        summary: 'What the retention sweep would remove (as of now, or asOf): a dry run that changes nothing (privacy officer, admin; audited)',
        querystring: z.object({
          asOf: sweepInstant.optional().describe('The instant to compute for (default now), from the year 1000'),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
        response: { 200: z.object({ data: previewSchema }) },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'retention:read');
      const asOf = request.query.asOf === undefined ? new Date() : new Date(request.query.asOf);
      return deps.database.db.transaction(async (tx) => {
        const plan = await previewRetention(tx, ctx.tenantId, asOf);
        const subjects = plan.subjects.slice(0, request.query.limit);
        await recordAudit(tx, ctx, {
          action: 'retention.previewed',
          object: 'subject',
          subjectIds: [...subjects.map((subject) => subject.subjectId), ...plan.held, ...plan.restricted],
          detail: {
            asOf: asOf.toISOString(),
            total: plan.subjects.length,
            held: plan.held.length,
            restricted: plan.restricted.length,
            expiredEvents: plan.expiredEvents,
          },
        });
        return { data: { ...plan, total: plan.subjects.length, subjects } };
      });
    },
  );

  app.get(
    '/retention/proofs',
    {
      schema: {
        operationId: 'listRetentionProofs',
        tags: ['privacy'],
        summary:
          'Proofs of deletion of the retention sweeps, newest first: one per batch, with counts, pseudonyms and the audit entry (privacy officer, admin)',
        querystring: z.object({ runId: uuid.optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }),
        response: { 200: z.object({ data: z.array(proofSchema) }) },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'retention:read');
      return { data: await listRetentionProofs(deps.database.db, ctx.tenantId, request.query) };
    },
  );
});
