import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { accounts } from './accounts';
import { channels, tenants, terminals } from './tenancy';

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const payments = pgTable(
  'payments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => channels.id),
    terminalId: uuid('terminal_id').references(() => terminals.id),
    orderRef: text('order_ref').notNull(),
    /** Whole Kenyan shillings; STK Push takes no fractions. */
    amount: integer('amount').notNull(),
    currency: text('currency').notNull().default('KES'),
    /** Normalised 2547XXXXXXXX / 2541XXXXXXXX. */
    phone: text('phone').notNull(),
    description: text('description'),
    /** The cashier the till named on POST /v1/payments (issue 18); also on the audit actor. */
    cashier: text('cashier'),
    status: text('status').notNull(),
    /** Compare-and-set guard: every state change bumps it. */
    version: integer('version').notNull().default(0),
    attemptCount: integer('attempt_count').notNull().default(0),
    currentAttemptId: uuid('current_attempt_id'),
    receipt: text('receipt'),
    paidAmount: integer('paid_amount'),
    paidAt: ts('paid_at'),
    failureCode: text('failure_code'),
    failureMessage: text('failure_message'),
    failureRetryable: boolean('failure_retryable'),
    deadlineAt: ts('deadline_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    finalizedAt: ts('finalized_at'),
    /** Set on a deposit: its success credits this customer account (libs/payments/src/accounts). */
    accountId: uuid('account_id').references(() => accounts.id),
  },
  (t) => [
    // One payment per order that is still open: the database, not the code, has the last word.
    uniqueIndex('payments_open_order_uq')
      .on(t.tenantId, t.orderRef)
      .where(sql`status in ('created', 'awaiting_customer', 'unknown')`),
    // M-Pesa receipts are case-insensitive: a case variant of a known receipt is the same one.
    uniqueIndex('payments_receipt_uq')
      .on(sql`upper(${t.receipt})`)
      .where(sql`receipt is not null`),
    index('payments_tenant_created_idx').on(t.tenantId, t.createdAt, t.id),
    index('payments_tenant_order_idx').on(t.tenantId, t.orderRef),
    index('payments_tenant_phone_idx').on(t.tenantId, t.phone),
    index('payments_tenant_status_idx').on(t.tenantId, t.status),
    index('payments_account_idx')
      .on(t.accountId)
      .where(sql`account_id is not null`),
  ],
);

export const paymentAttempts = pgTable(
  'payment_attempts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => channels.id),
    number: integer('number').notNull(),
    /** pending (push not answered yet) | accepted | unknown | rejected | final */
    state: text('state').notNull(),
    amount: integer('amount').notNull(),
    phone: text('phone').notNull(),
    merchantRequestId: text('merchant_request_id'),
    checkoutRequestId: text('checkout_request_id'),
    outcome: text('outcome'),
    resultCode: text('result_code'),
    resultDesc: text('result_desc'),
    receipt: text('receipt'),
    pushRequest: jsonb('push_request'),
    pushResponse: jsonb('push_response'),
    pushSentAt: ts('push_sent_at'),
    answeredAt: ts('answered_at'),
    finalizedAt: ts('finalized_at'),
    deadlineAt: ts('deadline_at'),
    nextQueryAt: ts('next_query_at'),
    queryCount: integer('query_count').notNull().default(0),
    lastQueryAt: ts('last_query_at'),
    lastQueryResult: jsonb('last_query_result'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    // At most one live attempt per payment.
    uniqueIndex('payment_attempts_live_uq')
      .on(t.paymentId)
      .where(sql`state in ('pending', 'accepted', 'unknown')`),
    uniqueIndex('payment_attempts_number_uq').on(t.paymentId, t.number),
    uniqueIndex('payment_attempts_checkout_uq')
      .on(t.checkoutRequestId)
      .where(sql`checkout_request_id is not null`),
    index('payment_attempts_due_idx')
      .on(t.nextQueryAt)
      .where(
        sql`state in ('accepted', 'unknown') or (state = 'final' and next_query_at is not null)`,
      ),
  ],
);

/** Append-only: one row per payment state change, written in the same transaction (outbox). */
export const paymentEvents = pgTable(
  'payment_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    type: text('type').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    terminalId: uuid('terminal_id'),
    data: jsonb('data').notNull(),
    /**
     * The payment's changing columns as this event left them, so a replay or a late webhook shows
     * the payment as it was then. Null on events written before migration 0004.
     */
    paymentState: jsonb('payment_state').$type<Record<string, unknown>>(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('payment_events_tenant_seq_uq').on(t.tenantId, t.seq),
    index('payment_events_payment_idx').on(t.paymentId, t.id),
  ],
);

/** Every callback body as received, stored before we acknowledge Safaricom. */
export const callbackInbox = pgTable(
  'callback_inbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    attemptId: uuid('attempt_id').notNull(),
    receivedAt: ts('received_at').notNull().defaultNow(),
    sourceIp: text('source_ip'),
    headers: jsonb('headers').notNull(),
    rawBody: text('raw_body').notNull(),
    /** received | processed | invalid | rejected | dead */
    state: text('state').notNull().default('received'),
    enqueuedAt: ts('enqueued_at'),
    processedAt: ts('processed_at'),
    processAttempts: integer('process_attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (t) => [
    index('callback_inbox_state_idx').on(t.state, t.receivedAt),
    index('callback_inbox_attempt_idx').on(t.attemptId),
  ],
);

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    key: text('key').notNull(),
    scope: text('scope').notNull(),
    requestHash: text('request_hash').notNull(),
    /** in_progress | completed */
    state: text('state').notNull(),
    responseStatus: integer('response_status'),
    responseBody: jsonb('response_body'),
    lockedUntil: ts('locked_until'),
    /** The payment this key created, once it exists: a crashed request is resumed, never re-pushed. */
    paymentId: uuid('payment_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [
    uniqueIndex('idempotency_keys_pk').on(t.tenantId, t.scope, t.key),
    index('idempotency_keys_expires_idx').on(t.expiresAt),
  ],
);

/** Where we and Safaricom (or our own records) disagree; operators acknowledge and resolve. */
export const discrepancies = pgTable(
  'discrepancies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    paymentId: uuid('payment_id').references(() => payments.id),
    attemptId: uuid('attempt_id'),
    kind: text('kind').notNull(),
    /** open | acknowledged | resolved */
    state: text('state').notNull().default('open'),
    /** One discrepancy per fact: replays of the same evidence do not open a second one. */
    dedupeKey: text('dedupe_key').notNull(),
    evidence: jsonb('evidence').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    resolvedAt: ts('resolved_at'),
    resolvedBy: text('resolved_by'),
    resolutionNote: text('resolution_note'),
  },
  (t) => [
    uniqueIndex('discrepancies_dedupe_uq').on(t.tenantId, t.dedupeKey),
    index('discrepancies_tenant_state_idx').on(t.tenantId, t.state, t.createdAt),
  ],
);
