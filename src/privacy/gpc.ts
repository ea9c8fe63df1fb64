import type { Executor, Transaction } from '../db/connection.ts';
import { listOptOutConflicts, recordOptOuts, type OptOutConflictPage, type PurposeContext, type RecordedOptOut } from '../kernel/index.ts';
import { announceChanges } from '../platform/changes.ts';
import { defaultPageSize } from '../shared/cursor.ts';
import { listPurposes } from './purposes.ts';

/*
 * Global Privacy Control (https://privacycg.github.io/gpc-spec/): a browser's `Sec-GPC: 1`
 * is the person's request to opt out of the sale and sharing of their personal information
 * and of targeted advertising (CCPA/CPRA and the state laws that followed). Candor records it
 * as `opted_out` events in the consent ledger, channel `gpc`, for every purpose of the
 * workspace whose data use that covers, for the visitor profile the request is about and
 * for the contact it is known as. Any other value of the header means nothing.
 */

/**
 * When Candor's GPC support last changed, for /.well-known/gpc.json's `lastUpdate`. Change it
 * with any change to what a GPC signal opts out of (gpcCoveredDataUse) or how it is read.
 */
export const gpcSupportLastUpdated = '2026-12-03';

/*
 * The header value as the server hands it over. The spec's value is exactly "1". HTTP
 * parsers strip the optional whitespace around a field value (RFC 9110 §5.5), and Node's does
 * so even in rawHeaders, so `Sec-GPC:  1` and `Sec-GPC:\t1` on the wire arrive as "1" and opt
 * out, as the spec's grammar (OWS "1" OWS) says they should; a value that still starts with a
 * space, or carries a non-breaking one, was not sent as "1" and opts out of nothing. Node
 * joins repeated headers with ", " (Fastify's request.headers['sec-gpc']), and an
 * intermediary may join them with ",": the signal holds when any member of that list is "1".
 */
const listSeparator = /[ \t]*,[ \t]*/;

/** Whether a Sec-GPC header value (string, list of lines, or absent) asks to opt out. */
export function gpcOptsOut(value: string | readonly string[] | undefined): boolean {
  if (value === undefined) return false;
  const lines = typeof value === 'string' ? [value] : value;
  return lines.some((line) => line.split(listSeparator).some((member) => member === '1'));
}

/**
 * The fideslang data uses a GPC opt-out covers: selling and sharing personal data with third
 * parties (third_party_sharing, but not sharing the law requires) and advertising targeted
 * from it, across sites (marketing.advertising.third_party.*) or from first-party profiles
 * (marketing.advertising.first_party.targeted, marketing.advertising.profiling), which the
 * state laws' "targeted advertising" includes. Contextual ads, frequency capping and ad
 * serving use no profile of the person and stay out.
 */
export function gpcCoveredDataUse(dataUse: string): boolean {
  if (dataUse === 'third_party_sharing.legal_obligation') return false;
  const covered = ['third_party_sharing', 'marketing.advertising.third_party', 'marketing.advertising.first_party.targeted', 'marketing.advertising.profiling'];
  return covered.some((use) => dataUse === use || dataUse.startsWith(`${use}.`));
}

/** The person a GPC request is about: the browser's visitor profile and/or the contact it is known as. */
export type GpcSubject = { visitorId?: string | null; contactId?: string | null };

/**
 * Records the GPC opt-out for the subject's visitor profile and contact, for every purpose of
 * the workspace whose data use GPC covers, in the caller's transaction; an opt-out already
 * on record is not written again. Raises one `consent.opted_out` webhook per event.
 */
export async function recordGpcOptOut(tx: Transaction, ctx: PurposeContext, subject: GpcSubject): Promise<RecordedOptOut[]> {
  const subjectIds = [subject.visitorId, subject.contactId].filter((id): id is string => typeof id === 'string');
  if (subjectIds.length === 0) return [];
  const purposeKeys = (await listPurposes(tx, ctx.tenantId)).filter((purpose) => gpcCoveredDataUse(purpose.dataUse)).map((purpose) => purpose.key);
  const recorded = await recordOptOuts(tx, ctx, {
    subjectIds,
    purposeKeys,
    channel: 'gpc',
    evidence: { signal: 'Sec-GPC', value: '1' },
  });
  await announceChanges(
    tx,
    ctx.tenantId,
    recorded.map((optOut) => ({ object: 'consent', recordId: optOut.id, kind: 'opted_out', relatedIds: [optOut.subjectId] })),
  );
  return recorded;
}

/**
 * The one call a collection route makes with the request's Sec-GPC header: records the opt-out
 * when the header asks for it (gpcOptsOut), does nothing otherwise.
 */
export async function honourGpcSignal(
  tx: Transaction,
  ctx: PurposeContext,
  header: string | readonly string[] | undefined,
  subject: GpcSubject,
): Promise<RecordedOptOut[]> {
  return gpcOptsOut(header) ? recordGpcOptOut(tx, ctx, subject) : [];
}

/** GPC opt-outs that ended a live opt-in, newest first, for the privacy officer. */
export function listGpcConflicts(ctx: PurposeContext, executor: Executor, query: { cursor?: string; limit?: number }): Promise<OptOutConflictPage> {
  return listOptOutConflicts(executor, ctx, { channel: 'gpc', cursor: query.cursor, limit: query.limit ?? defaultPageSize });
}
