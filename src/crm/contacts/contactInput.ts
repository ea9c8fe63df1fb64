import type { Executor } from '../../db/connection.ts';
import { newId } from '../../db/ids.ts';
import { assertFieldsPermitted, type AccessContext, type ContactPolicy, type NewContact, type PersonalValues } from '../../kernel/index.ts';
import type { Change } from '../../platform/changes.ts';
import { DomainError, type FieldIssue } from '../../shared/domainError.ts';
import { workspaceDefaultRegion } from '../../accounts/workspaces.ts';
import { checkCustomValues, customFieldDefinitionsOf, type CustomFieldDefinitions } from '../customFields/values.ts';
import { apiFieldName, isNationalPhone, personalChanges, type ContactPersonalInput, type ContactSource, type LifecycleStage } from './contactFields.ts';
import { defaultOwnerId, existingCompanyIds, existingOwnerIds, refuseUnknownCompany, refuseUnknownOwner } from './references.ts';

/*
 * What a contact create or update brings, and the checks it passes, shared by POST and
 * PATCH /contacts (one record) and the set-wise creates of a batch (many). What the checks
 * need from the database — the workspace's default region, its contact custom field
 * definitions, the owners and companies named — is loaded once for all the records (one
 * query per kind, none when no record needs it); each record is then checked in memory,
 * always in the same order, so a record gets the same refusal on either path.
 */

export type ContactChangeInput = ContactPersonalInput & {
  ownerId?: string | null;
  companyId?: string | null;
  lifecycleStage?: LifecycleStage;
  customFields?: Record<string, unknown>;
};
export type ContactCreateInput = ContactChangeInput & { source?: ContactSource };
export type DuplicatePolicy = { allowDuplicate?: boolean };

/** What checking personal and custom values needs: the region only for a national phone number. */
export type ContactValueSetting = { region?: string; definitions: CustomFieldDefinitions };
/** What checking creates needs besides: which of the owners and companies they name exist. */
export type ContactCreateSetting = ContactValueSetting & { owners: ReadonlySet<string>; companies: ReadonlySet<string> };

const noDefinitions: CustomFieldDefinitions = new Map();

export async function loadValueSetting(tx: Executor, ctx: AccessContext, inputs: readonly ContactChangeInput[]): Promise<ContactValueSetting> {
  const region = inputs.some((input) => isNationalPhone(input.phone)) ? await workspaceDefaultRegion(tx, ctx.tenantId) : undefined;
  const custom = inputs.some((input) => Object.keys(input.customFields ?? {}).length > 0);
  return { region, definitions: custom ? await customFieldDefinitionsOf(tx, ctx, 'contact') : noDefinitions };
}

export async function loadCreateSetting(tx: Executor, ctx: AccessContext, inputs: readonly ContactChangeInput[]): Promise<ContactCreateSetting> {
  const named = (key: 'ownerId' | 'companyId') => inputs.flatMap((input) => (input[key] ? [input[key]] : []));
  return {
    ...(await loadValueSetting(tx, ctx, inputs)),
    owners: await existingOwnerIds(tx, ctx, named('ownerId')),
    companies: await existingCompanyIds(tx, ctx, named('companyId')),
  };
}

/** A record's personal and custom values as the kernel stores them; 422 naming each field that is not valid. */
export function personalValuesOf(input: ContactChangeInput, setting: ContactValueSetting): PersonalValues {
  const { changes, issues } = personalChanges(input, setting.region);
  refuse(issues);
  return { ...changes, ...checkCustomValues(setting.definitions, 'contact', input.customFields) };
}

function refuse(issues: FieldIssue[]): void {
  if (issues.length > 0) throw new DomainError('validation_failed', issues.map((issue) => `${issue.field}: ${issue.reason}`).join('; '), issues);
}

/**
 * The new contact a create stores, from its checked values (personalValuesOf, then the
 * purpose's grant): refuses the fields the purpose may not write, then an unknown owner or
 * company. Empty values are simply not stored.
 */
export function newContactOf(
  ctx: AccessContext,
  policy: ContactPolicy,
  input: ContactCreateInput,
  values: PersonalValues,
  setting: ContactCreateSetting,
): NewContact {
  const personal = Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null));
  assertFieldsPermitted(policy, Object.keys(personal), { fieldName: apiFieldName });
  if (input.ownerId) refuseUnknownOwner(setting.owners, input.ownerId);
  if (input.companyId) refuseUnknownCompany(setting.companies, input.companyId);
  return {
    id: newId(),
    ownerId: input.ownerId === undefined ? defaultOwnerId(ctx) : input.ownerId,
    companyId: input.companyId ?? null,
    lifecycleStage: input.lifecycleStage ?? 'lead',
    source: input.source ?? 'api',
    personal,
  };
}

/** The 409 of a create or change whose e-mail address other contacts hold. */
export function duplicateEmailError(holders: string[]): DomainError {
  return new DomainError(
    'duplicate',
    'Another contact has this e-mail address. Merge them (POST /contacts/{id}/merge) or send ?allowDuplicate=true.',
    [{ field: 'email', reason: 'already used by another contact' }],
    { duplicateIds: holders },
  );
}

/** API names of the fields a request sets (values never leave here). */
export function changedFieldNames(input: ContactCreateInput): string[] {
  const names = Object.keys(input).filter((name) => name !== 'customFields' && input[name as keyof typeof input] !== undefined);
  return [...names, ...Object.keys(input.customFields ?? {}).map((key) => `customFields.${key}`)];
}

/** The change recorded for a contact created from `input`. */
export const contactCreated = (id: string, input: ContactCreateInput): Change => ({
  object: 'contact',
  recordId: id,
  kind: 'created',
  fields: changedFieldNames(input),
});
