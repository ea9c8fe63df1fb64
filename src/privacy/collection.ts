import { and, eq } from 'drizzle-orm';
import type { Database, Transaction } from '../db/connection.ts';
import { newId } from '../db/ids.ts';
import { purposes } from '../db/schema/index.ts';
import {
  consentGate,
  createPermittedContact,
  evidenceHash,
  findPermittedContactIdsByLookup,
  insertEvents,
  lockPermittedLookupValues,
  lookUpAnonymousIds,
  resolveAnonymousIds,
  systemContext,
  updatePermittedContact,
  workspaceDeclarations,
  type ConsentEvidence,
  type GateSubject,
  type PersonalValues,
  type PurposeContext,
} from '../kernel/index.ts';
import { recordChange } from '../platform/changes.ts';
import { runIdempotent, type IdempotencyRequest } from '../platform/idempotency.ts';
import { DomainError, invalid, type FieldIssue } from '../shared/domainError.ts';
import { normalizeEmail, normalizePhone } from '../shared/normalize.ts';
import { judgeFields, storedFieldName, writesByPurpose } from './collectionFields.ts';
import type { FormKey } from './formKeys.ts';
import { admitReturningAddress, type FreshConsent } from './erasure/suppressionAdmission.ts';
import { formActor, recordConsentChoices, unconfirmableMarketing, type CollectionChannel, type RecordedChoices } from './collectionConsents.ts';
import { choiceNotices } from './notices/choiceNotices.ts';
import { widgetNotices, widgetSubmissionIssues } from './notices/widgetNotices.ts';
import type { DoubleOptInSettings, PendingDoubleOptIn } from './doubleOptIn.ts';
import { honourGpcSignal } from './gpc.ts';
import { recordTcfConsents } from './tcf/tcfConsents.ts';
import { consentedPurposes, mapTcfPurposes, type TcfPurposeMap } from './tcf/tcfPurposes.ts';
import { decodeTcString, type TcfSignal } from './tcf/tcfSignal.ts';

/*
 * POST /api/v1/collect: a public form's submission, under a form key. In one transaction:
 * only fields declared for a purpose whose basis holds are stored (collectionFields.ts); a
 * known e-mail address changes none of its contact's data; an unknown one creates a
 * contact with source 'form'. Consents go to the ledger through the kernel with channel
 * 'form' and evidence that holds keyed hashes, never an address, except e-mail marketing,
 * which waits for double opt-in (collectionConsents.ts): the confirmation mails are handed
 * back to be sent after commit. A `Sec-GPC: 1` header opts the visitor and the contact out
 * of sale, sharing and targeted advertising (gpc.ts). Behaviour for a consent purpose is
 * stored only where that consent is live (the kernel's consentGate). A TC string (IAB TCF)
 * is consent evidence like the choices, channel 'tcf' (tcf/tcfConsents.ts). The answer is the same
 * whether the address was known or not, so the form tells nobody who is a contact. The
 * consent widget (channel 'widget') sends its visitor's choices and page views here too.
 */

export type CollectedEvent = { type: string; occurredAt: string; properties?: Record<string, string | number | boolean> };
export type Submission = {
  fields: Record<string, string>;
  consents: Array<{ purposeKey: string; given: boolean; noticeVersion?: number }>;
  /** Who asked: a form (default), or the consent widget (widgetNotices.ts's rules). */
  channel?: CollectionChannel;
  visitorId?: string;
  eventPurposeKey?: string;
  events?: CollectedEvent[];
  /** An IAB TCF v2 TC string from the page's CMP: consent evidence for the purposes it maps to (tcf/). */
  tcString?: string;
};
/** What the request says of its sender: raw values, hashed here before anything is stored, and its Sec-GPC header. */
export type SenderEvidence = { ip: string; userAgent: string | null; origin: string | null; gpc?: string | readonly string[] };
export type CollectionReceipt = {
  consents: RecordedChoices['states'];
  dropped: string[];
  notStored: number;
  /** What the TC string said of each consent purpose it bears on, and the TCF purposes it bears on none of. */
  tcf?: { purposes: Array<{ purposeKey: string; consented: boolean }>; unmappedPurposes: number[] };
};
/** The answer, and the double opt-in mails to send once it is committed (none on an idempotent replay). */
export type Collected = { receipt: CollectionReceipt; confirmations: PendingDoubleOptIn[] };

