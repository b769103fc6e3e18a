import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { discrepancies } from './payments';
import { tenants } from './tenancy';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** A shop's own backend that wants signed events. Secrets are sealed (SecretBox), never returned. */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    url: text('url').notNull(),
    description: text('description'),
    eventTypes: text('event_types').array().notNull(),
    enabled: boolean('enabled').notNull().default(true),
    disabledReason: text('disabled_reason'),
    disabledAt: ts('disabled_at'),
    secretSealed: text('secret_sealed').notNull(),
    /** The secret before the last rotation; deliveries are signed with both until it expires. */
    previousSecretSealed: text('previous_secret_sealed'),
    previousSecretExpiresAt: ts('previous_secret_expires_at'),
    /** Set by the first failed attempt after a success; drives automatic disabling. */
    failingSince: ts('failing_since'),
    lastSuccessAt: ts('last_success_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    deletedAt: ts('deleted_at'),
  },
  (t) => [index('webhook_endpoints_tenant_idx').on(t.tenantId, t.createdAt)],
);

/**
 * One event for one endpoint. `eventKey` names the committed source row (`pe_<payment event id>`
 * or `dsc_<discrepancy id>`); the unique key makes dispatching the same source twice a no-op.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id),
    eventKey: text('event_key').notNull(),
    /** The body's `id`: stable across retries and redeliveries. */
    eventId: text('event_id').notNull(),
    eventType: text('event_type').notNull(),
    /** The exact JSON body sent on every attempt. */
    payload: text('payload').notNull(),
    /** pending | succeeded | failed */
    state: text('state').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    redeliveryOf: uuid('redelivery_of'),
    nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
    lastAttemptAt: ts('last_attempt_at'),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    completedAt: ts('completed_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_source_uq')
      .on(t.endpointId, t.eventKey, t.eventType)
      .where(sql`redelivery_of is null`),
    index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.createdAt),
    index('webhook_deliveries_pending_idx')
      .on(t.nextAttemptAt)
      .where(sql`state = 'pending'`),
  ],
);

/** The delivery log: one row per HTTP attempt. */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id),
    number: integer('number').notNull(),
    at: ts('at').notNull().defaultNow(),
    statusCode: integer('status_code'),
    latencyMs: integer('latency_ms').notNull(),
    /** At most 1 KB of what the receiver answered. */
    responseBody: text('response_body'),
    error: text('error'),
    success: boolean('success').notNull(),
  },
  (t) => [index('webhook_attempts_delivery_idx').on(t.deliveryId, t.number)],
);

/** Outbox cursor: the last payment-event seq of a tenant already turned into deliveries. */
export const webhookCursors = pgTable('webhook_cursors', {
  tenantId: uuid('tenant_id')
    .primaryKey()
    .references(() => tenants.id),
  eventSeq: bigint('event_seq', { mode: 'number' }).notNull().default(0),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/**
 * Discrepancies have no commit-ordered sequence, so each one dispatched is marked here instead
 * of behind a cursor.
 */
export const webhookDiscrepancyMarks = pgTable('webhook_discrepancy_marks', {
  discrepancyId: uuid('discrepancy_id')
    .primaryKey()
    .references(() => discrepancies.id),
  tenantId: uuid('tenant_id').notNull(),
  dispatchedAt: ts('dispatched_at').notNull().defaultNow(),
});
