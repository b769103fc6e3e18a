import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const tenants = pgTable('tenants', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  status: text('status').notNull().default('active'),
  isDemo: boolean('is_demo').notNull().default(false),
  /**
   * Last payment-event sequence number of this tenant. Incremented under the row lock inside the
   * transaction that writes the event, so sequence order is commit order (resume relies on it).
   */
  eventSeq: bigint('event_seq', { mode: 'number' }).notNull().default(0),
  /** Last audit sequence number of this shop's chain (issue 18), advanced under the same row lock. */
  auditSeq: bigint('audit_seq', { mode: 'number' }).notNull().default(0),
  /** This shop's audit chain head; null while at genesis (libs/audit hash-chain.ts). */
  auditHead: customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' })(
    'audit_head',
  ),
  /** Who may approve a reversal an owner asked for: another owner key or ops, or ops only. */
  reversalApprovers: text('reversal_approvers')
    .$type<'owner_or_ops' | 'ops'>()
    .notNull()
    .default('owner_or_ops'),
  /** Smallest and largest deposit into a customer account, whole KES (issue 17). */
  depositMin: integer('deposit_min').notNull().default(10),
  depositMax: integer('deposit_max').notNull().default(150_000),
  createdAt: createdAt(),
});

export const channels = pgTable(
  'channels',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    name: text('name').notNull(),
    /** paybill: BusinessShortCode = PartyB = paybill; till: BusinessShortCode = store, PartyB = till. */
    kind: text('kind').$type<'paybill' | 'till'>().notNull(),
    shortcode: text('shortcode').notNull(),
    partyB: text('party_b').notNull(),
    environment: text('environment').$type<'sandbox' | 'production' | 'simulator'>().notNull(),
    /** AES-256-GCM sealed JSON {passkey, consumerKey, consumerSecret}; never leaves the server. */
    secretsSealed: text('secrets_sealed').notNull(),
    secretsKeyId: text('secrets_key_id').notNull(),
    /** sha256 of the consumer key: the token cache key, so the key itself is never a Redis key. */
    credentialFingerprint: text('credential_fingerprint').notNull(),
    accountReference: text('account_reference'),
    queryBudgetPerMinute: integer('query_budget_per_minute'),
    confirmWithQuery: boolean('confirm_with_query').notNull().default(false),
    /** The API operator of the result-based APIs (REFERENCE §7.6); not a secret. */
    initiatorName: text('initiator_name'),
    /** AES-256-GCM sealed JSON {initiatorPassword}; never leaves the server. */
    initiatorSealed: text('initiator_sealed'),
    initiatorKeyId: text('initiator_key_id'),
    /** Safaricom's public certificate the SecurityCredential is encrypted with (public, never returned). */
    mpesaCertificatePem: text('mpesa_certificate_pem'),
    /** Per-channel limits within Daraja's 1..250 000, checked at initiation. */
    minAmount: integer('min_amount'),
    maxAmount: integer('max_amount'),
    c2bRegisteredAt: timestamp('c2b_registered_at', { withTimezone: true }),
    status: text('status').notNull().default('active'),
    createdAt: createdAt(),
  },
  (t) => [index('channels_tenant_idx').on(t.tenantId)],
);

export const terminals = pgTable(
  'terminals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    name: text('name').notNull(),
    code: text('code').notNull(),
    channelId: uuid('channel_id').references(() => channels.id),
    status: text('status').notNull().default('active'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('terminals_tenant_code_uq').on(t.tenantId, t.code)],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Null only for ops keys, which act across tenants. */
    tenantId: uuid('tenant_id').references(() => tenants.id),
    terminalId: uuid('terminal_id').references(() => terminals.id),
    role: text('role').$type<'terminal' | 'owner' | 'ops'>().notNull(),
    name: text('name').notNull(),
    /** First characters of the key, for people to recognise it in lists. */
    prefix: text('prefix').notNull(),
    /** sha256 of the whole key; the key itself is shown once and never stored. */
    keyHash: text('key_hash').notNull(),
    isDemo: boolean('is_demo').notNull().default(false),
    createdAt: createdAt(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('api_keys_hash_uq').on(t.keyHash),
    index('api_keys_tenant_idx').on(t.tenantId),
    index('api_keys_demo_idx')
      .on(t.isDemo)
      .where(sql`is_demo`),
  ],
);