type PurposeRow = { key: string; legalBasis: string; dataUse: string };

function refuseIssues(issues: FieldIssue[], message: string): void {
  if (issues.length > 0) throw new DomainError('validation_failed', message, issues);
}

function consentIssues(submission: Submission, byKey: Map<string, PurposeRow>): FieldIssue[] {
  return submission.consents.flatMap((consent, position) =>
    byKey.get(consent.purposeKey)?.legalBasis === 'consent'
      ? []
      : [{ field: `consents.${position}.purposeKey`, reason: 'not a consent purpose of this workspace' }],
  );
}

function eventPurposeIssues(submission: Submission, key: FormKey, byKey: Map<string, PurposeRow>): FieldIssue[] {
  if (!submission.events?.length) return [];
  const purpose = submission.eventPurposeKey ? byKey.get(submission.eventPurposeKey) : undefined;
  if (!purpose) return [{ field: 'eventPurposeKey', reason: 'events need the purpose they are collected for, a purpose of this workspace' }];
  if (purpose.legalBasis !== 'consent' && !key.purposes.includes(purpose.key)) return [{ field: 'eventPurposeKey', reason: 'not a purpose this form serves' }];
  return [];
}

/** Stored values of the storable fields: trimmed, e-mail and phone checked (422 naming fields.x, never the value). */
function storedValues(fields: Record<string, string>, storable: ReadonlyMap<string, string[]>): PersonalValues {
  const values: PersonalValues = {};
  const issues: FieldIssue[] = [];
  for (const [name, raw] of Object.entries(fields)) {
    const field = storedFieldName(name);
    const value = raw.trim();
    if (!storable.has(field) || value === '') continue;
    if (field === 'email') {
      const email = normalizeEmail(value);
      if (email) values.email = email;
      else issues.push({ field: 'fields.email', reason: 'not a valid e-mail address' });
    } else if (field === 'phone') {
      if (normalizePhone(value)?.startsWith('+')) values.phone = value;
      else issues.push({ field: 'fields.phone', reason: 'not a valid phone number with its country code' });
    } else values[field] = value;
  }
  refuseIssues(issues, 'Some fields are not valid; nothing was stored.');
  return values;
}

async function evidenceOf(tenantId: string, key: FormKey, sender: SenderEvidence): Promise<ConsentEvidence> {
  return {
    ipHash: await evidenceHash(tenantId, 'ip', sender.ip),
    userAgentHash: sender.userAgent === null ? null : await evidenceHash(tenantId, 'user_agent', sender.userAgent),
    formKeyId: key.id,
    origin: sender.origin,
  };
}

/** The contact the e-mail names (none is changed), or a new one holding the storable values. */
async function contactOf(
  tx: Transaction,
  tenantId: string,
  key: FormKey,
  values: PersonalValues,
  storable: ReadonlyMap<string, string[]>,
  fresh: FreshConsent,
): Promise<{ id: string; known: boolean }> {
  const writes = writesByPurpose(storable);
  const ctxOf = (purposeKey: string) => systemContext(tenantId, formActor(key), purposeKey);
  const first = ctxOf(writes[0].purposeKey);
  const email = values.email as string;
  await lockPermittedLookupValues(tx, first, 'email', [email]);
  const [known] = (await findPermittedContactIdsByLookup(tx, first, 'email', [email])).get(email) ?? [];
  if (known) return { id: known, known: true };
  await admitReturningAddress(tx, first, email, fresh, 'fields.email');
  const pick = (fields: string[]) => Object.fromEntries(fields.filter((field) => field in values).map((field) => [field, values[field]]));
  const id = newId();
  await createPermittedContact(tx, first, { id, ownerId: null, companyId: null, lifecycleStage: 'lead', source: 'form', personal: pick(writes[0].fields) });
  for (const write of writes.slice(1)) await updatePermittedContact(tx, ctxOf(write.purposeKey), id, pick(write.fields));
  await recordChange(tx, first, { object: 'contact', recordId: id, kind: 'created', fields: Object.keys(values) });
  return { id, known: false };
}

