import {
  date,
  index,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { tenants } from './tenancy';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** One operator-requested reconciliation over a date range, for one tenant or all of them. */
export const reconciliationRuns = pgTable(
  'reconciliation_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Null: every tenant. */
    tenantId: uuid('tenant_id').references(() => tenants.id),
    fromDay: date('from_day').notNull(),
    toDay: date('to_day').notNull(),
    /** running | completed | failed */
    state: text('state').notNull().default('running'),
    requestedBy: text('requested_by').notNull(),
    summary: jsonb('summary'),
    error: text('error'),
    createdAt: ts('created_at').notNull().defaultNow(),
    finishedAt: ts('finished_at'),
  },
  (t) => [index('reconciliation_runs_created_idx').on(t.createdAt)],
);

/** A tenant's day: regenerating it rewrites the same row (unique per tenant and day). */
export const dailyReports = pgTable(
  'daily_reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    day: date('day').notNull(),
    report: jsonb('report').notNull(),
    runId: uuid('run_id'),
    generatedAt: ts('generated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('daily_reports_tenant_day_uq').on(t.tenantId, t.day)],
);
