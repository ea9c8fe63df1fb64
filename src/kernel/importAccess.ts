import type { Executor, Transaction } from '../db/connection.ts';
import type { ConsentEvidence } from './consentRecords.ts';
import { publishStagedConsents } from './importConsentPublish.ts';
import type { PurposeContext } from './accessContext.ts';
import { assertFieldsPermitted, contactPolicy, type WriteOptions } from './contactAccess.ts';
import { subjectRulesRefusal, writeDenialsOf } from './subjectRules.ts';
import {
  abandonStagedRows,
  discardStagedRows,
  publishLinkedCompanies,
  publishStagedCompanies,
  publishStagedCompanyUpdates,
  publishStagedContactUpdates,
  publishStagedContacts,
  stagedUpdateIds,
  stageImportRows,
  type StagedRow,
} from './importStaging.ts';

/*
 * CSV imports through the kernel's door: staging is the moment personal values enter
 * Candor, so it passes the same decision as POST /contacts — the role must hold the
 * purpose, and every field a row carries must be declared for it (403 naming the fields
 * otherwise, before anything is stored). Publishing and abandoning a batch check the grant
 * again: they move or shred what was staged under it.
 */

export type ImportObject = 'contact' | 'company';
/** Records created, the ids of existing records updated (upsert imports), companies created for contact rows, consent events (and how many were already expired). */
export type PublishedImport = { imported: number; updatedIds: string[]; companiesCreated: number; consents: { recorded: number; expired: number } };

/** Seals and stages a chunk of rows after checking the grant and every personal field they carry. */
export async function stagePermittedImportRows(
  tx: Executor,
  ctx: PurposeContext,
  batchId: string,
  rows: StagedRow[],
  options: WriteOptions = {},
): Promise<void> {
  const policy = options.policy ?? (await contactPolicy(tx, ctx, 'import.staged'));
  const fields = new Set(rows.flatMap((row) => (row.personal ? Object.keys(row.personal) : [])));
  assertFieldsPermitted(policy, fields, options);
  await stageImportRows(tx, ctx, batchId, rows);
}

/**
 * Publishes a staged batch (companies it names first, then its records, then the consents its
 * contact rows carry, with `consentEvidence` sealed as each event's evidence) and empties
 * its staging area.
 */
export async function publishPermittedImport(
  tx: Transaction,
  ctx: PurposeContext,
  batchId: string,
  object: ImportObject,
  now: Date,
  consentEvidence: ConsentEvidence = {},
): Promise<PublishedImport> {
  const policy = await contactPolicy(tx, ctx, 'import.published');
  const at = now.toISOString();
  let published: PublishedImport;
  if (object === 'contact') {
    const companiesCreated = await publishLinkedCompanies(tx, ctx, batchId, at);
    // The subject rules hold for an import's updates as for PATCH /contacts (the resolver
    // refuses such rows while staging; this catches a restriction recorded since), checked
    // before any of their values is opened.
    const denials = await writeDenialsOf(tx, ctx, policy.purpose, await stagedUpdateIds(tx, ctx, batchId), now);
    if (denials.size > 0) {
      throw subjectRulesRefusal(
        policy.purpose,
        [...new Set([...denials.values()].flat())].map((reason) => ({ field: 'row', reason })),
      );
    }
    const imported = await publishStagedContacts(tx, ctx, batchId, now);
    const updatedIds = await publishStagedContactUpdates(tx, ctx, batchId, now);
    const { appended, expired } = await publishStagedConsents(tx, ctx, batchId, consentEvidence);
    published = { imported, updatedIds, companiesCreated, consents: { recorded: appended, expired } };
  } else {
    published = {
      imported: await publishStagedCompanies(tx, ctx, batchId, at),
      updatedIds: await publishStagedCompanyUpdates(tx, ctx, batchId, at),
      companiesCreated: 0,
      consents: { recorded: 0, expired: 0 },
    };
  }
  await discardStagedRows(tx, ctx, batchId);
  return published;
}

/** Drops what a batch that will not be published staged, shredding the keys its rows were sealed under. */
export async function abandonPermittedImport(tx: Executor, ctx: PurposeContext, batchId: string): Promise<number> {
  await contactPolicy(tx, ctx, 'import.abandoned');
  return abandonStagedRows(tx, ctx, batchId);
}
