import { z } from 'zod';
import {
  appendAudit,
  auditConfiguration,
  auditFilterNames,
  auditTrailForSubject,
  listAuditEntries,
  pseudonymsOfSubject,
  verifyAuditChain,
  type AuditEntry,
  type AuditFilter,
} from '../../kernel/index.ts';
import { decodeCursor, defaultPageSize, encodeCursor, maxPageSize } from '../../shared/cursor.ts';
import { accessContext } from '../principal.ts';
import { nameComponent, uuid } from '../openapi/components.ts';
import { instant, listEnvelope, singleEnvelope } from './recordRouteSupport.ts';
import { routePlugin } from './routePlugin.ts';

const reasonSchema = z.union([z.string(), z.object({ reason: z.string(), field: z.string().optional(), subjects: z.number().optional() })]);

const auditEntrySchema = z.object({
  version: z
    .number()
    .int()
    .describe('Encoding version the hash was computed with: 1 (workspace-keyed pseudonyms) or 2 (per-subject pseudonyms, erasedPseudonyms hashed)'),
  sequence: z.number().int().describe('Position in the workspace chain; gapless from 1'),
  occurredAt: z.string(),
  actor: z.object({ type: z.string(), id: z.string() }),
  purpose: z.string().nullable(),
  action: z.string(),
  object: z.string().nullable(),
  recordIds: z.array(z.string()).describe('Ids of non-subject records involved'),
  fields: z.array(z.string()).describe('Names of the fields touched; never values'),
  decision: z.enum(['allow', 'deny', 'partial']),
  reasons: z.array(reasonSchema),
  subjectPseudonyms: z.array(z.string()).describe('Keyed pseudonyms of the data subjects touched'),
  erasedPseudonyms: z.array(z.string()).describe("Pseudonyms whose subject index rows this entry's erasure removed (version 2)"),
  detail: z.record(z.string(), z.unknown()),
  previousHash: z.string(),
  hash: z.string().describe('SHA-256 over the canonical encoding of the entry and previousHash (docs/audit.md)'),
});

nameComponent(auditEntrySchema, 'AuditEntry', 'One entry of the hash-chained audit trail: who did what, for which purpose, to which fields; never values');

const checkpointSchema = z.object({ sequence: z.number().int(), hash: z.string(), signature: z.string(), publicKey: z.string(), createdAt: z.string() });

const verificationSchema = z.object({
  ok: z.boolean(),
  entries: z.number().int().optional().describe('Entries verified (when ok)'),
  lastHash: z.string().optional(),
  lastCheckpoint: checkpointSchema.nullable().optional(),
  signersTrusted: z.boolean().optional().describe('Whether checkpoint keys were checked against the key store'),
  firstBrokenSequence: z.number().int().optional().describe('The first entry at which the chain no longer holds (when not ok)'),
  reason: z.string().optional(),
});

nameComponent(verificationSchema, 'AuditVerification');
const cursorSort = 'sequence';

// Action names and purpose keys are machine keys; an action ending in "." is a prefix.
const actionPattern = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*\.?$/;
const auditQuery = z
  .object({
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(maxPageSize).default(defaultPageSize),
    from: instant.optional().describe('Only entries that occurred at or after this instant (ISO 8601 with offset)'),
    to: instant.optional().describe('Only entries that occurred before this instant (exclusive, so adjacent windows never overlap)'),
    actor: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/, 'a user id, an API key id or a system actor name')
      .optional()
      .describe("Only entries made by this actor: a user's id or an API key's id (actor.id of an entry)"),
    purpose: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,62}$/, 'a purpose key')
      .optional()
      .describe('Only entries made for this purpose'),
    action: z
      .string()
      .max(100)
      .regex(actionPattern, 'an action such as contact.read, or a prefix ending in "." such as contact.')
      .optional()
      .describe('Only entries with this action ("contact.read"), or, ending in ".", every action it starts ("contact.")'),
    subjectId: uuid
      .optional()
      .describe('Only entries that touched this contact or visitor (pseudonymised before the lookup; an erased or unknown id finds nothing)'),
    pseudonym: z
      .string()
      .regex(/^[0-9a-f]{32}$/)
      .optional()
      .describe('Only entries that touched the subject with this pseudonym'),
  })
  .refine((query) => !(query.from && query.to) || Date.parse(query.from) < Date.parse(query.to), {
    path: ['to'],
    message: 'must be later than from',
  })
  .refine((query) => !(query.subjectId && query.pseudonym), { path: ['pseudonym'], message: 'give subjectId or pseudonym, not both' });

