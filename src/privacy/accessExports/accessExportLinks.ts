import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../db/connection.ts';
import { isUuid, newId } from '../../db/ids.ts';
import { accessExportLinks, accessExports } from '../../db/schema/index.ts';
import { actorKey, dsrFulfilmentKey, readAccessExportFile, recordAudit, subjectAccessPolicy, systemContext, type AccessContext } from '../../kernel/index.ts';
import { DomainError, notFound } from '../../shared/domainError.ts';
import { hashSecret, randomToken, verifySecret } from '../../shared/secrets.ts';
import { accessExportContext } from './accessExports.ts';

/*
 * Download links of access exports, for the person (or staff) to fetch the file without a
 * Candor account: each names ONE export (so one subject), lives 15 minutes and works once.
 * The token is the workspace id, the link id (each 16 bytes in base64url) and a 256-bit
 * secret, 87 characters in all (a URL path segment, under the router's 100): only the
 * secret's SHA-256 is stored and it is compared in constant time. Every refusal — unknown, altered, expired, used, another
 * workspace's, an export gone or erased — is the same 404, so a link says nothing of why.
 */

export const accessExportLinkMinutes = 15;
const minuteMs = 60_000;

export type AccessExportLink = { token: string; expiresAt: string };
export type AccessExportDownload = { body: Buffer; fileName: string; contentType: string };

/** A link to the contact's ready export; 403 without dsr_fulfilment, 404 for no such export, 409 while it is not ready or has expired. */
export async function createAccessExportLink(
  database: Database,
  requestedBy: AccessContext,
  contactId: string,
  exportId: string,
  now: Date = new Date(),
): Promise<AccessExportLink> {
  const ctx = accessExportContext(requestedBy);
  await subjectAccessPolicy(database.db, ctx, 'access_export.link_created');
  if (!isUuid(contactId) || !isUuid(exportId)) throw notFound('access export');
  return database.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ status: accessExports.status, expiresAt: accessExports.expiresAt })
      .from(accessExports)
      .where(and(eq(accessExports.tenantId, ctx.tenantId), eq(accessExports.contactId, contactId), eq(accessExports.id, exportId)));
    if (!row) throw notFound('access export');
    if (row.status !== 'ready' || row.expiresAt <= now) {
      throw new DomainError('conflict', 'This export has no file to download: it is not built yet, it failed, or it expired.', [
        { field: 'exportId', reason: row.status === 'ready' ? 'expired' : row.status },
      ]);
    }
    const id = newId();
    const { token, tokenHash } = issueLinkToken(ctx.tenantId, id);
    const expiresAt = new Date(Math.min(now.getTime() + accessExportLinkMinutes * minuteMs, row.expiresAt.getTime()));
    await tx.insert(accessExportLinks).values({ tenantId: ctx.tenantId, id, exportId, tokenHash, createdBy: actorKey(ctx.actor), createdAt: now, expiresAt });
    await recordAudit(tx, ctx, { action: 'access_export.link_created', object: 'contact', recordIds: [exportId], subjectIds: [contactId] });
    return { token, expiresAt: expiresAt.toISOString() };
  });
}

const refused = () => notFound('download link');

const compactUuid = (uuid: string) => Buffer.from(uuid.replaceAll('-', ''), 'hex').toString('base64url');
function expandUuid(text: string): string {
  const hex = Buffer.from(text, 'base64url').toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
const tokenPattern = /^[A-Za-z0-9_-]{87}$/;

function issueLinkToken(tenantId: string, id: string): { token: string; tokenHash: string } {
  const secret = randomToken(32);
  return { token: `${compactUuid(tenantId)}${compactUuid(id)}${secret}`, tokenHash: hashSecret(secret) };
}

function parseLinkToken(token: string): { tenantId: string; id: string; secret: string } | null {
  if (!tokenPattern.test(token)) return null;
  const tenantId = expandUuid(token.slice(0, 22));
  const id = expandUuid(token.slice(22, 44));
  return isUuid(tenantId) && isUuid(id) ? { tenantId, id, secret: token.slice(44) } : null;
}

/** The file a link names, once: the link is spent in the same transaction that opens the file. */
export async function downloadAccessExport(database: Database, token: string, now: Date = new Date()): Promise<AccessExportDownload> {
  const parsed = parseLinkToken(token);
  if (!parsed) throw refused();
  return database.db.transaction(async (tx) => {
    const [link] = await tx
      .select({ tokenHash: accessExportLinks.tokenHash, exportId: accessExportLinks.exportId })
      .from(accessExportLinks)
      .where(and(eq(accessExportLinks.tenantId, parsed.tenantId), eq(accessExportLinks.id, parsed.id)));
    if (!link || !verifySecret(parsed.secret, link.tokenHash)) throw refused();
    const spent = await tx
      .update(accessExportLinks)
      .set({ usedAt: now })
      .where(
        and(
          eq(accessExportLinks.tenantId, parsed.tenantId),
          eq(accessExportLinks.id, parsed.id),
          isNull(accessExportLinks.usedAt),
          gt(accessExportLinks.expiresAt, sql`${now.toISOString()}::timestamptz`),
        ),
      )
      .returning({ id: accessExportLinks.id });
    if (spent.length === 0) throw refused();
    const [exported] = await tx
      .select()
      .from(accessExports)
      .where(and(eq(accessExports.tenantId, parsed.tenantId), eq(accessExports.id, link.exportId)));
    if (exported?.status !== 'ready' || exported.expiresAt <= now || !exported.fileName || !exported.contentType) throw refused();
    const ctx = systemContext(parsed.tenantId, 'access-export-download', dsrFulfilmentKey);
    const body = await readAccessExportFile(tx, ctx, exported.id, exported.contactId);
    if (!body) throw refused();
    return { body, fileName: exported.fileName, contentType: exported.contentType };
  });
}
