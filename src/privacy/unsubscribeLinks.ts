import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { isUuid } from '../db/ids.ts';
import { purposes, workspaces } from '../db/schema/index.ts';
import { kernelKeyStore } from '../kernel/index.ts';

/*
 * One-click unsubscribe links (RFC 8058). Every marketing e-mail carries a link naming the
 * workspace, the person and the purpose, signed with HMAC-SHA256 under the workspace's
 * e-mail-link key (in the key store, never in the database), so it cannot be guessed or
 * altered, and a link of one workspace cannot act in another (its key is another). The link
 * never expires — an unsubscribe link must work for as long as the e-mail is in a mailbox —
 * but it only ever withdraws from the one purpose it names.
 *
 * Token: base64url(version | workspace id | contact id | purpose tag | MAC), 57 bytes, 76
 * characters, within a URL path segment's limit. The ids are random UUIDs; the purpose is a
 * tag (8 bytes of SHA-256 of its key), so no personal data and no purpose name is readable.
 */

const version = 1;
const uuidLength = 16;
const tagLength = 8;
const macLength = 16; // HMAC-SHA256 truncated to 128 bits (RFC 2104 §5)
const payloadLength = 1 + 2 * uuidLength + tagLength;
const domain = 'candor-unsubscribe-link\u0000v1\u0000';

export type UnsubscribeLink = { tenantId: string; contactId: string; purposeKey: string };

const uuidBytes = (id: string) => Buffer.from(id.toLowerCase().replace(/-/g, ''), 'hex');
const uuidText = (bytes: Buffer) => {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};
const purposeTag = (purposeKey: string) => createHash('sha256').update(`candor-purpose\u0000${purposeKey}`, 'utf8').digest().subarray(0, tagLength);

async function mac(tenantId: string, payload: Buffer): Promise<Buffer> {
  const key = await kernelKeyStore().emailLinkKey(tenantId);
  return createHmac('sha256', key).update(domain).update(payload).digest().subarray(0, macLength);
}

/** The signed token of one person's unsubscribe link for one purpose. */
export async function issueUnsubscribeToken(link: UnsubscribeLink): Promise<string> {
  if (!isUuid(link.tenantId) || !isUuid(link.contactId)) throw new TypeError('unsubscribe link: workspace and contact ids must be UUIDs');
  const payload = Buffer.concat([Buffer.from([version]), uuidBytes(link.tenantId), uuidBytes(link.contactId), purposeTag(link.purposeKey)]);
  return Buffer.concat([payload, await mac(link.tenantId.toLowerCase(), payload)]).toString('base64url');
}

/**
 * The link a token names, or null when it is not one Candor signed: malformed, altered (any
 * byte), of a workspace that does not exist, or of a purpose the workspace no longer has.
 * The MAC is compared in constant time; the workspace is looked up first, so a forged token
 * cannot make the key store create keys for workspaces that do not exist.
 */
export async function verifyUnsubscribeToken(db: Executor, token: string): Promise<UnsubscribeLink | null> {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return null;
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length !== payloadLength + macLength || bytes[0] !== version || bytes.toString('base64url') !== token) return null;
  const payload = bytes.subarray(0, payloadLength);
  const tenantId = uuidText(payload.subarray(1, 1 + uuidLength));
  const contactId = uuidText(payload.subarray(1 + uuidLength, 1 + 2 * uuidLength));
  if (!isUuid(tenantId) || !isUuid(contactId)) return null;
  const [workspace] = await db.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.id, tenantId));
  if (!workspace) return null;
  if (!timingSafeEqual(await mac(tenantId, payload), bytes.subarray(payloadLength))) return null;
  const tag = payload.subarray(1 + 2 * uuidLength);
  const keys = await db.select({ key: purposes.key }).from(purposes).where(eq(purposes.tenantId, tenantId));
  const purpose = keys.find((row) => purposeTag(row.key).equals(tag));
  return purpose ? { tenantId, contactId, purposeKey: purpose.key } : null;
}

const baseUrl = (publicUrl: string) => publicUrl.replace(/\/+$/, '');

/** The one-click unsubscribe URL of a token. */
export const unsubscribeUrl = (publicUrl: string, token: string) => `${baseUrl(publicUrl)}/api/v1/unsubscribe/${token}`;

export type MarketingMailHeaders = {
  /** RFC 8058: List-Unsubscribe (an https URL in angle brackets) and List-Unsubscribe-Post. */
  headers: { 'List-Unsubscribe': string; 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
  /** The same link, for the visible line in the body. */
  unsubscribeUrl: string;
  /** The visible unsubscribe line to end the body with. */
  footer: string;
};

/**
 * The headers every marketing e-mail to a contact under a purpose carries, and the visible
 * unsubscribe line for its body. No mailto: alternative: Candor reads no inbound mail, and
 * RFC 8058 needs only the https URI.
 */
export async function marketingMailHeaders(tenantId: string, contactId: string, purposeKey: string, publicUrl: string): Promise<MarketingMailHeaders> {
  const url = unsubscribeUrl(publicUrl, await issueUnsubscribeToken({ tenantId, contactId, purposeKey }));
  return {
    headers: { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    unsubscribeUrl: url,
    footer: `Unsubscribe from these e-mails with one click: ${url}`,
  };
}
