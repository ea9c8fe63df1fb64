import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { purposes } from '../db/schema/index.ts';
import type { Role } from '../shared/roles.ts';
import {
  actorKey,
  appendAudit,
  dataUseProblem,
  defaultRoleGrants,
  forgetPurposeGrants,
  insertRoleGrants,
  isLegalBasis,
  settingsDiff,
  toPolicyPurpose,
  type AccessContext,
  type LegalBasis,
} from '../kernel/index.ts';
import { DomainError, staleVersion, type FieldIssue } from '../shared/domainError.ts';
import { defaultRetentionAnchor, type RetentionAction, type RetentionAnchor } from '../shared/retentionRules.ts';
import { publishFirstNotices } from './notices/firstNotice.ts';
import type { Purpose } from './purposes.ts';

/*
 * Creating and changing a workspace's purposes. Each is audited in the same transaction
 * with its non-personal settings. A purpose created later gets the default role grants
 * its data use earns (the same rules a new workspace's purposes get), so it is usable at
 * once by the roles whose work it is; admins change grants afterwards. It starts with notice
 * version 1, published from its description (src/privacy/notices/).
 */

export const purposeKeyPattern = /^[a-z][a-z0-9_]{0,62}$/;
export const maxRetentionDays = 36_500;

export type NewPurpose = {
  key: string;
  description: string;
  legalBasis: LegalBasis;
  dataUse: string;
  retentionDays: number;
  /** Default: consent_withdrawal for a consent purpose, last_interaction otherwise. */
  retentionAnchor?: RetentionAnchor;
  retentionAction?: RetentionAction;
};
export type PurposeChange = {
  description?: string;
  legalBasis?: LegalBasis;
  dataUse?: string;
  retentionDays?: number;
  retentionAnchor?: RetentionAnchor;
  retentionAction?: RetentionAction;
  /** How long a consent given or renewed counts (null: until withdrawn); consent purposes only. */
  consentValidityDays?: number | null;
};
export const maxConsentValidityDays = 36_500;

function settingProblems(input: { key?: string; description?: string; legalBasis?: string; dataUse?: string; retentionDays?: number }): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (input.key !== undefined && !purposeKeyPattern.test(input.key))
    issues.push({ field: 'key', reason: 'use snake_case: a lowercase letter, then lowercase letters, digits or _ (at most 63)' });
  if (input.description !== undefined && (input.description.trim().length === 0 || input.description.length > 1000)) {
    issues.push({ field: 'description', reason: 'a plain-language description of 1–1000 characters' });
  }
  if (input.legalBasis !== undefined && !isLegalBasis(input.legalBasis)) issues.push({ field: 'legalBasis', reason: 'one of the GDPR Art. 6(1) bases' });
  const useProblem = input.dataUse === undefined ? null : dataUseProblem(input.dataUse);
  if (useProblem) issues.push({ field: 'dataUse', reason: useProblem });
  if (input.retentionDays !== undefined && (!Number.isInteger(input.retentionDays) || input.retentionDays < 1 || input.retentionDays > maxRetentionDays)) {
    issues.push({ field: 'retentionDays', reason: `whole days, 1–${maxRetentionDays}` });
  }
  return issues;
}

function refuse(issues: FieldIssue[]): never {
  throw new DomainError('validation_failed', issues.map((issue) => `${issue.field}: ${issue.reason}`).join('; '), issues);
}

