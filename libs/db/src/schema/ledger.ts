import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { accounts } from './accounts';
import { payments } from './payments';
import { tenants } from './tenancy';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * One movement of money: its entries sum to zero (a statement trigger refuses any insert that
 * leaves a journal unbalanced). Append-only, like its entries.
 */
export const ledgerJournals = pgTable(
  'ledger_journals',
  {
    id: uuid('id').primaryKey(),
    /** No foreign key: the account's implies it, and one would share-lock the shop's row. */
    tenantId: uuid('tenant_id').notNull(),
    /** deposit | charge | reversal | adjustment */
    kind: text('kind').notNull(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    paymentId: uuid('payment_id').references(() => payments.id),
    orderRef: text('order_ref'),
    receipt: text('receipt'),
    adjustmentId: uuid('adjustment_id'),
    terminalId: uuid('terminal_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    // A payment's deposit (and its reversal) is posted once, whatever replays the success.
    uniqueIndex('ledger_journals_payment_kind_uq')
      .on(t.paymentId, t.kind)
      .where(sql`payment_id is not null`),
    uniqueIndex('ledger_journals_adjustment_uq')
      .on(t.adjustmentId)
      .where(sql`adjustment_id is not null`),
    index('ledger_journals_tenant_created_idx').on(t.tenantId, t.createdAt),
  ],
);

/**
 * One leg of a journal: either a customer account (with the balance before and after it) or a
 * shop-level system account (`mpesa_receipts`, `sales`, `adjustments`, `reversal_shortfall`),
 * whose balance is the sum of its entries, so no hot row serialises a shop's postings.
 */
export const ledgerEntries = pgTable(
  'ledger_entries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: uuid('tenant_id').notNull(),
    journalId: uuid('journal_id')
      .notNull()
      .references(() => ledgerJournals.id),
    accountId: uuid('account_id').references(() => accounts.id),
    systemAccount: text('system_account'),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    balanceBefore: bigint('balance_before', { mode: 'number' }),
    balanceAfter: bigint('balance_after', { mode: 'number' }),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    check('ledger_entries_one_side', sql`(${t.accountId} is null) <> (${t.systemAccount} is null)`),
    check(
      'ledger_entries_customer_balance',
      sql`${t.accountId} is null or (${t.balanceAfter} = ${t.balanceBefore} + ${t.amount} and ${t.balanceAfter} >= 0)`,
    ),
    index('ledger_entries_account_idx')
      .on(t.accountId, t.id)
      .where(sql`account_id is not null`),
    index('ledger_entries_journal_idx').on(t.journalId),
  ],
);

/** Adjustments asked by one person and approved by another (as reversals are). */
export const accountAdjustments = pgTable(
  'account_adjustments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    /** Signed whole KES, never zero. */
    amount: integer('amount').notNull(),
    reason: text('reason').notNull(),
    /** pending_approval | approved | rejected */
    state: text('state').notNull().default('pending_approval'),
    requestedBy: text('requested_by').notNull(),
    decidedBy: text('decided_by'),
    decidedRole: text('decided_role'),
    decisionNote: text('decision_note'),
    decidedAt: ts('decided_at'),
    journalId: uuid('journal_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('account_adjustments_non_zero', sql`${t.amount} <> 0`),
    index('account_adjustments_account_idx').on(t.tenantId, t.accountId, t.createdAt),
  ],
);

/**
 * Journals still to be turned into `account.credited` / `account.debited` webhooks: written by
 * the posting statement only when the shop has an endpoint for them, deleted by the dispatcher.
 */
export const ledgerWebhookOutbox = pgTable('ledger_webhook_outbox', {
  journalId: uuid('journal_id').primaryKey(),
  tenantId: uuid('tenant_id').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});
