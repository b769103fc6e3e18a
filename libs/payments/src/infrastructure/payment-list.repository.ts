import { Inject, Injectable } from '@nestjs/common';
import type { TenantId } from '@malipo/common';
import { DRIZZLE, schema, type Db } from '@malipo/db';
import { and, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { PaymentStatus } from '../domain';
import type { PaymentRow } from './payment-rows';
import { receiptIs } from './payments.repository';

const { payments } = schema;

/** Filters already checked and normalised by the caller (phone canonical, cursor decoded). */
export interface PaymentListQuery {
  terminalId?: string;
  status?: PaymentStatus;
  orderRef?: string;
  phone?: string;
  receipt?: string;
  from?: Date;
  to?: Date;
  /** The last row seen: rows strictly after it in (created_at, id) descending order. */
  afterId?: string;
  limit: number;
}

/** The payment listing's SQL: newest first, keyset-paginated. */
@Injectable()
export class PaymentListRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Db) {}

  async list(tenantId: TenantId, q: PaymentListQuery): Promise<PaymentRow[]> {
    const conditions: SQL[] = [eq(payments.tenantId, tenantId)];
    if (q.terminalId) conditions.push(eq(payments.terminalId, q.terminalId));
    if (q.status) conditions.push(eq(payments.status, q.status));
    if (q.orderRef) conditions.push(eq(payments.orderRef, q.orderRef));
    if (q.phone) conditions.push(eq(payments.phone, q.phone));
    if (q.receipt) conditions.push(receiptIs(q.receipt));
    if (q.from) conditions.push(gte(payments.createdAt, q.from));
    if (q.to) conditions.push(lt(payments.createdAt, q.to));
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
}
