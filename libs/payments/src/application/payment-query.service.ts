import { Injectable } from '@nestjs/common';
import { ValidationError, type TenantId } from '@malipo/common';
import { schema } from '@malipo/db';
import { normalisePhone } from '@malipo/daraja';
import { and, asc, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { PaymentStatus } from '../domain';
import { PaymentsRepository } from '../infrastructure/payments.repository';
import type { PaymentEventRow, PaymentRow } from '../infrastructure/payment-rows';

const { payments } = schema;

export interface PaymentFilters {
  status?: PaymentStatus;
  orderRef?: string;
  phone?: string;
  receipt?: string;
  terminalId?: string;
  from?: Date;
  to?: Date;
  limit: number;
  cursor?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// The cursor names the last row seen; comparing in SQL keeps PostgreSQL's microsecond order exact.
const encodeCursor = (row: PaymentRow): string => Buffer.from(row.id).toString('base64url');

function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString();
  if (!UUID.test(id)) {
    throw new ValidationError('cursor is not one this API returned', { field: 'cursor' });
  }
  return id;
}

function filterConditions(
  tenantId: TenantId,
  scopeTerminalId: string | null,
  f: Omit<PaymentFilters, 'limit' | 'cursor'>,
): SQL[] {
  const conditions: SQL[] = [eq(payments.tenantId, tenantId)];
  const terminalId = scopeTerminalId ?? f.terminalId;
  if (terminalId) conditions.push(eq(payments.terminalId, terminalId));
  if (f.status) conditions.push(eq(payments.status, f.status));
  if (f.orderRef) conditions.push(eq(payments.orderRef, f.orderRef));
  if (f.phone) conditions.push(eq(payments.phone, normalisePhone(f.phone, 'phone')));
  if (f.receipt) conditions.push(eq(payments.receipt, f.receipt.toUpperCase()));
  if (f.from) conditions.push(gte(payments.createdAt, f.from));
  if (f.to) conditions.push(lt(payments.createdAt, f.to));
  return conditions;
}

/** Reads for owners and tills: filtered, newest first, with a stable keyset cursor. */
@Injectable()
export class PaymentQueryService {
  constructor(private readonly repo: PaymentsRepository) {}

  async list(
    tenantId: TenantId,
    scopeTerminalId: string | null,
    f: PaymentFilters,
  ): Promise<{ items: PaymentRow[]; nextCursor: string | null }> {
    const conditions = filterConditions(tenantId, scopeTerminalId, f);
    if (f.cursor) {
      const id = decodeCursor(f.cursor);
      conditions.push(
        sql`(${payments.createdAt}, ${payments.id}) < (select p.created_at, p.id from payments p where p.id = ${id} and p.tenant_id = ${tenantId})`,
      );
    }
    const rows = await this.repo.db
      .select()
      .from(payments)
      .where(and(...conditions))
      .orderBy(desc(payments.createdAt), desc(payments.id))
      .limit(f.limit + 1);
    const items = rows.slice(0, f.limit);
    const nextCursor = rows.length > f.limit ? encodeCursor(items[items.length - 1]) : null;
    return { items, nextCursor };
  }

  /** Count and amount by status for the same filters as `list` (all pages). */
  async totals(
    tenantId: TenantId,
    scopeTerminalId: string | null,
    f: Omit<PaymentFilters, 'limit' | 'cursor'>,
  ): Promise<{ status: string; count: number; amount: number }[]> {
    return this.repo.db
      .select({
        status: payments.status,
        count: sql<number>`count(*)::int`,
        amount: sql<number>`coalesce(sum(${payments.amount}), 0)::bigint`.mapWith(Number),
      })
      .from(payments)
      .where(and(...filterConditions(tenantId, scopeTerminalId, f)))
      .groupBy(payments.status)
      .orderBy(payments.status);
  }

  /** Why payments ended without money, by failure code, for the same filters as `list`. */
  async failureReasons(
    tenantId: TenantId,
    scopeTerminalId: string | null,
    f: Omit<PaymentFilters, 'limit' | 'cursor'>,
  ): Promise<{ code: string; message: string; count: number }[]> {
    return this.repo.db
      .select({
        code: payments.failureCode,
        message: sql<string>`min(${payments.failureMessage})`,
        count: sql<number>`count(*)::int`,
      })
      .from(payments)
      .where(
        and(
          ...filterConditions(tenantId, scopeTerminalId, f),
          sql`${payments.failureCode} is not null`,
        ),
      )
      .groupBy(payments.failureCode)
      .orderBy(desc(sql`count(*)`)) as Promise<{ code: string; message: string; count: number }[]>;
  }

  /** Every STK push of a payment, oldest first (the detail view's attempts). */
  async attempts(tenantId: TenantId, paymentId: string) {
    const a = schema.paymentAttempts;
    return this.repo.db
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

  async events(tenantId: TenantId, paymentId: string): Promise<PaymentEventRow[]> {
    return this.repo.listEvents(this.repo.db, tenantId, paymentId);
  }
}