type AuditQuery = z.infer<typeof auditQuery>;

function auditFilterOf(query: AuditQuery): AuditFilter {
  const { from, to, actor, purpose, action } = query;
  return {
    ...(from ? { from: new Date(from) } : {}),
    ...(to ? { to: new Date(to) } : {}),
    ...(actor ? { actor: actor.toLowerCase() } : {}),
    ...(purpose ? { purpose } : {}),
    ...(action ? { action: action.endsWith('.') ? { prefix: action } : { exact: action } } : {}),
  };
}

export const auditRoutes = routePlugin(async (app, deps) => {
  app.get(
    '/audit',
    {
      schema: {
        operationId: 'listAuditEntries',
        tags: ['audit'],
        summary: "The workspace's audit trail in sequence order, narrowed by time, actor, purpose, action and data subject (all given must hold)",
        querystring: auditQuery,
        response: { 200: listEnvelope(auditEntrySchema) },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'audit:read');
      const { cursor, limit, subjectId, pseudonym } = request.query;
      const after = cursor ? Number(decodeCursor(cursor, { sort: cursorSort, value: 'number', id: 'sequence' }).value) : 0;
      const filter = auditFilterOf(request.query);
      const page = { after, limit: limit + 1, filter };
      const db = deps.database.db;
      // An erased id and an id that never was a subject look alike: no pseudonym, no entry.
      const subject = subjectId ? await pseudonymsOfSubject(db, ctx.tenantId, subjectId) : null;
      const pseudonyms = subject ? [subject.pseudonym, ...(subject.legacyPseudonym ? [subject.legacyPseudonym] : [])] : pseudonym ? [pseudonym] : [];
      const rows: AuditEntry[] =
        subjectId || pseudonym ? await auditTrailForSubject(db, ctx.tenantId, { pseudonyms }, page) : await listAuditEntries(db, ctx.tenantId, page);
      // Reading the trail is itself an access worth recording, under the subject's current
      // pseudonym only (never a version-1 one anew, never a key made for the lookup), with
      // the names of the filters used (never their values: an actor id is not needed to
      // account for the read).
      const recorded = subject ? [subject.pseudonym] : pseudonym ? [pseudonym] : [];
      const filters = auditFilterNames(filter);
      await appendAudit(db, ctx, {
        action: 'audit.read',
        object: 'audit',
        subjectPseudonyms: recorded,
        ...(filters.length > 0 ? { detail: { filters } } : {}),
      });
      const data = rows.slice(0, limit);
      const last = data[data.length - 1];
      const nextCursor = rows.length > limit && last ? encodeCursor({ sort: cursorSort, value: last.sequence, id: String(last.sequence) }) : null;
      return { data, withheld: [], nextCursor };
    },
  );

  app.get(
    '/audit/verify',
    {
      schema: {
        operationId: 'verifyAuditChain',
        tags: ['audit'],
        summary: "Recomputes the workspace's hash chain and checks its signed checkpoints: ok, or the first broken entry",
        response: { 200: singleEnvelope(verificationSchema) },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'audit:read');
      const result = await verifyAuditChain(deps.database.db, ctx.tenantId, { keys: auditConfiguration().keys });
      await appendAudit(deps.database.db, ctx, {
        action: 'audit.verified',
        object: 'audit',
        decision: 'allow',
        detail: result.ok ? { ok: true, entries: result.entries } : { ok: false, firstBrokenSequence: result.firstBrokenSequence },
      });
      if (!result.ok) return { data: { ok: false, firstBrokenSequence: result.firstBrokenSequence, reason: result.reason }, withheld: [] };
      const checkpoint = result.lastCheckpoint;
      return {
        data: {
          ok: true,
          entries: result.entries,
          lastHash: result.lastHash,
          signersTrusted: result.signersTrusted,
          lastCheckpoint: checkpoint
            ? {
                sequence: checkpoint.sequence,
                hash: checkpoint.hash,
                signature: checkpoint.signature,
                publicKey: checkpoint.publicKey,
                createdAt: checkpoint.createdAt,
              }
            : null,
        },
        withheld: [],
      };
    },
  );
});
