import type { Transaction } from '../../db/connection.ts';
import { recordObjection, recordOptOuts, recordRestriction, shredRequestIdentity, workspaceDeclarations, type PurposeContext } from '../../kernel/index.ts';
import { createAccessExportIn, defaultControllerUrl } from '../accessExports/accessExports.ts';
import type { AccessExportFormat } from '../accessExports/accessExportFormats.ts';
import { eraseSubject } from '../erasure/subjectErasure.ts';
import { gpcCoveredDataUse } from '../gpc.ts';
import { listPurposes } from '../purposes.ts';
import type { RequestKind } from './deadlines.ts';
import { rectifyFromRequest } from './requestRectification.ts';
import type { RightsRequest } from './requestRecords.ts';

/*
 * What completing a request of each kind does, through the kernel's writers. Each entry
 * returns an outcome: `done` with a summary (ids, counts and flags only), `no_subject` when
 * no contact holds the address (nothing is held, so nothing to restrict or erase), or
 * `not_available` when Candor cannot fulfil it (a rectification that names no corrections) —
 * the completion is then refused with 409 naming `kind`, never passed off as done.
 */

export type FulfilmentContext = { ctx: PurposeContext; request: RightsRequest };

export type FulfilmentOutcome =
  | { status: 'done'; summary: Record<string, string | number | boolean | string[]> }
  | { status: 'no_subject' }
  | { status: 'not_available'; reason: string };

export type Fulfilment = (tx: Transaction, context: FulfilmentContext) => Promise<FulfilmentOutcome>;

/** Runs the fulfilment for a request that concerns a known contact; `no_subject` otherwise. */
const forSubject =
  (fulfil: (tx: Transaction, ctx: PurposeContext, subjectId: string, request: RightsRequest) => Promise<FulfilmentOutcome>): Fulfilment =>
  (tx, { ctx, request }) =>
    request.subjectId === null ? Promise.resolve({ status: 'no_subject' }) : fulfil(tx, ctx, request.subjectId, request);

/** Opt-outs (channel portal or staff) of the purposes whose data use `covered` says; the request id is the evidence. */
async function optOutOf(tx: Transaction, ctx: PurposeContext, subjectId: string, request: RightsRequest, purposeKeys: string[]): Promise<FulfilmentOutcome> {
  const recorded = await recordOptOuts(tx, ctx, {
    subjectIds: [subjectId],
    purposeKeys,
    channel: request.channel === 'portal' ? 'portal' : 'staff',
    evidence: { request: request.id },
  });
  return { status: 'done', summary: { optedOut: recorded.map((optOut) => optOut.purposeKey).sort(), purposes: purposeKeys } };
}

/**
 * The purposes that use a special-category (Art. 9, CPRA "sensitive") field and do not rest
 * on a legal obligation: a limit on sensitive data opts the person out of those.
 */
async function sensitivePurposes(tx: Transaction, tenantId: string): Promise<string[]> {
  const declarations = await workspaceDeclarations(tx, tenantId);
  const using = new Set(declarations.filter((entry) => entry.declaration.sensitivity === 'special').flatMap((entry) => entry.declaration.purposes));
  const purposes = await listPurposes(tx, tenantId);
  return purposes.filter((purpose) => using.has(purpose.key) && purpose.legalBasis !== 'legal_obligation').map((purpose) => purpose.key);
}

/** An access export of the subject, answering the request (whoever completes it, acting for dsr_fulfilment). */
async function exportFor(
  tx: Transaction,
  ctx: PurposeContext,
  subjectId: string,
  request: RightsRequest,
  format: AccessExportFormat,
): Promise<FulfilmentOutcome> {
  const exported = await createAccessExportIn(tx, ctx, subjectId, format, { controllerUrl: defaultControllerUrl(), requestId: request.id });
  return { status: 'done', summary: { accessExportId: exported.id, format, exportStatus: exported.status } };
}

export const requestFulfilments: Record<RequestKind, Fulfilment> = {
  // Art. 15 (and the CCPA's right to know): the readable copy with its Art. 15 context; Art. 20:
  // the machine-readable one. Built by the access-export job once this transaction commits.
  access: forSubject((tx, ctx, subjectId, request) => exportFor(tx, ctx, subjectId, request, 'html')),
  portability: forSubject((tx, ctx, subjectId, request) => exportFor(tx, ctx, subjectId, request, 'json')),
  // Art. 16, then Art. 19 (requestRectification.ts).
  rectification: rectifyFromRequest,
  // Art. 17: through the one path of every erasure; the requester's identity is shredded with
  // the subject, the request row stays as the record that the right was answered.
  erasure: forSubject(async (tx, ctx, subjectId, request) => {
    const erased = await eraseSubject(tx, ctx.tenantId, subjectId, { reason: 'erasure_request', requestId: request.id, actor: ctx });
    await shredRequestIdentity(tx, ctx.tenantId, request.id);
    return {
      status: 'done',
      summary: {
        erased: true,
        suppressedEmails: erased.suppressedEmails,
        activitiesErased: erased.activitiesErased,
        activitiesFlagged: erased.activitiesFlagged,
      },
    };
  }),
  // Art. 18: stored but no longer processed, until lifted (POST /requests/{id}/lift-restriction).
  restriction: forSubject(async (tx, ctx, subjectId) => {
    const result = await recordRestriction(tx, ctx, subjectId);
    return { status: 'done', summary: { restricted: true, recorded: result.recorded } };
  }),
  // Art. 21(2)-(3): an objection to direct marketing is absolute (no balancing); one to a
  // purpose on legitimate interests or public task is applied by the policy.
  objection: forSubject(async (tx, ctx, subjectId, request) => {
    const scope = request.purposeKey === null ? { directMarketing: true as const } : { purposeKey: request.purposeKey };
    const result = await recordObjection(tx, ctx, subjectId, scope);
    return {
      status: 'done',
      summary: { ...(request.purposeKey === null ? { directMarketing: true } : { purposeKey: request.purposeKey }), recorded: result.recorded },
    };
  }),
  // CCPA §1798.120: the same purposes a GPC signal opts out of (src/privacy/gpc.ts).
  opt_out_sale_sharing: forSubject(async (tx, ctx, subjectId, request) => {
    const purposes = (await listPurposes(tx, ctx.tenantId)).filter((purpose) => gpcCoveredDataUse(purpose.dataUse)).map((purpose) => purpose.key);
    return optOutOf(tx, ctx, subjectId, request, purposes);
  }),
  // CCPA §1798.121.
  limit_sensitive: forSubject(async (tx, ctx, subjectId, request) => optOutOf(tx, ctx, subjectId, request, await sensitivePurposes(tx, ctx.tenantId))),
};
