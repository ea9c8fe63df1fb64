// Record keys and PRNG stream ids in one place: every generator must agree on them for
// cross-references (a deal's companyKey, an activity's dealKey) to resolve.

export const companyKey = (index: number): string => `company-${index}`;
export const contactKey = (index: number): string => `contact-${index}`;
export const dealKey = (index: number): string => `deal-${index}`;
export const activityKey = (index: number): string => `activity-${index}`;

/** Inverse of the key builders, so related records can be regenerated from a key alone. */
export function indexFromKey(key: string): number {
  const index = Number(key.slice(key.lastIndexOf('-') + 1));
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`Not a demo key: ${key}`);
  return index;
}

/**
 * Independent random streams. Attributes that other generators need to look up cheaply
 * (a contact's company, stage and creation time) get a stream of their own, so reading
 * them does not require regenerating the whole record.
 */
export const Stream = {
  company: 1,
  contact: 2,
  contactCompany: 3,
  contactStage: 4,
  contactCreated: 5,
  deal: 6,
  activity: 7,
  purchase: 8,
  event: 9,
  visitor: 10,
  consent: 11,
} as const;

export function assertCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
}
