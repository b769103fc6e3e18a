import { Inject, Injectable } from '@nestjs/common';
import type { TenantId } from '@malipo/common';
import { DRIZZLE, schema, type Db, type DbOrTx } from '@malipo/db';
import { and, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { PaymentStatus } from '../domain';
import type { PaymentRow } from '../infrastructure/payment-rows';

const { incomingPayments, payments } = schema;

export type IncomingPaymentRow = typeof incomingPayments.$inferSelect;
export type IncomingStatus = 'unmatched' | 'matched' | 'attached';
export type NewIncomingPayment = Omit<
  IncomingPaymentRow,
  'id' | 'createdAt' | 'settledAt' | 'tenantId'
>;

export interface IncomingFilter {
  status?: IncomingStatus;
  channelId?: string;
  receipt?: string;
  billRef?: string;
  from?: Date;
  to?: Date;
  afterId?: string;
  limit: number;
}

/** Statuses of a payment that is not paid yet: open, or ended without money (DESIGN). */
export const UNPAID_STATUSES: readonly PaymentStatus[] = [
  'created',
  'awaiting_customer',
  'unknown',
  'failed',
  'cancelled',
  'expired',
];

/** `ORDER-77` and `order77` name the same order: letters and digits, upper case, at most 12. */
export function normalisedRef(ref: string): string {
  return ref
    .replace(/[^A-Za-z0-9]/g, '')
    .toUpperCase()
    .slice(0, 12);
}

@Injectable()
export class IncomingPaymentsRepository {
  constructor(@Inject(DRIZZLE) readonly db: Db) {}

  /** Undefined when the receipt is already known (upper-case unique index): never used twice. */
  async insert(
    tx: DbOrTx,
    tenantId: TenantId,
    row: NewIncomingPayment,
  ): Promise<IncomingPaymentRow | undefined> {
    const [inserted] = await tx
      .insert(incomingPayments)
      .values({ ...row, tenantId })
      .onConflictDoNothing()
      .returning();
    return inserted;
  }

  async byReceipt(tx: DbOrTx, receipt: string): Promise<IncomingPaymentRow | undefined> {
    const [row] = await tx
      .select()
      .from(incomingPayments)
      .where(sql`upper(${incomingPayments.receipt}) = upper(${receipt})`);
    return row;
  }

  async lock(tx: DbOrTx, tenantId: TenantId, id: string): Promise<IncomingPaymentRow | undefined> {
    const [row] = await tx
      .select()
      .from(incomingPayments)
      .where(and(eq(incomingPayments.tenantId, tenantId), eq(incomingPayments.id, id)))
      .for('update');
    return row;
  }

  async settle(
    tx: DbOrTx,
    tenantId: TenantId,
    id: string,
    status: IncomingStatus,
    paymentId: string,
  ): Promise<IncomingPaymentRow> {
    const [row] = await tx
      .update(incomingPayments)
      .set({ status, paymentId, settledAt: sql`now()` })
      .where(and(eq(incomingPayments.tenantId, tenantId), eq(incomingPayments.id, id)))
      .returning();
    return row;
  }

  list(tenantId: TenantId, q: IncomingFilter): Promise<IncomingPaymentRow[]> {
    const c: SQL[] = [eq(incomingPayments.tenantId, tenantId)];
    if (q.status) c.push(eq(incomingPayments.status, q.status));
    if (q.channelId) c.push(eq(incomingPayments.channelId, q.channelId));
    if (q.receipt) c.push(sql`upper(${incomingPayments.receipt}) = upper(${q.receipt})`);
    if (q.billRef) c.push(eq(incomingPayments.billRef, q.billRef));
    if (q.from) c.push(gte(incomingPayments.createdAt, q.from));
    if (q.to) c.push(lt(incomingPayments.createdAt, q.to));
    if (q.afterId) {
      c.push(
        sql`(${incomingPayments.createdAt}, ${incomingPayments.id}) < (select i.created_at, i.id from incoming_payments i where i.id = ${q.afterId} and i.tenant_id = ${tenantId})`,
      );
    }
    return this.db
      .select()
      .from(incomingPayments)
      .where(and(...c))
      .orderBy(desc(incomingPayments.createdAt), desc(incomingPayments.id))
      .limit(q.limit);
  }

  /** Unpaid payments of the channel whose order reference and amount the money names. */
  openOrdersFor(
    tx: DbOrTx,
    tenantId: TenantId,
    q: { channelId: string; billRef: string; amount: number },
  ): Promise<PaymentRow[]> {
    return tx
      .select()
      .from(payments)
      .where(
        and(
          eq(payments.tenantId, tenantId),
          eq(payments.channelId, q.channelId),
          eq(payments.amount, q.amount),
          inArray(payments.status, [...UNPAID_STATUSES]),
          sql`left(upper(regexp_replace(${payments.orderRef}, '[^A-Za-z0-9]', '', 'g')), 12) = ${normalisedRef(q.billRef)}`,
        ),
      )
      .limit(2);
  }
}
