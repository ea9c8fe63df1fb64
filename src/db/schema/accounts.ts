import { foreignKey, index, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId, timestampColumn, updatedAt, version } from './columns.ts';
import { workspaces } from './tenancy.ts';

// Staff accounts. Their e-mail addresses are staff data needed to log in, not CRM subjects'
// personal data, so they live here in plain columns.
export const users = pgTable(
  'users',
  {
    tenantId: tenantId().references(() => workspaces.id, { onDelete: 'cascade' }),
    id: id(),
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    role: text('role').notNull(),
    passwordHash: text('password_hash'),
    status: text('status').notNull().default('active'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deactivatedAt: timestampColumn('deactivated_at'),
    version: version(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index('users_email_idx').on(t.tenantId, t.email)],
);

export const sessions = pgTable(
  'sessions',
  {
    tenantId: tenantId(),
    id: id(),
    userId: uuid('user_id').notNull(),
    secretHash: text('secret_hash').notNull(),
    csrfToken: text('csrf_token').notNull(),
    createdAt: createdAt(),
    expiresAt: timestampColumn('expires_at').notNull(),
    revokedAt: timestampColumn('revoked_at'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete('cascade'),
    index('sessions_user_idx').on(t.tenantId, t.userId),
  ],
);

export const invitations = pgTable(
  'invitations',
  {
    tenantId: tenantId(),
    id: id(),
    email: text('email').notNull(),
    role: text('role').notNull(),
    tokenHash: text('token_hash').notNull(),
    invitedBy: uuid('invited_by'),
    createdAt: createdAt(),
    expiresAt: timestampColumn('expires_at').notNull(),
    acceptedAt: timestampColumn('accepted_at'),
    revokedAt: timestampColumn('revoked_at'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const passwordResets = pgTable(
  'password_resets',
  {
    tenantId: tenantId(),
    id: id(),
    userId: uuid('user_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdAt: createdAt(),
    expiresAt: timestampColumn('expires_at').notNull(),
    usedAt: timestampColumn('used_at'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete('cascade'),
  ],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    tenantId: tenantId(),
    id: id(),
    keyId: text('key_id').notNull(),
    name: text('name').notNull(),
    role: text('role').notNull(),
    secretHash: text('secret_hash').notNull(),
    purposes: text('purposes').array().notNull(),
    defaultPurpose: text('default_purpose'),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    expiresAt: timestampColumn('expires_at'),
    revokedAt: timestampColumn('revoked_at'),
    lastUsedAt: timestampColumn('last_used_at'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

// GLOBAL table: a bearer key names only its key id, so finding its workspace needs one
// lookup that is not partitioned by tenant.
export const apiKeyLookup = pgTable('api_key_lookup', {
  keyId: text('key_id').primaryKey(),
  tenantId: uuid('tenant_id').notNull(),
  apiKeyId: uuid('api_key_id').notNull(),
});

// GLOBAL table: fixed-window counters for rate limits, and the login back-off counters
// (src/platform/backoff.ts: count = failures in a row, window_start = the last one); keys
// are hashes, never raw e-mail addresses or IPs.
export const rateLimitBuckets = pgTable('rate_limit_buckets', {
  key: text('key').primaryKey(),
  windowStart: timestampColumn('window_start').notNull(),
  count: integer('count').notNull(),
});
