import {
  bigint,
  boolean,
  customType,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

/** Hashes as raw bytes (32 for SHA-256). */
export const bytea = customType<{ data: Buffer; driverData: Buffer }>({
  dataType: () => 'bytea',
});

/**
 * The audit log (issue 18): one hash chain per shop (chain_id = tenant id) and one for the
 * platform. Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE (migration 0008).
 */
export const auditEntries = pgTable(
  'audit_entries',
  {
    chainId: uuid('chain_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actor: jsonb('actor').$type<Record<string, unknown>>().notNull(),
    action: text('action').notNull(),
    subject: jsonb('subject').$type<Record<string, unknown>>().notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    leafHash: bytea('leaf_hash').notNull(),
    chainHash: bytea('chain_hash').notNull(),
  },
  (t) => [primaryKey({ name: 'audit_entries_pk', columns: [t.chainId, t.seq] })],
);

/** The platform chain's head (one row); a shop's head is on its tenants row. */
export const auditPlatformHead = pgTable('audit_platform_head', {
  id: boolean('id').primaryKey().default(true),
  auditSeq: bigint('audit_seq', { mode: 'number' }).notNull().default(0),
  auditHead: bytea('audit_head'),
});
