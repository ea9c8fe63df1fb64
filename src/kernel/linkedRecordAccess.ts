import { sql } from 'drizzle-orm';
import type { Executor, Transaction } from '../db/connection.ts';
import { rowsOf } from '../db/rows.ts';
import { DomainError } from '../shared/domainError.ts';
import type { PurposeContext } from './accessContext.ts';
import { recordAudit } from './audit.ts';
import { inTransaction } from './audit/head.ts';
import { personalDataCategoryPattern } from './catalog/dataCategories.ts';
import type { SubjectReason } from './policy/decide.ts';
import type { PolicyPurpose } from './policy/policyPurpose.ts';
import { requireGrantedPurpose } from './policy/purposeGrant.ts';
import { subjectDenialsOf } from './subjectRules.ts';

/*
 * Reads of the records that are not data subjects but name them: deals (their contacts),
 * purchases (the buyer) and companies (none). Their columns hold no personal values, yet
 * who is in a deal or bought what is the linked person's data. Every read passes here:
 * the purpose grant once (403 before anything is read, the refusal audited), the CRM's
 * query for the page, ONE query for the subject rules of every person the page links to
 * (and of a person the request filters by), then ONE audit entry naming those people by
 * pseudonym. A linked person the purpose may not process (erased, restricted, objected, no
 * live consent) is not revealed as linked: the link is dropped and `withheld` says why. A
 * filter by such a person returns an empty page, since the page itself would reveal the links.
 */

export type LinkedObject = 'deal' | 'purchase' | 'company';

/**
 * Why a value of a linked record is withheld: a subject rule of the person it names, or
 * (personal_data_without_subject) a company or deal custom value stored under a personal
 * data category before such definitions were refused; nobody's key can erase it, so it is
 * never shown.
 */
export type LinkedWithheldReason = SubjectReason | 'personal_data_without_subject';
export type LinkedWithheld = { field: string; reason: LinkedWithheldReason };

/** How a record names the people it links to. */
export type PersonLinks<Row> = {
  /** The response field that names them, e.g. contactIds. */
  field: string;
  of(row: Row): readonly string[];
  /** The row naming only `kept` of its people. */
  keep(row: Row, kept: string[]): Row;
};

/** How a record holds custom values (companies, deals). */
export type CustomValues<Row> = {
  of(row: Row): Record<string, unknown>;
  keep(row: Row, kept: Record<string, unknown>): Row;
};

export type LinkedRecordRead<Row, Page extends { rows: Row[] }> = {
  object: LinkedObject;
  /** The audit action, e.g. deal.read or deal.listed. */
  action: string;
  /** The CRM's query for the page (non-personal columns and the ids of the linked people). */
  read(tx: Transaction): Promise<Page>;
  recordId(row: Row): string;
  people?: PersonLinks<Row>;
  customValues?: CustomValues<Row>;
  /** People the request filters by (e.g. ?contactId=), with the parameter's name. */
  filteredBy?: { field: string; contactIds: readonly string[] };
};

export type LinkedRecords<Page> = Page & { withheld: LinkedWithheld[] };

/** The keys of the object's custom fields declared with a personal data category (none may be, since issue 7). */
async function personalCustomKeys(tx: Executor, ctx: PurposeContext, object: LinkedObject): Promise<Set<string>> {
  const result = await tx.execute(sql`
    select key from custom_field_definitions
    where tenant_id = ${ctx.tenantId}::uuid and object = ${object}
      and (data_category = 'user' or data_category like ${personalDataCategoryPattern})`);
  return new Set(rowsOf<{ key: string }>(result).map((row) => row.key));
}

class WithheldSet {
  private readonly entries = new Map<string, LinkedWithheld>();
  add(field: string, reason: LinkedWithheldReason): void {
    this.entries.set(`${field}\u0000${reason}`, { field, reason });
  }
  get list(): LinkedWithheld[] {
    return [...this.entries.values()];
  }
}

/** The purpose, refusing 403 when the role lacks it; the refusal is audited (outside any caller's rollback when given the database). */
async function grantedPurpose(executor: Executor, ctx: PurposeContext, object: LinkedObject, action: string): Promise<PolicyPurpose> {
  try {
    return await requireGrantedPurpose(executor, ctx);
  } catch (error) {
    if (error instanceof DomainError && error.code === 'purpose_not_granted') {
      await recordAudit(executor, ctx, { action, object, decision: 'deny', reasons: ['role_not_granted'] });
    }
    throw error;
  }
}

/** A page of deals, purchases or companies through the policy; see the file comment. */
export async function readLinkedRecords<Row, Page extends { rows: Row[] }>(
  executor: Executor,
  ctx: PurposeContext,
  spec: LinkedRecordRead<Row, Page>,
): Promise<LinkedRecords<Page>> {
  const purpose = await grantedPurpose(executor, ctx, spec.object, spec.action);
  return inTransaction(executor, async (tx) => {
    const page = await spec.read(tx);
    const filterIds = spec.filteredBy?.contactIds ?? [];
    const linked = [...new Set(page.rows.flatMap((row) => spec.people?.of(row) ?? []))];
    const denials = await subjectDenialsOf(tx, ctx, purpose, [...filterIds, ...linked]);
    const withheld = new WithheldSet();

    const refusedFilter = filterIds.filter((id) => denials.has(id));
    if (spec.filteredBy && refusedFilter.length > 0) {
      for (const id of refusedFilter) for (const reason of denials.get(id)!) withheld.add(spec.filteredBy.field, reason);
      await recordAudit(tx, ctx, { action: spec.action, object: spec.object, decision: 'deny', reasons: withheld.list, subjectIds: [...filterIds] });
      // Neither the rows nor how many there are: a count would say as much about the person.
      const nothing = 'count' in page ? { count: { total: 0, totalIsLowerBound: false } } : {};
      return { ...page, rows: [], ...nothing, withheld: withheld.list };
    }

    const hiddenKeys = spec.customValues ? await personalCustomKeys(tx, ctx, spec.object) : new Set<string>();
    let revealed = false;
    const rows = page.rows.map((row) => {
      let kept = row;
      if (spec.people) {
        const people = spec.people.of(row);
        const allowed = people.filter((id) => !denials.has(id));
        for (const id of people) for (const reason of denials.get(id) ?? []) withheld.add(spec.people.field, reason);
        revealed ||= allowed.length > 0;
        if (allowed.length !== people.length) kept = spec.people.keep(kept, allowed);
      }
      if (spec.customValues && hiddenKeys.size > 0) {
        const values = spec.customValues.of(kept);
        const hidden = Object.keys(values).filter((key) => hiddenKeys.has(key));
        for (const key of hidden) withheld.add(`customFields.${key}`, 'personal_data_without_subject');
        if (hidden.length > 0) kept = spec.customValues.keep(kept, Object.fromEntries(Object.entries(values).filter(([key]) => !hiddenKeys.has(key))));
      }
      return kept;
    });
    await recordAudit(tx, ctx, {
      action: spec.action,
      object: spec.object,
      recordIds: rows.map(spec.recordId),
      fields: revealed && spec.people ? [spec.people.field] : [],
      decision: withheld.list.length > 0 ? 'partial' : 'allow',
      reasons: withheld.list,
      // Everyone the page links to: the people whose links were shown and those withheld.
      subjectIds: [...new Set([...filterIds, ...linked])],
    });
    return { ...page, rows, withheld: withheld.list };
  });
}
