import { sql } from 'drizzle-orm';
import { check, foreignKey, index, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { bytea, createdAt, tenantId, timestampColumn } from './columns.ts';

/*
 * The vault's bookkeeping. Key MATERIAL never lives here: epoch keys are in the key store
 * (src/kernel/vault/keyStore.ts) and subject keys are stored only wrapped by an epoch key,
 * so a copy of the database alone decrypts nothing.
 *
 * An epoch is 'current' (new subject keys are wrapped under it), 'retired' (its subject
 * keys are being re-wrapped under the current epoch) or 'destroyed' (its key is gone from
 * the key store). Erasures since the current epoch began are counted on its row: they are
 * what makes the next epoch advance due.
 */
export const vaultEpochs = pgTable(
  'vault_epochs',
  {
    tenantId: tenantId(),
    epoch: integer('epoch').notNull(),
    state: text('state').$type<'current' | 'retired' | 'destroyed'>().notNull().default('current'),
    pendingErasures: integer('pending_erasures').notNull().default(0),
    firstPendingErasureAt: timestampColumn('first_pending_erasure_at'),
    createdAt: createdAt(),
    retiredAt: timestampColumn('retired_at'),
    destroyedAt: timestampColumn('destroyed_at'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.epoch] }),
    uniqueIndex('vault_epochs_one_current_idx').on(t.tenantId).where(sql`state = 'current'`),
    check('vault_epochs_state_check', sql`${t.state} in ('current', 'retired', 'destroyed')`),
  ],
);

// One row per subject key version: a random 32-byte data key, AES-256-GCM-wrapped under the
// epoch key (the AAD binds tenant, subject, key version and epoch). Deleting the rows of a
// subject is the first half of crypto-shredding; destroying the epoch key is the second.
export const subjectKeys = pgTable(
  'subject_keys',
  {
    tenantId: tenantId(),
    subjectId: uuid('subject_id').notNull(),
    keyVersion: integer('key_version').notNull(),
    epoch: integer('epoch').notNull(),
    wrappedKey: bytea('wrapped_key').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.subjectId, t.keyVersion] }),
    foreignKey({ columns: [t.tenantId, t.epoch], foreignColumns: [vaultEpochs.tenantId, vaultEpochs.epoch] }),
    // Finds the keys still wrapped under a retired epoch while an advance re-wraps them.
    index('subject_keys_epoch_idx').on(t.tenantId, t.epoch),
  ],
);
