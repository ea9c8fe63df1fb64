import type { Database } from '../../db/connection.ts';
import { openSubjectAccess, type SubjectAccess } from '../../kernel/index.ts';
import { liveConsentStates } from '../../shared/consentVocabulary.ts';
import { noticeTitleOf } from '../notices/firstNotice.ts';
import { portalSelfContext } from './portalContext.ts';
import type { PortalPerson } from './portalPerson.ts';
import { portalPurposes, type PortalPurpose } from './portalPurposes.ts';

/*
 * Everything held on the signed-in person, as the portal shows it: the kernel's subject
 * access (openSubjectAccess, under dsr_fulfilment, audited like any subject access) read by
 * the person themselves through the portal, reshaped for reading — each value with a label,
 * its data category and purposes; the records as the access gives them; the consent now per
 * purpose and its whole history, each event with its signed receipt; and who accessed the
 * data, when and for which purpose (the kind of actor only, never who). For an address
 * nobody holds: known false, nothing of anyone, the purposes still listed.
 */

export type PortalField = { field: string; label: string; value: unknown; category: string | null; purposes: string[] };
export type PortalConsentEvent = {
  id: string;
  purposeKey: string;
  state: string;
  channel: string;
  recordedAt: string;
  expiresAt: string | null;
  noticeVersion: number | null;
  receipt: string | null;
};
export type PortalConsent = PortalConsentEvent & { live: boolean };
export type PortalTrailEntry = { occurredAt: string; action: string; purpose: string | null; actorType: string; decision: string; fields: string[] };
export type PortalData = {
  known: boolean;
  fields: PortalField[];
  records: Pick<SubjectAccess, 'deals' | 'purchases' | 'activities' | 'events' | 'visitors'>;
  consents: PortalConsent[];
  consentHistory: PortalConsentEvent[];
  trail: PortalTrailEntry[];
  purposes: PortalPurpose[];
};

const noRecords = { deals: [], purchases: [], activities: [], events: [], visitors: [] };

export async function readPortalData(database: Database, tenantId: string, person: PortalPerson, controllerUrl: string, now = new Date()): Promise<PortalData> {
  const purposes = await portalPurposes(database.db, tenantId);
  if (person.contactId === null) return { known: false, fields: [], records: noRecords, consents: [], consentHistory: [], trail: [], purposes };
  const access = await openSubjectAccess(database.db, portalSelfContext(tenantId), person.contactId, { controllerUrl });
  const history: PortalConsentEvent[] = access.consents.map((event) => ({
    id: event.id,
    purposeKey: event.purposeKey,
    state: event.state,
    channel: event.channel,
    recordedAt: event.recordedAt.toISOString(),
    expiresAt: event.expiresAt?.toISOString() ?? null,
    noticeVersion: event.noticeVersion,
    receipt: event.receipt,
  }));
  return {
    known: true,
    fields: access.fields.map((entry) => ({
      field: entry.field,
      label: noticeTitleOf(entry.field),
      value: entry.value,
      category: entry.dataCategory,
      purposes: entry.purposes,
    })),
    records: { deals: access.deals, purchases: access.purchases, activities: access.activities, events: access.events, visitors: access.visitors },
    consents: currentConsents(history, now),
    consentHistory: history,
    trail: access.trail.map((entry) => ({
      occurredAt: entry.occurredAt,
      action: entry.action,
      purpose: entry.purpose,
      actorType: entry.actorType,
      decision: entry.decision,
      fields: entry.fields,
    })),
    purposes,
  };
}

/** The latest event per purpose (the ledger is oldest first), and whether consent is live now. */
export function currentConsents(history: readonly PortalConsentEvent[], now: Date): PortalConsent[] {
  const latest = new Map<string, PortalConsentEvent>();
  for (const event of history) latest.set(event.purposeKey, event);
  return [...latest.values()]
    .sort((a, b) => a.purposeKey.localeCompare(b.purposeKey))
    .map((event) => ({
      ...event,
      live: (liveConsentStates as readonly string[]).includes(event.state) && (event.expiresAt === null || new Date(event.expiresAt) > now),
    }));
}
