import { Injectable } from '@nestjs/common';
import { ValidationError, type TenantId } from '@malipo/common';
import { schema } from '@malipo/db';
import { normalisePhone } from '@malipo/daraja';
import { and, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { PaymentStatus } from '../domain';
import { PaymentsRepository, receiptIs } from '../infrastructure/payments.repository';
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

/** Reads for owners and tills: filtered, newest first, with a stable keyset cursor. */
@Injectable()
export class PaymentQueryService {
  constructor(private readonly repo: PaymentsRepository) {}

  async list(
    tenantId: TenantId,
    scopeTerminalId: string | null,
    f: PaymentFilters,
  ): Promise<{ items: PaymentRow[]; nextCursor: string | null }> {
    const conditions: SQL[] = [eq(payments.tenantId, tenantId)];
    const terminalId = scopeTerminalId ?? f.terminalId;
    if (terminalId) conditions.push(eq(payments.terminalId, terminalId));
    if (f.status) conditions.push(eq(payments.status, f.status));
    if (f.orderRef) conditions.push(eq(payments.orderRef, f.orderRef));
    if (f.phone) conditions.push(eq(payments.phone, normalisePhone(f.phone, 'phone')));
    if (f.receipt) conditions.push(receiptIs(f.receipt));
    if (f.from) conditions.push(gte(payments.createdAt, f.from));
    if (f.to) conditions.push(lt(payments.createdAt, f.to));
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

  async events(tenantId: TenantId, paymentId: string): Promise<PaymentEventRow[]> {
    return this.repo.listEvents(this.repo.db, tenantId, paymentId);
  }
}
