import { foreignKey, index, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId, timestampColumn } from './columns.ts';

/*
 * The customer privacy portal (migration 0033; src/privacy/portal/). A sign-in holds the
 * address a person typed, sealed by the kernel under a data key of the sign-in's own
 * (src/kernel/portalIdentity.ts), and the keyed hash of the code mailed to it; a session,
 * made once the code is right, holds the SHA-256 of its cookie's secret and its CSRF token.
 * Neither names a contact: the session finds its person by the address's blind index on
 * every use, so an erased person's session finds no one.
 */
export const portalSignIns = pgTable(
  'portal_sign_ins',
  {
    tenantId: tenantId(),
    id: id(),
    sealedEmail: text('sealed_email').notNull(),
    codeHash: text('code_hash').notNull(),
    attempts: integer('attempts').notNull().default(0),
    usedAt: timestampColumn('used_at'),
    createdAt: createdAt(),
    expiresAt: timestampColumn('expires_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index('portal_sign_ins_expires_idx').on(t.tenantId, t.expiresAt)],
);

export const portalSessions = pgTable(
  'portal_sessions',
  {
    tenantId: tenantId(),
    id: id(),
    signInId: uuid('sign_in_id').notNull(),
    secretHash: text('secret_hash').notNull(),
    csrfToken: text('csrf_token').notNull(),
    createdAt: createdAt(),
    /** Moves 30 minutes ahead on every use. */
    idleExpiresAt: timestampColumn('idle_expires_at').notNull(),
    /** The session's absolute end, however busy. */
    expiresAt: timestampColumn('expires_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.signInId], foreignColumns: [portalSignIns.tenantId, portalSignIns.id] }).onDelete('cascade'),
    index('portal_sessions_sign_in_idx').on(t.tenantId, t.signInId),
  ],
);
