import { bigint, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { bytea } from './audit';

/**
 * Signed checkpoints of the audit chains (issue 18): chain `chainId` had head `headHash` after
 * entry `seq`, signed with Ed25519 by key `keyId` (libs/audit/src/checkpoint.ts). Append-only:
 * a trigger refuses UPDATE, DELETE and TRUNCATE (migration 0009).
 */
export const auditCheckpoints = pgTable(
  'audit_checkpoints',
  {
    chainId: uuid('chain_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    headHash: bytea('head_hash').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    keyId: text('key_id').notNull(),
    signature: bytea('signature').notNull(),
  },
  (t) => [primaryKey({ name: 'audit_checkpoints_pk', columns: [t.chainId, t.seq] })],
);
