import { isUuid } from '../db/ids.ts';

/**
 * A job's data: ids and machine keys only. Job rows outlive the records they name and are
 * not covered by the privacy kernel, so a personal value must never be copied into one;
 * the handler re-reads what it needs by id.
 */
export type JobPayload = Readonly<Record<string, string | number | boolean | null>>;

// Machine keys such as event types or purpose keys ("contact.created", "email_marketing").
const machineKey = /^[a-z][a-z0-9_.:-]{0,63}$/;

/**
 * Refuses anything that could be a personal value: strings must be UUIDs or lowercase
 * machine keys, so e-mail addresses, phone numbers, names with capitals or spaces and free
 * text are rejected before they reach the job table.
 */
export function assertJobPayload(queue: string, payload: unknown): asserts payload is JobPayload {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new Error(`Job payload for "${queue}" must be an object of ids.`);
  }
  for (const [key, value] of Object.entries(payload)) {
    const allowed =
      value === null ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value)) ||
      (typeof value === 'string' && (isUuid(value) || machineKey.test(value)));
    // The key is named, never the value.
    if (!allowed) throw new Error(`Job payload field "${key}" for "${queue}" must be an id, a machine key, a number or a boolean.`);
  }
}
