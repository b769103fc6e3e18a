import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, type TenantId } from '@malipo/common';
import { DRIZZLE, schema, type Db } from '@malipo/db';
import type { PaymentRow } from '@malipo/payments';
import { paymentUpdated, type PaymentUpdated, type ResyncReason } from '@malipo/realtime';
import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import type { Principal } from '../auth';

export type ReplayResult =
  | { kind: 'events'; events: PaymentUpdated[] }
  | { kind: 'resync'; reason: ResyncReason; seq: number };

/**
 * What a key missed since `lastSeq`, read from payment_events (the source of truth), in seq order.
 * Terminal keys see their terminal's events only; owner keys the whole tenant's.
 */
@Injectable()
export class EventReplay {
  constructor(
    @Inject(DRIZZLE) private readonly db: Db,
    private readonly config: AppConfig,
  ) {}

  async since(principal: Principal, lastSeq: number): Promise<ReplayResult> {
    const tenantId = principal.tenantId as TenantId;
    // Read the head first: whatever commits after it is published after we joined our rooms.
    const head = await this.headOf(tenantId);
    if (lastSeq > head) return { kind: 'resync', reason: 'ahead_of_server', seq: head };
    if (lastSeq === head) return { kind: 'events', events: [] };
    const max = this.config.REALTIME_RESUME_MAX_EVENTS;
    const e = schema.paymentEvents;
    const visible = principal.terminalId
      ? and(eq(e.tenantId, tenantId), gt(e.seq, lastSeq), eq(e.terminalId, principal.terminalId))
      : and(eq(e.tenantId, tenantId), gt(e.seq, lastSeq));
    const rows = await this.db
      .select()
      .from(e)
      .where(visible)
      .orderBy(asc(e.seq))
      .limit(max + 1);
    if (rows.length > max) return { kind: 'resync', reason: 'too_many_events', seq: head };
    const windowStart = Date.now() - this.config.REALTIME_RESUME_WINDOW_SECONDS * 1000;
    if (rows.length && rows[0].createdAt.getTime() < windowStart) {
      return { kind: 'resync', reason: 'too_old', seq: head };
    }
    const payments = await this.payments(
      tenantId,
      rows.map((r) => r.paymentId),
    );
    return {
      kind: 'events',
      events: rows.map((row) => ({
        ...paymentUpdated(payments.get(row.paymentId) as PaymentRow, row),
        replayed: true as const,
      })),
    };
  }

  /** The tenant's newest seq: a socket that sends no lastSeq is up to date from here. */
  head(principal: Principal): Promise<number> {
    return this.headOf(principal.tenantId as TenantId);
  }

  private async headOf(tenantId: TenantId): Promise<number> {
    const [row] = await this.db
      .select({ seq: schema.tenants.eventSeq })
      .from(schema.tenants)
      .where(eq(schema.tenants.id, tenantId));
    return Number(row?.seq ?? 0);
  }

  private async payments(tenantId: TenantId, ids: string[]): Promise<Map<string, PaymentRow>> {
    if (!ids.length) return new Map();
    const p = schema.payments;
    const rows = await this.db
      .select()
      .from(p)
      .where(and(eq(p.tenantId, tenantId), inArray(p.id, [...new Set(ids)])));
    return new Map(rows.map((r) => [r.id, r]));
  }
}
