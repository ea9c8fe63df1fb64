import { createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { rowsOf } from '../db/rows.ts';
import type { PurposeContext } from './accessContext.ts';
import { ledgerConsentStore } from './policy/consentLedger.ts';
import { requireGrantedPurpose } from './policy/purposeGrant.ts';
import { kernelKeyStore } from './runtime.ts';
import { lookUpAnonymousIds } from './visitorRecords.ts';

/*
 * Minimisation at the door: behaviour collected for a purpose on the consent basis is stored
 * only for a subject whose consent to it is live now. The gate is set-wise (one statement
 * for any number of subjects) and runs before anything is written, so an event it stops
 * leaves no row — not even a new visitor profile for an anonymous id never seen before (a
 * subject that does not exist yet cannot have consented).
 */

/** Who an event is about, as a request names them. */
export type GateSubject = { contactId: string } | { anonymousId: string };

/**
 * For each subject, in order, whether an event about it may be stored for the context's
 * purpose now: always for a basis other than consent; for consent, only a known subject
 * (a contact, or an anonymous id whose visitor or merged contact exists) with a live consent.
 */
export async function consentGate(tx: Executor, ctx: PurposeContext, subjects: readonly GateSubject[]): Promise<boolean[]> {
  const purpose = await requireGrantedPurpose(tx, ctx);
  if (purpose.legalBasis !== 'consent' || subjects.length === 0) return subjects.map(() => true);
  const anonymousIds = [...new Set(subjects.flatMap((subject) => ('anonymousId' in subject ? [subject.anonymousId] : [])))];
  const known = await lookUpAnonymousIds(tx, ctx.tenantId, anonymousIds);
  const subjectIdOf = (subject: GateSubject): string | null => {
    if ('contactId' in subject) return subject.contactId;
    const found = known.get(subject.anonymousId);
    return found ? (found.visitorId ?? found.contactId) : null;
  };
  const ids = [...new Set(subjects.map(subjectIdOf).filter((id): id is string => id !== null))];
  const live = new Set<string>();
  if (ids.length > 0) {
    const now = new Date();
    const result = await tx.execute(sql`
      select u.id from unnest(${sql.param(ids)}::uuid[]) as u(id)
      where ${ledgerConsentStore.liveCondition(ctx.tenantId, purpose.key, now, sql`u.id`)}`);
    for (const row of rowsOf<{ id: string }>(result)) live.add(row.id);
  }
  return subjects.map((subject) => {
    const id = subjectIdOf(subject);
    return id !== null && live.has(id);
  });
}

/**
 * A keyed hash of one piece of consent evidence (an IP address, a user agent): HMAC-SHA256
 * under the workspace's request-fingerprint key, kept in the key store and never in the
 * database, so a copy of the database cannot confirm a guessed address. The kind is bound
 * in, so an address and an agent never hash alike.
 */
export async function evidenceHash(tenantId: string, kind: 'ip' | 'user_agent', value: string): Promise<string> {
  const key = await kernelKeyStore().requestFingerprintKey(tenantId.toLowerCase());
  return createHmac('sha256', key).update(`candor-consent-evidence\u0000v1\u0000${kind}\u0000`).update(value, 'utf8').digest('hex');
}
