import { sql } from 'drizzle-orm';
import {
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { payments } from './payments';
import { channels, tenants } from './tenancy';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * One Transaction Status, Reversal or Account Balance request (REFERENCE §12). The conversation
 * ids of the synchronous answer are the only link to the result, so they are stored first.
 */
export const darajaRequests = pgTable(
  'daraja_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => channels.id),
    /** transaction_status | reversal | account_balance */
    kind: text('kind').notNull(),
    paymentId: uuid('payment_id').references(() => payments.id),
    reversalId: uuid('reversal_id'),
    /** sending | accepted | refused | unknown | completed | timed_out */
    state: text('state').notNull().default('sending'),
    conversationId: text('conversation_id'),
    originatorConversationId: text('originator_conversation_id'),
    request: jsonb('request'),
    resultCode: text('result_code'),
    resultDesc: text('result_desc'),
    result: jsonb('result'),
    createdAt: ts('created_at').notNull().defaultNow(),
    completedAt: ts('completed_at'),
  },
  (t) => [
    uniqueIndex('daraja_requests_conversation_uq')
      .on(t.conversationId)
      .where(sql`conversation_id is not null`),
    index('daraja_requests_payment_idx').on(t.tenantId, t.paymentId),
  ],
);

/** A reversal: asked by one key, approved by another, then sent; never two live ones per payment. */
export const reversals = pgTable(
  'reversals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id),
    /** pending_approval | rejected | sending | sent | unknown | succeeded | failed */
    state: text('state').notNull(),
    reason: text('reason').notNull(),
    amount: integer('amount').notNull(),
    receipt: text('receipt').notNull(),
    requestedBy: text('requested_by').notNull(),
    decidedBy: text('decided_by'),
    decidedRole: text('decided_role'),
    decisionNote: text('decision_note'),
    decidedAt: ts('decided_at'),
    reversalReceipt: text('reversal_receipt'),
    resultCode: text('result_code'),
    resultDesc: text('result_desc'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    // The database refuses a second live reversal of one payment, whatever arrives twice.
    uniqueIndex('reversals_live_uq')
      .on(t.paymentId)
      .where(sql`state not in ('rejected', 'failed')`),
    index('reversals_tenant_idx').on(t.tenantId, t.createdAt),
  ],
);

/**
 * Result, queue-timeout and C2B bodies as received, stored before Daraja is acknowledged and then
 * processed by the worker (like callback_inbox, kept apart so the STK ingest stays untouched).
 */
export const darajaInbox = pgTable(
  'daraja_inbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    /** result | queue_timeout | c2b_confirmation */
    kind: text('kind').notNull(),
    /** daraja_requests.id for results; channels.id for C2B. */
    subjectId: uuid('subject_id').notNull(),
    receivedAt: ts('received_at').notNull().defaultNow(),
    sourceIp: text('source_ip'),
    rawBody: text('raw_body').notNull(),
    /** received | processed | invalid | dead */
    state: text('state').notNull().default('received'),
    processedAt: ts('processed_at'),
    processAttempts: integer('process_attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (t) => [index('daraja_inbox_state_idx').on(t.state, t.receivedAt)],
);

/** Money that reached a channel without (or beside) a prompt: C2B confirmations and Pull rows. */
export const incomingPayments = pgTable(
  'incoming_payments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => channels.id),
    receipt: text('receipt').notNull(),
    amount: integer('amount').notNull(),
    billRef: text('bill_ref').notNull(),
    /** Opaque (masked or hashed by Safaricom). */
    msisdn: text('msisdn').notNull(),
    payerName: text('payer_name').notNull().default(''),
    transactedAt: ts('transacted_at').notNull(),
    /** c2b | pull */
    source: text('source').notNull(),
    /** unmatched | matched | attached */
    status: text('status').notNull(),
    paymentId: uuid('payment_id').references(() => payments.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    settledAt: ts('settled_at'),
  },
  (t) => [
    uniqueIndex('incoming_payments_receipt_uq').on(sql`upper(${t.receipt})`),
    index('incoming_payments_tenant_idx').on(t.tenantId, t.createdAt, t.id),
    index('incoming_payments_tenant_status_idx').on(t.tenantId, t.status),
  ],
);