/** Creates a purpose and grants it to the roles whose default rules cover its data use. Audited. */
export async function createPurpose(tx: Executor, ctx: AccessContext, input: NewPurpose): Promise<{ purpose: Purpose; grantedRoles: Role[] }> {
  const issues = settingProblems(input);
  if (issues.length > 0) refuse(issues);
  const now = new Date();
  const [row] = await tx
    .insert(purposes)
    .values({
      tenantId: ctx.tenantId,
      key: input.key,
      description: input.description.trim(),
      legalBasis: input.legalBasis,
      dataUse: input.dataUse,
      retentionDays: input.retentionDays,
      retentionAnchor: input.retentionAnchor ?? defaultRetentionAnchor(input.legalBasis),
      retentionAction: input.retentionAction ?? 'erase',
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new DomainError('conflict', 'This workspace already has a purpose with this key.', [{ field: 'key', reason: 'already defined' }]);
  await publishFirstNotices(tx, ctx.tenantId, [row], actorKey(ctx.actor));
  const grants = defaultRoleGrants([toPolicyPurpose(row)]);
  await insertRoleGrants(tx, ctx.tenantId, grants);
  const grantedRoles = grants.map((grant) => grant.role);
  await appendAudit(tx, ctx, {
    action: 'purpose.created',
    object: 'purpose',
    // Purposes are keyed by name, not by id (recordIds holds ids), so the key goes in the detail.
    detail: {
      purpose: row.key,
      legalBasis: row.legalBasis,
      dataUse: row.dataUse,
      retentionDays: row.retentionDays,
      retentionAnchor: row.retentionAnchor,
      retentionAction: row.retentionAction,
      grantedRoles,
    },
  });
  return { purpose: row, grantedRoles };
}

const changeableSettings = ['description', 'legalBasis', 'dataUse', 'retentionDays', 'retentionAnchor', 'retentionAction', 'consentValidityDays'] as const;

/**
 * Changes a purpose's description, data use, retention (period, anchor, action) or consent validity (If-Match version required by
 * the route). The legal basis is fixed once set: personal data collected under one basis
 * may not be processed on another in hindsight (EDPB Guidelines 05/2020, §121–123), so a
 * new basis needs a new purpose. Audited with each setting's before and after.
 */
export async function changePurpose(tx: Executor, ctx: AccessContext, key: string, change: PurposeChange, expectedVersion: number): Promise<Purpose> {
  const [current] = await tx
    .select()
    .from(purposes)
    .where(and(eq(purposes.tenantId, ctx.tenantId), eq(purposes.key, key)))
    .for('update');
  if (!current) throw new DomainError('not_found', 'This workspace has no purpose with that key.');
  if (current.version !== expectedVersion) {
    throw staleVersion(current.version, 'purpose');
  }
  const issues = settingProblems(change);
  const validity = change.consentValidityDays;
  if (validity !== undefined && validity !== null) {
    if (!Number.isInteger(validity) || validity < 1 || validity > maxConsentValidityDays) {
      issues.push({ field: 'consentValidityDays', reason: `whole days, 1–${maxConsentValidityDays}, or null for no expiry` });
    } else if (current.legalBasis !== 'consent') issues.push({ field: 'consentValidityDays', reason: 'only a purpose on the consent basis has consents' });
  }
  if (change.legalBasis !== undefined && change.legalBasis !== current.legalBasis) {
    issues.push({ field: 'legalBasis', reason: 'a purpose keeps the legal basis its data was collected under; create a new purpose for a different basis' });
  }
  if (issues.length > 0) refuse(issues);
  const next = { ...current, ...change, description: change.description?.trim() ?? current.description };
  const { changed, detail } = settingsDiff(current, next, changeableSettings);
  if (changed.length === 0) return current;
  forgetPurposeGrants(tx);
  const [row] = await tx
    .update(purposes)
    .set({
      description: next.description,
      dataUse: next.dataUse,
      retentionDays: next.retentionDays,
      retentionAnchor: next.retentionAnchor,
      retentionAction: next.retentionAction,
      // Applies to consents given or renewed from now on; an expiry already recorded stands.
      consentValidityDays: next.consentValidityDays,
      updatedAt: new Date(),
      version: sql`${purposes.version} + 1`,
    })
    .where(and(eq(purposes.tenantId, ctx.tenantId), eq(purposes.key, key)))
    .returning();
  await appendAudit(tx, ctx, { action: 'purpose.changed', object: 'purpose', detail: { purpose: key, ...detail } });
  return row!;
}
