import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { newId } from '../db/ids.ts';
import { formKeyLookup, formKeys, purposes } from '../db/schema/index.ts';
import { randomBytes } from 'node:crypto';
import { DomainError, invalid, notFound } from '../shared/domainError.ts';

/*
 * Per-workspace public form keys for POST /api/v1/collect. A form key is not an API key: it
 * is printed in a web page, so anyone can read it; what it allows is only submitting to
 * that workspace's collection endpoint from the origins it lists, under the collection
 * rules (src/privacy/collection.ts). Rotating replaces the public key (the old one stops
 * working at once); revoking ends it. Keys are workspace configuration: no personal data.
 */

export const unneededFieldChoices = ['refuse', 'drop'] as const;
export type UnneededFieldChoice = (typeof unneededFieldChoices)[number];

export type FormKey = {
  id: string;
  name: string;
  publicKey: string;
  allowedOrigins: string[];
  unneededFields: UnneededFieldChoice;
  purposes: string[];
  createdAt: Date;
  rotatedAt: Date | null;
  revokedAt: Date | null;
};

export type FormKeyInput = {
  name: string;
  allowedOrigins: string[];
  unneededFields?: UnneededFieldChoice;
  purposes?: string[];
};

const publicKeyPattern = /^cfk_[A-Za-z0-9_-]{32}$/;
const newPublicKey = () => `cfk_${randomBytes(24).toString('base64url')}`;

/** An origin as browsers send it: scheme, host and an optional port, nothing else. */
export function originProblem(origin: string): string | null {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return 'not an origin such as https://www.example.com';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'the scheme must be https or http';
  if (url.origin !== origin) return 'an origin is scheme://host[:port] alone, without path, query or trailing slash';
  return null;
}

/** Purposes a key may name: the workspace's own, on a basis other than consent (consent is the person's to give). */
async function checkPurposes(tx: Executor, tenantId: string, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  const rows = await tx
    .select({ key: purposes.key, legalBasis: purposes.legalBasis })
    .from(purposes)
    .where(and(eq(purposes.tenantId, tenantId), sql`${purposes.key} = any(${sql.param([...keys])}::text[])`));
  const basis = new Map(rows.map((row) => [row.key, row.legalBasis]));
  keys.forEach((key, position) => {
    if (!basis.has(key)) throw invalid(`purposes.${position}`, 'not a purpose of this workspace (GET /api/v1/purposes lists them)');
    if (basis.get(key) === 'consent') throw invalid(`purposes.${position}`, 'a consent purpose counts only when the person gives consent on the form');
  });
}

function checkInput(input: FormKeyInput): void {
  input.allowedOrigins.forEach((origin, position) => {
    const problem = originProblem(origin);
    if (problem) throw invalid(`allowedOrigins.${position}`, problem);
  });
}

export async function createFormKey(tx: Executor, tenantId: string, input: FormKeyInput): Promise<FormKey> {
  checkInput(input);
  const keyPurposes = [...new Set(input.purposes ?? [])];
  await checkPurposes(tx, tenantId, keyPurposes);
  const id = newId();
  const publicKey = newPublicKey();
  const [row] = await tx
    .insert(formKeys)
    .values({
      tenantId,
      id,
      name: input.name,
      publicKey,
      allowedOrigins: [...new Set(input.allowedOrigins)],
      unneededFields: input.unneededFields ?? 'refuse',
      purposes: keyPurposes,
      createdAt: new Date(),
    })
    .returning();
  await tx.insert(formKeyLookup).values({ publicKey, tenantId, formKeyId: id });
  return toFormKey(row);
}

export async function listFormKeys(db: Executor, tenantId: string, includeRevoked: boolean): Promise<FormKey[]> {
  const rows = await db
    .select()
    .from(formKeys)
    .where(and(eq(formKeys.tenantId, tenantId), includeRevoked ? undefined : isNull(formKeys.revokedAt)))
    .orderBy(asc(formKeys.createdAt), asc(formKeys.id));
  return rows.map(toFormKey);
}

export async function findFormKey(db: Executor, tenantId: string, id: string): Promise<FormKey> {
  const [row] = await db
    .select()
    .from(formKeys)
    .where(and(eq(formKeys.tenantId, tenantId), eq(formKeys.id, id)))
    .limit(1);
  if (!row) throw notFound('form key');
  return toFormKey(row);
}

/** A new public key for a live form key; the old one is refused from now on. */
export async function rotateFormKey(tx: Executor, tenantId: string, id: string): Promise<FormKey> {
  const current = await findFormKey(tx, tenantId, id);
  if (current.revokedAt) throw new DomainError('conflict', 'A revoked form key cannot be rotated; create a new one.');
  const publicKey = newPublicKey();
  await tx.delete(formKeyLookup).where(eq(formKeyLookup.publicKey, current.publicKey));
  await tx.insert(formKeyLookup).values({ publicKey, tenantId, formKeyId: id });
  const [row] = await tx
    .update(formKeys)
    .set({ publicKey, rotatedAt: new Date() })
    .where(and(eq(formKeys.tenantId, tenantId), eq(formKeys.id, id)))
    .returning();
  return toFormKey(row);
}

/** Revokes a form key; true when it was live (revoking again keeps the first time). */
export async function revokeFormKey(tx: Executor, tenantId: string, id: string): Promise<boolean> {
  const current = await findFormKey(tx, tenantId, id);
  if (current.revokedAt) return false;
  await tx.delete(formKeyLookup).where(eq(formKeyLookup.publicKey, current.publicKey));
  await tx
    .update(formKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(formKeys.tenantId, tenantId), eq(formKeys.id, id)));
  return true;
}

/** The live form key a request presents, with its workspace; null when unknown, rotated away or revoked. */
export async function verifyFormKey(db: Executor, presented: string): Promise<(FormKey & { tenantId: string }) | null> {
  if (!publicKeyPattern.test(presented)) return null;
  const [row] = await db
    .select({ key: formKeys })
    .from(formKeyLookup)
    .innerJoin(formKeys, and(eq(formKeys.tenantId, formKeyLookup.tenantId), eq(formKeys.id, formKeyLookup.formKeyId)))
    .where(and(eq(formKeyLookup.publicKey, presented), isNull(formKeys.revokedAt)))
    .limit(1);
  if (!row || row.key.publicKey !== presented) return null;
  return { ...toFormKey(row.key), tenantId: row.key.tenantId };
}

function toFormKey(row: typeof formKeys.$inferSelect): FormKey {
  return {
    id: row.id,
    name: row.name,
    publicKey: row.publicKey,
    allowedOrigins: row.allowedOrigins,
    unneededFields: row.unneededFields,
    purposes: row.purposes,
    createdAt: row.createdAt,
    rotatedAt: row.rotatedAt,
    revokedAt: row.revokedAt,
  };
}

/** Whether some live form key of any workspace allows the origin (a preflight cannot name its key). */
export async function formKeysAllowOrigin(db: Executor, origin: string): Promise<boolean> {
  const [row] = await db
    .select({ id: formKeys.id })
    .from(formKeys)
    .where(and(isNull(formKeys.revokedAt), sql`${origin} = any(${formKeys.allowedOrigins})`))
    .limit(1);
  return row !== undefined;
}
