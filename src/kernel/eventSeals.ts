import type { Executor } from '../db/connection.ts';
import type { PurposeContext } from './accessContext.ts';
import { latestActionTimes } from './audit/trail.ts';
import { kernelKeyStore } from './runtime.ts';
import { openOrIntegrityError } from './trackingAccess.ts';
import { openValue, sealValue, unwrapSubjectKeys, VaultDecryptError, type SubjectKeys } from './vault/index.ts';

/*
 * How event properties meet the vault. They are personal data of the event's subject — the
 * visitor while the event names one, else the contact — and are stored only sealed under that
 * subject's key: events.properties is { properties: sealed }. The field name bound into the
 * AAD carries the event id, so a sealed value copied to another event, even one of the same
 * subject, fails to authenticate: integrity_error, never passed on.
 *
 * Properties no key can open any more are withheld as 'unrecoverable', never a 500:
 * - marked: a move that met such a value stored { unrecoverable: true } in its place (once its
 *   key is shredded the ciphertext is noise, so it is not kept);
 * - left by merges made before merges re-sealed: they moved the duplicate's events to the
 *   survivor as they were, then shredded the duplicate's key. Such a value fails under the
 *   survivor's key just as a tampered one would; the audit tells them apart: the contact was
 *   named by a 'contact.merged' entry and the event was received before that merge. Any other
 *   failure (a visitor's event, a contact never merged, an event received after the last
 *   merge) is an integrity_error. The blind spot, accepted: an event received before its
 *   contact's last merge and tampered with afterwards reads as withheld, not as an error.
 */

export const propertiesField = 'properties';

type StoredProperties = { [propertiesField]?: string; unrecoverable?: true };

/** What a move stores for properties it could not open (see the file comment). */
export const unrecoverableProperties = JSON.stringify({ unrecoverable: true } satisfies StoredProperties);

// The action src/platform/changes.ts records for a contact merge (`${object}.${kind}`).
const contactMergedAction = 'contact.merged';

/** Whose personal data an event's properties are (see the file comment). */
export const eventSubjectId = (row: { contactId: string | null; visitorId: string | null }): string => (row.visitorId ?? row.contactId)!;

/** What an event property may hold (the values sealed under the subject's key). */
export type EventPropertyValue = string | number | boolean;

const boundField = (eventId: string) => `${propertiesField}:${eventId}`;

export function sealProperties(keys: SubjectKeys, eventId: string, properties: Record<string, EventPropertyValue>): string {
  return JSON.stringify({ [propertiesField]: sealValue(keys, boundField(eventId), properties) } satisfies StoredProperties);
}

/** An event as stored, as far as opening its properties needs. */
export type SealedEvent = { id: string; contactId: string | null; visitorId: string | null; receivedAt: Date; properties: unknown };

/** An event's properties, or why they stay closed: its subject's key is gone, or the key that sealed them. */
export type OpenedProperties = { properties: Record<string, EventPropertyValue> } | { withheld: 'erased' | 'unrecoverable' };

/**
 * Opens the properties of these events under their subjects' keys: one SELECT of the keys,
 * plus one audit lookup only when some value fails to authenticate. Throws integrity_error
 * for a value that is not sealed, or that fails without a past merge to explain it.
 */
export async function openEventProperties(tx: Executor, ctx: PurposeContext, rows: readonly SealedEvent[]): Promise<OpenedProperties[]> {
  const keys = await unwrapSubjectKeys(tx, kernelKeyStore(), ctx.tenantId, [...new Set(rows.map(eventSubjectId))]);
  const failed: Array<{ row: SealedEvent; error: VaultDecryptError }> = [];
  const opened = rows.map((row): OpenedProperties => {
    const stored = row.properties as StoredProperties | null;
    if (stored?.unrecoverable === true) return { withheld: 'unrecoverable' };
    const subjectKeys = keys.get(eventSubjectId(row));
    // No key: the subject was erased (its key shredded); nothing of it can be opened.
    if (!subjectKeys) return { withheld: 'erased' };
    const sealed = stored?.[propertiesField];
    // Anything but a sealed string is a value that bypassed the vault: refuse, do not pass it on.
    if (typeof sealed !== 'string')
      return openOrIntegrityError('event', () => {
        throw new VaultDecryptError(`Properties of event ${row.id} are not sealed.`);
      });
    try {
      return { properties: openValue(subjectKeys, boundField(row.id), sealed) as Record<string, EventPropertyValue> };
    } catch (error) {
      if (!(error instanceof VaultDecryptError)) throw error;
      failed.push({ row, error });
      return { withheld: 'unrecoverable' };
    }
  });
  if (failed.length > 0) await requireMergeBefore(tx, ctx, failed);
  return opened;
}

/** Refuses (integrity_error) the first failed value that no earlier merge of its contact explains. */
async function requireMergeBefore(tx: Executor, ctx: PurposeContext, failed: ReadonlyArray<{ row: SealedEvent; error: VaultDecryptError }>): Promise<void> {
  const contactOf = (row: SealedEvent) => (row.visitorId === null ? row.contactId : null);
  const mergedAt = await latestActionTimes(
    tx,
    ctx.tenantId,
    failed.flatMap(({ row }) => contactOf(row) ?? []),
    contactMergedAction,
  );
  for (const { row, error } of failed) {
    const merged = mergedAt.get(contactOf(row) ?? '');
    if (!merged || row.receivedAt.getTime() > merged.getTime())
      openOrIntegrityError('event', () => {
        throw error;
      });
  }
}
