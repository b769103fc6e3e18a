import { Inject, Injectable } from '@nestjs/common';
import type { TenantId } from '@malipo/common';
import { DRIZZLE, schema, type Db } from '@malipo/db';
import { and, asc, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { PaymentStatus } from '../domain';
import type { PaymentRow } from './payment-rows';
import { receiptIs } from './payments.repository';

const { payments } = schema;

/** Filters already checked and normalised by the caller (phone canonical, cursor decoded). */
export interface PaymentFilterQuery {
  terminalId?: string;
  status?: PaymentStatus;
  orderRef?: string;
  phone?: string;
  receipt?: string;
  from?: Date;
  to?: Date;
}

export interface PaymentListQuery extends PaymentFilterQuery {
  /** The last row seen: rows strictly after it in (created_at, id) descending order. */
  afterId?: string;
  limit: number;
}

function filterConditions(tenantId: TenantId, q: PaymentFilterQuery): SQL[] {
  const conditions: SQL[] = [eq(payments.tenantId, tenantId)];
  if (q.terminalId) conditions.push(eq(payments.terminalId, q.terminalId));
  if (q.status) conditions.push(eq(payments.status, q.status));
  if (q.orderRef) conditions.push(eq(payments.orderRef, q.orderRef));
  if (q.phone) conditions.push(eq(payments.phone, q.phone));
  if (q.receipt) conditions.push(receiptIs(q.receipt));
  if (q.from) conditions.push(gte(payments.createdAt, q.from));
  if (q.to) conditions.push(lt(payments.createdAt, q.to));
  return conditions;
}

/** The payment listing's SQL: newest first, keyset-paginated, with totals for the same filter. */
@Injectable()
export class PaymentListRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Db) {}

  async list(tenantId: TenantId, q: PaymentListQuery): Promise<PaymentRow[]> {
    const conditions = filterConditions(tenantId, q);
    if (q.afterId) {
      // Compared in SQL, so PostgreSQL's microsecond order stays exact.
      conditions.push(
        sql`(${payments.createdAt}, ${payments.id}) < (select p.created_at, p.id from payments p where p.id = ${q.afterId} and p.tenant_id = ${tenantId})`,
      );
    }
    return this.db
      .select()
      .from(payments)
      .where(and(...conditions))
      .orderBy(desc(payments.createdAt), desc(payments.id))
      .limit(q.limit);
  }

  /** Count and amount by status for a filter (all pages). */
  async totals(
    tenantId: TenantId,
    q: PaymentFilterQuery,
  ): Promise<{ status: string; count: number; amount: number }[]> {
    return this.db
      .select({
        status: payments.status,
        count: sql<number>`count(*)::int`,
        amount: sql<number>`coalesce(sum(${payments.amount}), 0)::bigint`.mapWith(Number),
      })
      .from(payments)
      .where(and(...filterConditions(tenantId, q)))
      .groupBy(payments.status)
      .orderBy(payments.status);
  }

  /** Why payments ended without money, by failure code, for a filter. */
  async failureReasons(
    tenantId: TenantId,
    q: PaymentFilterQuery,
  ): Promise<{ code: string; message: string; count: number }[]> {
    return this.db
      .select({
        code: payments.failureCode,
        message: sql<string>`min(${payments.failureMessage})`,
        count: sql<number>`count(*)::int`,
      })
      .from(payments)
      .where(and(...filterConditions(tenantId, q), sql`${payments.failureCode} is not null`))
      .groupBy(payments.failureCode)
      .orderBy(desc(sql`count(*)`)) as Promise<{ code: string; message: string; count: number }[]>;
  }

  /** Every STK push of a payment, oldest first (the detail view's attempts). */
  async attempts(tenantId: TenantId, paymentId: string) {
    const a = schema.paymentAttempts;
    return this.db
      .select({
        number: a.number,
        state: a.state,
        outcome: a.outcome,
        resultCode: a.resultCode,
        resultDesc: a.resultDesc,
        receipt: a.receipt,
        checkoutRequestId: a.checkoutRequestId,
        queryCount: a.queryCount,
        createdAt: a.createdAt,
        finalizedAt: a.finalizedAt,
      })
      .from(a)
      .where(and(eq(a.tenantId, tenantId), eq(a.paymentId, paymentId)))
      .orderBy(asc(a.number));
  }
}
