import { sql } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { invalid } from '../shared/domainError.ts';
import type { PurposeContext } from './accessContext.ts';
import { appendAudit } from './audit.ts';
import { inTransaction } from './audit/head.ts';
import { contactPolicy, updatePermittedContact } from './contactAccess.ts';
import type { PersonalValues } from './contactRecords.ts';
import type { Rectification } from './subjectRules.ts';

/*
 * Art. 16 rectification: the one change a restricted contact takes (Art. 18(1)(a) restricts
 * processing while the person contests their data's accuracy, so the correction must still
 * be possible). It is made in answer to a rights request, whose reference it carries into
 * the audit trail. The rights workflow (a later issue) calls it; ordinary changes
 * (PATCH /contacts/{id}) are refused for a restricted contact with 403.
 */

const requestIdPattern = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$/;

/**
 * Corrects a contact's personal values (stored field names; null removes) in answer to the
 * rights request `rectification.requestId`: grant and fields are checked as for any change,
 * the subject rules too except the restriction (an erased contact is 404; an objection to
 * the purpose still refuses — rights requests are handled for legal_compliance, which no
 * objection stops). Bumps the contact's version and leaves one audit entry
 * (contact.rectified) with the field names, the request's reference and the subject's
 * pseudonym. Returns the field names corrected.
 */
export async function rectifyContact(
  executor: Executor,
  ctx: PurposeContext,
  contactId: string,
  changes: PersonalValues,
  rectification: Rectification,
): Promise<{ fields: string[] }> {
  if (!requestIdPattern.test(rectification.requestId)) {
    throw invalid('requestId', "the rights request's reference: 1–100 letters, digits and . _ : / -, starting with a letter or digit");
  }
  return inTransaction(executor, async (tx) => {
    const policy = await contactPolicy(tx, ctx, 'contact.rectified');
    await updatePermittedContact(tx, ctx, contactId, changes, { policy, rectification });
    const fields = Object.keys(changes).sort();
    await tx.execute(sql`update contacts set version = version + 1, updated_at = ${new Date().toISOString()}::timestamptz
                         where tenant_id = ${ctx.tenantId}::uuid and id = ${contactId}::uuid`);
    await appendAudit(tx, ctx, {
      action: 'contact.rectified',
      object: 'contact',
      fields,
      subjectIds: [contactId],
      detail: { requestId: rectification.requestId },
    });
    return { fields };
  });
}
