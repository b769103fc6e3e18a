import { Injectable } from '@nestjs/common';
import { ValidationError, type TenantId } from '@malipo/common';
import { normalisePhone } from '@malipo/daraja';
import type { PaymentStatus } from '../domain';
import {
  PaymentListRepository,
  type PaymentFilterQuery,
} from '../infrastructure/payment-list.repository';
import { PaymentsRepository } from '../infrastructure/payments.repository';
import type { PaymentEventRow, PaymentRow } from '../infrastructure/payment-rows';

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

// The cursor names the last row seen (PaymentListRepository compares in SQL).
const encodeCursor = (row: PaymentRow): string => Buffer.from(row.id).toString('base64url');

function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString();
  if (!UUID.test(id)) {
    throw new ValidationError('cursor is not one this API returned', { field: 'cursor' });
  }
  return id;
}

/** The filter as the repository takes it: a till sees its own terminal, phones canonical. */
function filterQuery(
  scopeTerminalId: string | null,
  f: Omit<PaymentFilters, 'limit' | 'cursor'>,
): PaymentFilterQuery {
  return {
    terminalId: scopeTerminalId ?? f.terminalId,
    status: f.status,
    orderRef: f.orderRef,
    phone: f.phone ? normalisePhone(f.phone, 'phone') : undefined,
    receipt: f.receipt,
    from: f.from,
    to: f.to,
  };
}

/** Reads for owners and tills: filtered, newest first, with a stable keyset cursor. */
@Injectable()
export class PaymentQueryService {
  constructor(
    private readonly repo: PaymentsRepository,
    private readonly listing: PaymentListRepository,
  ) {}

  async list(
    tenantId: TenantId,
    scopeTerminalId: string | null,
    f: PaymentFilters,
  ): Promise<{ items: PaymentRow[]; nextCursor: string | null }> {
    const rows = await this.listing.list(tenantId, {
      ...filterQuery(scopeTerminalId, f),
      afterId: f.cursor ? decodeCursor(f.cursor) : undefined,
      limit: f.limit + 1,
    });
    const items = rows.slice(0, f.limit);
    const nextCursor = rows.length > f.limit ? encodeCursor(items[items.length - 1]) : null;
    return { items, nextCursor };
  }

  /** Count and amount by status for the same filters as `list` (all pages). */
  totals(
    tenantId: TenantId,
    scopeTerminalId: string | null,
    f: Omit<PaymentFilters, 'limit' | 'cursor'>,
  ) {
    return this.listing.totals(tenantId, filterQuery(scopeTerminalId, f));
  }

  /** Why payments ended without money, by failure code, for the same filters as `list`. */
  failureReasons(
    tenantId: TenantId,
    scopeTerminalId: string | null,
    f: Omit<PaymentFilters, 'limit' | 'cursor'>,
  ) {
    return this.listing.failureReasons(tenantId, filterQuery(scopeTerminalId, f));
  }

  /** Every STK push of a payment, oldest first (the detail view's attempts). */
  attempts(tenantId: TenantId, paymentId: string) {
    return this.listing.attempts(tenantId, paymentId);
  }

  async events(tenantId: TenantId, paymentId: string): Promise<PaymentEventRow[]> {
    return this.repo.listEvents(this.repo.db, tenantId, paymentId);
  }
}
