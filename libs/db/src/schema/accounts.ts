import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  index,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { tenants } from './tenancy';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * A shop's customer account: a prepaid balance in whole KES. `balance` is written only by the
 * statement that posts a ledger entry (libs/payments/src/accounts), never recomputed on read.
 */
export const accounts = pgTable(
  'accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    /** Short code (AC + 8 chars): the AccountReference a deposit's STK push carries. */
    code: text('code').notNull(),
    name: text('name').notNull(),
    /** Normalised 2547XXXXXXXX / 2541XXXXXXXX, optional. */
    phone: text('phone'),
    /** The shop's own customer id. */
    externalRef: text('external_ref'),
    status: text('status').$type<'active' | 'closed'>().notNull().default('active'),
    balance: bigint('balance', { mode: 'number' }).notNull().default(0),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('accounts_balance_non_negative', sql`${t.balance} >= 0`),
    uniqueIndex('accounts_tenant_code_uq').on(t.tenantId, t.code),
    uniqueIndex('accounts_tenant_external_ref_uq')
      .on(t.tenantId, t.externalRef)
      .where(sql`external_ref is not null`),
    index('accounts_tenant_created_idx').on(t.tenantId, t.createdAt, t.id),
  ],
);