/** The submission's events: only those the gate admits are stored; returns how many were not. */
async function storeEvents(tx: Transaction, ctx: PurposeContext, subject: GateSubject, events: readonly CollectedEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const [admitted] = await consentGate(tx, ctx, [subject]);
  if (!admitted) return events.length;
  let target: { contactId: string | null; visitorId: string | null };
  if ('contactId' in subject) target = { contactId: subject.contactId, visitorId: null };
  else {
    const times = events.map((event) => event.occurredAt).sort();
    const { subjects } = await resolveAnonymousIds(tx, ctx, [{ anonymousId: subject.anonymousId, firstSeenAt: times[0], lastSeenAt: times[times.length - 1] }]);
    target = subjects.get(subject.anonymousId)!;
  }
  const rows = events.map((event) => ({
    id: newId(),
    ...target,
    type: event.type,
    occurredAt: new Date(event.occurredAt).toISOString(),
    properties: event.properties ?? {},
  }));
  const subjectIds = await insertEvents(tx, ctx, rows);
  await recordChange(
    tx,
    ctx,
    { object: 'event_batch', recordId: newId(), kind: 'created', fields: ['type', 'occurredAt'] },
    { action: 'event_batch.created', subjectIds, detail: { accepted: rows.length, visitorsCreated: 0 } },
  );
  return 0;
}

/** The subject an anonymous id already belongs to (its visitor, or the contact it was merged into), if any. */
async function knownVisitor(tx: Transaction, tenantId: string, visitorId: string): Promise<string | null> {
  const found = (await lookUpAnonymousIds(tx, tenantId, [visitorId])).get(visitorId);
  return found ? (found.visitorId ?? found.contactId) : null;
}

/**
 * The visitor (or the contact it was merged into) to record consent for. A visitor never
 * seen before is created only when the person gives a consent that may hold its id; a
 * refusal alone, or events alone, only look it up (nothing that does not exist can have
 * refused, and events without consent leave no trace).
 */
async function visitorOf(tx: Transaction, tenantId: string, key: FormKey, visitorId: string, given: readonly string[]): Promise<string | null> {
  const purposeKey = given[0];
  if (purposeKey === undefined) return knownVisitor(tx, tenantId, visitorId);
  const now = new Date().toISOString();
  const { subjects } = await resolveAnonymousIds(tx, systemContext(tenantId, formActor(key), purposeKey), [
    { anonymousId: visitorId, firstSeenAt: now, lastSeenAt: now },
  ]);
  const subject = subjects.get(visitorId)!;
  return subject.visitorId ?? subject.contactId;
}

