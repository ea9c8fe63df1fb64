import { createHash } from 'node:crypto';
import type { Executor } from '../../db/connection.ts';
import { findPermittedContactIdsByLookup, suppressedEmails, type AccessContext } from '../../kernel/index.ts';
import { importContext } from './importPurpose.ts';
import type { ImportIssue } from './importBatches.ts';

// An import follows the API's rule for contacts (one contact per e-mail address; duplicates
// are merged, not created): a row whose e-mail address a contact of the workspace already
// has, or an earlier row of the same file, is an invalid row. Importing the same file twice
// therefore adds nothing the second time (or, without skipInvalid, fails listing the lines).
// The address of an erased person is refused the same way (reason `suppressed`).
// In an upsert import a row that updates a contact is checked the same way, except that the
// contact it updates may hold its address.
//
// Addresses seen earlier in the file are remembered as digests, not as the addresses
// themselves, so a million-row file does not keep a million addresses in memory.

const digest = (email: string) => createHash('sha256').update(email).digest('base64url').slice(0, 16);

export class DuplicateEmailCheck {
  /** Digest of each address staged so far → the line it was first seen on. */
  private readonly seen = new Map<string, number>();

  /**
   * Returns an issue for each row (by line) whose normalised e-mail is taken, and
   * remembers the others' addresses for later chunks. One lookup per call.
   */
  async check(db: Executor, ctx: AccessContext, rows: Array<{ line: number; email?: string; updates?: string }>): Promise<Map<number, ImportIssue>> {
    const issues = new Map<number, ImportIssue>();
    const emails = [...new Set(rows.flatMap((row) => (row.email ? [row.email] : [])))];
    if (emails.length === 0) return issues;
    const existing = await findPermittedContactIdsByLookup(db, importContext(ctx), 'email', emails);
    // An erased person's address comes back only with their fresh consent, never by import.
    const suppressed = await suppressedEmails(db, ctx.tenantId, emails);
    for (const { line, email, updates } of rows) {
      if (!email) continue;
      if (suppressed.has(email)) {
        issues.set(line, { line, field: 'email', reason: 'suppressed' });
        continue;
      }
      // A row that updates a contact may keep (or set) an address only that contact holds.
      if ((existing.get(email) ?? []).some((id) => id !== updates)) {
        issues.set(line, { line, field: 'email', reason: 'already used by a contact in this workspace' });
        continue;
      }
      const key = digest(email);
      const first = this.seen.get(key);
      if (first !== undefined) issues.set(line, { line, field: 'email', reason: `already used by the row on line ${first}` });
      else this.seen.set(key, line);
    }
    return issues;
  }
}
