import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { rowsOf } from '../../db/rows.ts';
import { DomainError } from '../../shared/domainError.ts';
import type { AccessContext } from '../accessContext.ts';
import type { Catalog } from '../catalog/fieldDeclaration.ts';
import { tableConsentStore, type ConsentStore } from './consentStore.ts';
import { subjectReasons, type DenyReason, type SubjectReason } from './decide.ts';
import { permittedFields } from './permittedFields.ts';
import { permittedSubjectsCondition, subjectReasonConditions } from './permittedSubjects.ts';
import type { PolicyPurpose } from './policyPurpose.ts';
import { loadPurposeGrant } from './purposeGrant.ts';

/*
 * The policy decided set-wise: which of a set of subjects, and which of their fields, the
 * context may read for its purpose, with what was withheld and why. Three statements
 * whatever the number of subjects: the purpose with the role's grant, the reason counts,
 * and the permitted ids (skipped when the role holds no grant).
 */

/** Objects whose rows are their own data subjects. */
export type SubjectObject = 'contact' | 'visitor';
const subjectTables: Record<SubjectObject, SQL> = { contact: sql.raw('contacts'), visitor: sql.raw('visitors') };

export type WithheldField = { field: string; reason: DenyReason; subjects: number };

export type PermittedRead = {
  purpose: PolicyPurpose;
  /** Subjects (of those asked for, that exist in the workspace) whose rows may be read, sorted. */
  subjectIds: string[];
  /** Fields that may be read of every permitted subject. */
  fields: string[];
  /** For each withheld field, each reason and how many of the subjects asked for it withheld it from. */
  withheld: WithheldField[];
};

export type ReadPermittedOptions = {
  catalog: Catalog;
  object: SubjectObject;
  /** The subjects asked for, or every subject of the object in the workspace. */
  subjects: readonly string[] | 'all';
  now?: Date;
  consentStore?: ConsentStore;
};


export async function readPermitted(tx: Executor, ctx: AccessContext, options: ReadPermittedOptions): Promise<PermittedRead> {
  if (!ctx.purpose) throw new DomainError('purpose_required', 'Reading personal data needs a purpose.');
  const now = options.now ?? new Date();
  const consentStore = options.consentStore ?? tableConsentStore;
  const { purpose, granted } = await loadPurposeGrant(tx, { ...ctx, purpose: ctx.purpose });
  const columns = permittedFields(options.catalog, options.object, { grantedPurposes: granted ? new Set([purpose.key]) : new Set() }, purpose);

  const table = subjectTables[options.object];
  const subjectId = sql`s.id`;
  const inScope = options.subjects === 'all'
    ? sql`s.tenant_id = ${ctx.tenantId}::uuid`
    : sql`s.tenant_id = ${ctx.tenantId}::uuid and s.id = any(${sql.param([...options.subjects])}::uuid[])`;
  const rules = subjectReasonConditions(ctx.tenantId, purpose, now, subjectId, consentStore);
  const counts = subjectReasons.map((reason) => sql`count(*) filter (where ${rules[reason]})::int as ${sql.identifier(reason)}`);
  const [tally] = rowsOf<Record<SubjectReason | 'candidates', number>>(await tx.execute(sql`
    select count(*)::int as candidates, ${sql.join(counts, sql`, `)} from ${table} s where ${inScope}`));

  const subjectIds = granted
    ? rowsOf<{ id: string }>(await tx.execute(sql`
        select s.id from ${table} s where ${inScope} and ${permittedSubjectsCondition(ctx.tenantId, purpose, now, subjectId, consentStore)}
        order by s.id`)).map((row) => row.id)
    : [];

  const withheld: WithheldField[] = [];
  const candidates = tally?.candidates ?? 0;
  for (const field of columns.withheld) {
    if (candidates > 0) for (const reason of field.reasons) withheld.push({ field: field.field, reason, subjects: candidates });
  }
  for (const field of columns.allowed) {
    for (const reason of subjectReasons) {
      const subjects = tally?.[reason] ?? 0;
      if (subjects > 0) withheld.push({ field, reason, subjects });
    }
  }
  return { purpose, subjectIds, fields: columns.allowed, withheld };
}