export async function collectSubmission(
  database: Database,
  key: FormKey & { tenantId: string },
  submission: Submission,
  sender: SenderEvidence,
  idempotencyKey: string | null,
  doubleOptIn: DoubleOptInSettings = {},
): Promise<Collected> {
  const { tenantId } = key;
  const rows: PurposeRow[] = await database.db
    .select({ key: purposes.key, legalBasis: purposes.legalBasis, dataUse: purposes.dataUse })
    .from(purposes)
    .where(and(eq(purposes.tenantId, tenantId)));
  const byKey = new Map(rows.map((row) => [row.key, row]));
  refuseIssues(
    [...consentIssues(submission, byKey), ...eventPurposeIssues(submission, key, byKey)],
    'The submission names purposes it may not; nothing was stored.',
  );
  const channel = submission.channel ?? 'form';
  if (channel === 'widget') {
    const shown = new Set((await widgetNotices(database.db, tenantId)).map((notice) => notice.purposeKey));
    refuseIssues(widgetSubmissionIssues(submission, shown), 'The widget sent what it may not; nothing was stored.');
  }
  const notices = await choiceNotices(database.db, tenantId, submission.consents);
  const choices = submission.consents.map((consent, position) => ({ purposeKey: consent.purposeKey, given: consent.given, notice: notices[position] }));
  const tcf = submission.tcString === undefined ? null : { signal: decodeTcString(submission.tcString, 'tcString'), map: mapTcfPurposes(rows) };
  const given = [...submission.consents.filter((consent) => consent.given).map((consent) => consent.purposeKey), ...tcfGiven(tcf)];
  const held = [...key.purposes.filter((purpose) => byKey.has(purpose)), ...given];
  const fieldNames = Object.keys(submission.fields);
  // A consent widget's submission names no field: nothing to judge, no catalog to read.
  const verdict = judgeFields(fieldNames, fieldNames.length === 0 ? [] : await workspaceDeclarations(database.db, tenantId), held);
  if (key.unneededFields === 'refuse') refuseIssues(verdict.unneeded, 'The form sent fields no purpose it serves needs; nothing was stored.');
  const values = storedValues(submission.fields, verdict.storable);
  if (Object.keys(values).length > 0 && !values.email) throw invalid('fields.email', 'a form that stores what a person tells names them by e-mail');
  if (!values.email)
    refuseIssues(unconfirmableMarketing(submission.consents, byKey), 'E-mail marketing is confirmed at the address it is given for; nothing was stored.');
  const evidence = await evidenceOf(tenantId, key, sender);
  const idempotency: IdempotencyRequest | null = idempotencyKey
    ? { tenantId, key: idempotencyKey, actor: `system:${formActor(key)}`, method: 'POST', route: '/api/v1/collect', body: submission }
    : null;
  // Filled only when the work runs: an idempotent replay mails nothing again.
  let confirmations: PendingDoubleOptIn[] = [];
  const outcome = await runIdempotent(database, idempotency, async (tx) => {
    let subject: GateSubject | null = null;
    let subjectId: string | null = null;
    let known = false;
    let contactId: string | null = null;
    let visitorProfile: string | null = null;
    if (values.email) {
      const contact = await contactOf(tx, tenantId, key, values, verdict.storable, { given: given.length > 0, channel });
      ({ id: subjectId, known } = contact);
      contactId = subjectId;
      subject = { contactId };
      if (submission.visitorId) visitorProfile = await knownVisitor(tx, tenantId, submission.visitorId);
    } else if (submission.visitorId) {
      subjectId = visitorProfile = await visitorOf(tx, tenantId, key, submission.visitorId, given);
      subject = { anonymousId: submission.visitorId };
    }
    let consents: CollectionReceipt['consents'] = [];
    if (subjectId) {
      const named = { id: subjectId, isContact: contactId !== null, known };
      const recorded = await recordConsentChoices(tx, key, choices, byKey, named, evidence, doubleOptIn, channel);
      ({ states: consents, confirmations } = recorded);
      // As with the choices, a string naming an existing contact's address is not that person's word.
      if (tcf && !known) {
        const ctxOf = (purposeKey: string) => systemContext(tenantId, formActor(key), purposeKey);
        await recordTcfConsents(tx, ctxOf('legal_compliance'), ctxOf, { id: subjectId }, tcf.signal, tcf.map, evidence);
      }
    }
    // An opt-out only narrows what Candor may do, so a form may say it of a known contact too.
    // Heeding it is the law's demand (CCPA/CPRA), whatever purposes the form serves.
    const gpcCtx = systemContext(tenantId, formActor(key), 'legal_compliance');
    await honourGpcSignal(tx, gpcCtx, sender.gpc, { visitorId: visitorProfile, contactId });
    const events = submission.events ?? [];
    const eventsCtx = submission.eventPurposeKey ? systemContext(tenantId, formActor(key), submission.eventPurposeKey) : null;
    const notStored = subject && eventsCtx ? await storeEvents(tx, eventsCtx, subject, events) : events.length;
    const receipt: CollectionReceipt = { consents, dropped: verdict.unneeded.map((issue) => issue.field), notStored, ...tcfReceipt(tcf) };
    return { statusCode: 202, recordId: null, result: receipt };
  });
  return { receipt: outcome.result as CollectionReceipt, confirmations: outcome.replayed ? [] : confirmations };
}

type DecodedTcf = { signal: TcfSignal; map: TcfPurposeMap } | null;

/** The consent purposes a TC string consents to. */
const tcfGiven = (tcf: DecodedTcf): string[] =>
  tcf ? [...consentedPurposes(tcf.map, tcf.signal.purposeConsents)].flatMap(([purposeKey, consented]) => (consented ? [purposeKey] : [])) : [];

/** What the answer says of a TC string: what it says, never what the ledger held (the same for a known address). */
function tcfReceipt(tcf: DecodedTcf): Pick<CollectionReceipt, 'tcf'> {
  if (!tcf) return {};
  const purposes = [...consentedPurposes(tcf.map, tcf.signal.purposeConsents)].map(([purposeKey, consented]) => ({ purposeKey, consented }));
  return { tcf: { purposes, unmappedPurposes: tcf.map.unmapped } };
}
