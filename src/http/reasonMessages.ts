import type { FastifyInstance } from 'fastify';
import type { DenyReason, LinkedWithheldReason, SubjectReason } from '../kernel/index.ts';

/*
 * The plain-language messages beside reason codes, in one place: why a field is `withheld`
 * from a record, and why people were left out of a list (`?explain=true`). The code is for
 * programs; the message is what a person reading the response (or a screen showing it) is
 * told. Keyed by every reason the kernel gives, so a new reason without a message does not
 * type-check. Messages name the request's purpose, never a person or a value.
 */

export type WithheldReason = DenyReason | LinkedWithheldReason;

const withheldMessages: Record<WithheldReason, (purpose: string) => string> = {
  field_not_declared_for_purpose: (purpose) => `not declared for ${purpose}: the data catalog does not let this purpose use the field`,
  role_not_granted: (purpose) => `your role is not granted ${purpose}`,
  erased: () => 'erased: the person asked for their data to be deleted',
  restricted: () => 'restricted by the person: their data may not be processed for now (GDPR Art. 18)',
  objected: (purpose) => `the person objected to ${purpose} (GDPR Art. 21)`,
  no_live_consent: (purpose) => `no consent to ${purpose}: the person has not given it, or withdrew it, or it expired`,
  unrecoverable: () => 'unrecoverable: sealed under a key that no longer exists, so no one can read it',
  personal_data_without_subject: () =>
    'personal data on a record with no person whose key could erase it: never shown; remove the value or delete the custom field',
};

const leftOutMessages: Record<SubjectReason, (purpose: string) => string> = {
  erased: () => 'erased at their request',
  restricted: () => 'restricted the processing of their data (GDPR Art. 18)',
  objected: (purpose) => `objected to ${purpose} (GDPR Art. 21)`,
  no_live_consent: (purpose) => `no consent to ${purpose}: never given, withdrawn or expired`,
};

/** Why people were left out of a list for a purpose, in plain language. */
export const leftOutMessage = (reason: SubjectReason, purpose: string): string => leftOutMessages[reason](purpose);

const isKnownReason = (reason: string): reason is WithheldReason => Object.hasOwn(withheldMessages, reason);

/** The message for a withheld code under a purpose (`this purpose` when the request has none). */
export function withheldMessage(reason: string, purpose: string | null): string {
  return isKnownReason(reason) ? withheldMessages[reason](purpose ?? 'this purpose') : reason.replaceAll('_', ' ');
}

type WithheldEntry = { field: string; reason: string; message?: string };

function hasWithheld(payload: unknown): payload is { withheld: WithheldEntry[] } {
  return typeof payload === 'object' && payload !== null && Array.isArray((payload as { withheld?: unknown }).withheld);
}

/**
 * Adds the message to every `withheld` entry of every JSON response, after the handler and
 * before serialisation, so routes return `{ field, reason }` and cannot forget it.
 */
export function registerWithheldMessages(app: FastifyInstance): void {
  app.addHook('preSerialization', async (request, _reply, payload) => {
    if (!hasWithheld(payload)) return payload;
    const withheld = payload.withheld.map((entry) => ({ ...entry, message: entry.message ?? withheldMessage(entry.reason, request.purpose) }));
    return { ...payload, withheld };
  });
}
