import { Inject, Injectable } from '@nestjs/common';
import type { TenantId } from '@malipo/common';
import { DRIZZLE, schema, type Db, type DbOrTx } from '@malipo/db';
import { and, asc, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { PaymentRow } from '../infrastructure/payment-rows';

const { dailyReports, reconciliationRuns, discrepancies, payments, tenants } = schema;

export type DailyReportRow = typeof dailyReports.$inferSelect;
export type ReconciliationRunRow = typeof reconciliationRuns.$inferSelect;
export type DiscrepancyRow = typeof discrepancies.$inferSelect;

export interface PaymentGroup {
  status: string;
  terminalId: string | null;
  channelId: string;
  count: number;
  amount: number;
  paidAmount: number;
}

export interface DiscrepancyFilters {
  tenantId: TenantId | null;
  state?: string;
  kind?: string;
  paymentId?: string;
  from?: Date;
  to?: Date;
  limit: number;
}

/** SQL for reports, runs, discrepancies and the CSV export. Tenant-scoped unless ops asks for all. */
@Injectable()
export class ReconcileReportsRepository {
  constructor(@Inject(DRIZZLE) readonly db: Db) {}

  async paymentGroups(tenantId: TenantId, from: Date, to: Date): Promise<PaymentGroup[]> {
    const rows = await this.db
      .select({
        status: payments.status,
        terminalId: payments.terminalId,
        channelId: payments.channelId,
        count: sql<number>`count(*)::int`,
        amount: sql<string>`coalesce(sum(${payments.amount}), 0)::text`,
        paidAmount: sql<string>`coalesce(sum(${payments.paidAmount}), 0)::text`,
      })
      .from(payments)
      .where(inPeriod(tenantId, from, to))
      .groupBy(payments.status, payments.terminalId, payments.channelId);
    return rows.map((r) => ({ ...r, amount: Number(r.amount), paidAmount: Number(r.paidAmount) }));
  }

  async medianSecondsToOutcome(tenantId: TenantId, from: Date, to: Date): Promise<number | null> {
    const [row] = await this.db
      .select({
        median: sql<
          string | null
        >`percentile_cont(0.5) within group (order by extract(epoch from ${payments.finalizedAt} - ${payments.createdAt}))`,
      })
      .from(payments)
      .where(and(inPeriod(tenantId, from, to), sql`${payments.finalizedAt} is not null`));
    return row?.median === null || row?.median === undefined ? null : Number(row.median);
  }

  async discrepanciesCreated(tenantId: TenantId, from: Date, to: Date): Promise<DiscrepancyRow[]> {
    return this.db
      .select()
      .from(discrepancies)
      .where(
        and(
          eq(discrepancies.tenantId, tenantId),
          gte(discrepancies.createdAt, from),
          lt(discrepancies.createdAt, to),
        ),
      )
      .orderBy(discrepancies.createdAt);
  }

  /** One row per (tenant, day): regenerating overwrites it in place. */
  async upsertDaily(
    tenantId: TenantId,
    day: string,
    report: Record<string, unknown>,
    runId: string | null,
  ): Promise<DailyReportRow> {
    const [row] = await this.db
      .insert(dailyReports)
      .values({ tenantId, day, report, runId })
      .onConflictDoUpdate({
        target: [dailyReports.tenantId, dailyReports.day],
        set: { report, runId, generatedAt: sql`now()` },
      })
      .returning();
    return row;
  }

  async tenantIds(): Promise<TenantId[]> {
    const rows = await this.db.select({ id: tenants.id }).from(tenants);
    return rows.map((r) => r.id as TenantId);
  }

  async insertRun(
    r: {
      tenantId: TenantId | null;
      fromDay: string;
      toDay: string;
      requestedBy: string;
    },
    tx: DbOrTx = this.db,
  ): Promise<ReconciliationRunRow> {
    const [row] = await tx.insert(reconciliationRuns).values(r).returning();
    return row;
  }

  async finishRun(
    id: string,
    state: 'completed' | 'failed',
    summary: Record<string, unknown> | null,
    error: string | null,
  ): Promise<void> {
    await this.db
      .update(reconciliationRuns)
      .set({ state, summary, error, finishedAt: sql`now()` })
      .where(eq(reconciliationRuns.id, id));
  }

  /** Runs still `running` that were started before `before` (their job may have been lost). */
  async unfinishedRuns(before: Date, limit = 100): Promise<ReconciliationRunRow[]> {
    return this.db
      .select()
      .from(reconciliationRuns)
      .where(and(eq(reconciliationRuns.state, 'running'), lt(reconciliationRuns.createdAt, before)))
      .orderBy(asc(reconciliationRuns.createdAt))
      .limit(limit);
  }

  async findRun(id: string): Promise<ReconciliationRunRow | undefined> {
    const [row] = await this.db
      .select()
      .from(reconciliationRuns)
      .where(eq(reconciliationRuns.id, id));
    return row;
  }

  async listDiscrepancies(f: DiscrepancyFilters): Promise<DiscrepancyRow[]> {
    const where: SQL[] = [];
    if (f.tenantId) where.push(eq(discrepancies.tenantId, f.tenantId));
    if (f.state) where.push(eq(discrepancies.state, f.state));
    if (f.kind) where.push(eq(discrepancies.kind, f.kind));
    if (f.paymentId) where.push(eq(discrepancies.paymentId, f.paymentId));
    if (f.from) where.push(gte(discrepancies.createdAt, f.from));
    if (f.to) where.push(lt(discrepancies.createdAt, f.to));
    return this.db
      .select()
      .from(discrepancies)
      .where(and(...where))
      .orderBy(desc(discrepancies.createdAt), desc(discrepancies.id))
      .limit(f.limit);
  }

  async findDiscrepancy(
    tenantId: TenantId | null,
    id: string,
  ): Promise<DiscrepancyRow | undefined> {
    const [row] = await this.db
      .select()
      .from(discrepancies)
      .where(
        and(eq(discrepancies.id, id), tenantId ? eq(discrepancies.tenantId, tenantId) : undefined),
      );
    return row;
  }

  async setDiscrepancyState(
    id: string,
    state: 'acknowledged' | 'resolved',
    by: string,
    note: string | null,
    tx: DbOrTx = this.db,
  ): Promise<DiscrepancyRow> {
    const [row] = await tx
      .update(discrepancies)
      .set({
        state,
        resolvedBy: by,
        resolutionNote: note,
        resolvedAt: state === 'resolved' ? sql`now()` : null,
      })
      .where(eq(discrepancies.id, id))
      .returning();
    return row;
  }

  /**
   * One page of the export, oldest first. The keyset compares in SQL against the last row itself,
   * so PostgreSQL's microsecond timestamps never meet JavaScript's milliseconds.
   */
  async exportPage(q: {
    tenantId: TenantId;
    terminalId: string | null;
    status?: string;
    from: Date;
    to: Date;
    afterId: string | null;
    limit: number;
  }): Promise<PaymentRow[]> {
    const { tenantId, terminalId, from, to, afterId, limit } = q;
    const where: SQL[] = [inPeriod(tenantId, from, to)];
    if (terminalId) where.push(eq(payments.terminalId, terminalId));
    if (q.status) where.push(eq(payments.status, q.status));
    if (afterId) {
      where.push(
        sql`(${payments.createdAt}, ${payments.id}) > (select p.created_at, p.id from payments p where p.id = ${afterId} and p.tenant_id = ${tenantId})`,
      );
    }
    return this.db
      .select()
      .from(payments)
      .where(and(...where))
      .orderBy(payments.createdAt, payments.id)
      .limit(limit);
  }
}

function inPeriod(tenantId: TenantId, from: Date, to: Date): SQL {
  return and(
    eq(payments.tenantId, tenantId),
    gte(payments.createdAt, from),
    lt(payments.createdAt, to),
  ) as SQL;
}
