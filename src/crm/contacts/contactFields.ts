import { builtInContactFields, normalizeExternalId, type ContactRecord, type PersonalValues } from '../../kernel/index.ts';
import type { FieldIssue } from '../../shared/domainError.ts';
import { normalizeEmail, normalizePhone } from '../../shared/normalize.ts';
import { LIFECYCLE_STAGES } from '../import/rowValidation.ts';
import { personalFieldByApiName } from '../../shared/contactFieldNames.ts';

// The API speaks camelCase; the kernel stores personal values under snake_case names.
export const lifecycleStages = LIFECYCLE_STAGES;
export type LifecycleStage = (typeof lifecycleStages)[number];
/** How Candor got the data (GDPR Art. 14/15): a web form, a file import, the API, or staff entry. */
export const contactSources = ['form', 'import', 'api', 'staff'] as const;
export type ContactSource = (typeof contactSources)[number];

export { personalFieldByApiName };
export type ContactPersonalApiField = keyof typeof personalFieldByApiName;
export const contactPersonalApiFields = Object.keys(personalFieldByApiName) as ContactPersonalApiField[];

/** Personal fields as sent by a client; null removes a value on update. */
export type ContactPersonalInput = Partial<Record<ContactPersonalApiField, string | null>>;

export type ContactView = {
  id: string;
  ownerId: string | null;
  companyId: string | null;
  lifecycleStage: string;
  source: string;
  importBatchId: string | null;
  lastActivityAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
  customFields: Record<string, unknown>;
} & Partial<Record<ContactPersonalApiField, string>>;

const builtIn = new Set<string>(builtInContactFields);

/** The API shape of a stored contact: built-in personal values by API name, the rest as custom fields. */
export function contactView(record: ContactRecord): ContactView {
  const view: ContactView = {
    id: record.id,
    ownerId: record.ownerId,
    companyId: record.companyId,
    lifecycleStage: record.lifecycleStage,
    source: record.source,
    importBatchId: record.importBatchId,
    lastActivityAt: record.lastActivityAt?.toISOString() ?? null,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
    version: record.version,
    customFields: {},
  };
  for (const apiName of contactPersonalApiFields) {
    const value = record.personal[personalFieldByApiName[apiName]];
    if (typeof value === 'string') view[apiName] = value;
  }
  for (const [key, value] of Object.entries(record.personal)) {
    if (!builtIn.has(key)) view.customFields[key] = value;
  }
  return view;
}

/**
 * Turns the personal fields of a request into stored values: trimmed, e-mail normalised
 * (lower-case) and phone checked. A national phone number ("(555) 010-0102") is stored in
 * E.164 for the workspace's default region (+15550100102 in US), so it means the same
 * number whatever the region becomes later; one written with its country code is kept as
 * typed (its index is E.164 already). Empty strings count as null (remove). Issues name
 * the API field and never quote the value.
 */
export function personalChanges(input: ContactPersonalInput, defaultRegion?: string): { changes: PersonalValues; issues: FieldIssue[] } {
  const changes: PersonalValues = {};
  const issues: FieldIssue[] = [];
  for (const apiName of contactPersonalApiFields) {
    if (!(apiName in input) || input[apiName] === undefined) continue;
    const raw = input[apiName];
    const value = typeof raw === 'string' ? raw.trim() : null;
    const field = personalFieldByApiName[apiName];
    if (!value) {
      changes[field] = null;
    } else if (apiName === 'email') {
      const email = normalizeEmail(value);
      if (email) changes[field] = email;
      else issues.push({ field: 'email', reason: 'not a valid e-mail address' });
    } else if (apiName === 'externalId') {
      changes[field] = normalizeExternalId(value);
    } else if (apiName === 'phone') {
      const phone = normalizePhone(value, defaultRegion);
      // Only a national number the region turned into E.164 is rewritten; anything else is kept as typed.
      if (phone) changes[field] = isNationalPhone(value) && phone.startsWith('+') ? phone : value;
      else issues.push({ field: 'phone', reason: 'not a valid phone number' });
    } else {
      changes[field] = value;
    }
  }
  return { changes, issues };
}

/** A phone number typed without its country code, which only the workspace's default region completes. */
export function isNationalPhone(phone: unknown): boolean {
  return typeof phone === 'string' && phone.trim() !== '' && normalizePhone(phone.trim())?.startsWith('+') !== true;
}

const apiNameByPersonalField = new Map<string, string>(Object.entries(personalFieldByApiName).map(([api, stored]) => [stored, api]));

/** The API name of a stored personal field ("first_name" → "firstName", custom "tier" → "customFields.tier"). */
export const apiFieldName = (personalField: string) => apiNameByPersonalField.get(personalField) ?? `customFields.${personalField}`;

/** Normalised e-mail and phone of stored personal values, for duplicate detection. */
export function identifiersOf(personal: PersonalValues): { email: string | null; phone: string | null } {
  const email = typeof personal.email === 'string' ? normalizeEmail(personal.email) : null;
  const phone = typeof personal.phone === 'string' ? normalizePhone(personal.phone) : null;
  return { email, phone };
}

/** Withheld fields by their API names, for a response's `withheld`. */
export function apiWithheld(withheld: ReadonlyArray<{ field: string; reason: string }>): Array<{ field: string; reason: string }> {
  return withheld.map((entry) => ({ field: apiFieldName(entry.field), reason: entry.reason }));
}
