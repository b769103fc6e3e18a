import { Inject, Injectable } from '@nestjs/common';
import { asTenantId, type TenantId } from '@malipo/common';
import { DRIZZLE, schema, type Db, type DbOrTx } from '@malipo/db';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { FIRST_QUERY_DELAY_MS, type AttemptRow } from '../infrastructure/payment-rows';
import { OPEN_STATUSES } from '../domain';

/**
 * PaymentService schedules an attempt's first query this long after the push answer
 * (FIRST_QUERY_DELAY_MS in payment-rows.ts); RECONCILE_THRESHOLD_SECONDS moves it from there.
 */
export const PUSH_FIRST_QUERY_MS = FIRST_QUERY_DELAY_MS;

export interface ClaimOptions {
  limit: number;
  leaseMs: number;
  /** PUSH_FIRST_QUERY_MS minus the threshold: how much earlier a never-queried attempt is due. */
  firstQueryShiftMs: number;
}

export interface DueDeadline {
  tenantId: TenantId;
  paymentId: string;
  attemptId: string | null;
}

type RawAttempt = Record<string, unknown>;

/** OPEN_STATUSES as SQL literals, so the planner matches payments_open_deadline_idx. */
const OPEN_SQL = sql.raw(OPEN_STATUSES.map((s) => `'${s}'`).join(', '));

/** The reconciler's own columns of an attempt (see recordLook). */
export type Look = Partial<
  Pick<AttemptRow, 'queryCount' | 'lastQueryAt' | 'lastQueryResult' | 'nextQueryAt'>
>;

/** snake_case row from raw SQL → the Drizzle row type. */
function toAttempt(r: RawAttempt): AttemptRow {
  const cols = schema.paymentAttempts as unknown as Record<string, { name: string }>;
  const out: Record<string, unknown> = {};
  for (const [key, col] of Object.entries(cols)) {
    if (col && typeof col === 'object' && 'name' in col && typeof col.name === 'string') {
      const v = r[col.name];
      out[key] = v;
    }
  }
  for (const k of [
    'pushSentAt',
    'answeredAt',
    'finalizedAt',
    'deadlineAt',
    'nextQueryAt',
    'lastQueryAt',
    'createdAt',
  ]) {
    if (out[k] !== null && out[k] !== undefined && !(out[k] instanceof Date)) {
      out[k] = new Date(out[k] as string);
    }
  }
  return out as AttemptRow;
}

/** Rows in the reconciler's part of payment_attempts (the partial indexes' predicate). */
/** Attempts the reconciler still queries (the partial indexes' predicate); also the backlog gauge's. */
export const RECONCILABLE = sql.raw(
  `(a.state in ('accepted', 'unknown') or (a.state = 'final' and a.next_query_at is not null))`,
);

/**
 * The claim statement (exported for the benchmark's EXPLAIN). It walks the channels that have due
 * attempts (a skip scan over payment_attempts_channel_due_idx), takes up to a share of each
 * channel's oldest with SKIP LOCKED, then ranks within channel so that channels take turns.
 * A never-queried attempt is claimable `firstQueryShiftMs` early, so its lease is shifted alike and
 * lapses after leaseMs like any other: unshifted, a shift longer than the lease let another
 * replica claim it again while the first was still querying (two STK Queries for one attempt,
 * found by the replicas e2e test).
 */
export function claimSql(o: ClaimOptions): SQL {
  const bound = sql`now() + make_interval(secs => ${Math.max(0, o.firstQueryShiftMs) / 1000})`;
  return sql`
      with recursive ch as (
        (select a.channel_id from payment_attempts a
         where ${RECONCILABLE} and a.next_query_at <= ${bound}
         order by a.channel_id limit 1)
        union all
        select (select a.channel_id from payment_attempts a
                where ${RECONCILABLE} and a.next_query_at <= ${bound} and a.channel_id > ch.channel_id
                order by a.channel_id limit 1)
        from ch where ch.channel_id is not null
      ), channels_due as (
        select channel_id from ch where channel_id is not null
      ), share as (
        select least(${o.limit}, 2 * ceil(${o.limit}::numeric / greatest(1, count(*))))::int as n
        from channels_due
      ), due as (
        select d.id, d.channel_id, d.next_query_at
        from channels_due c
        cross join lateral (
          select a.id, a.channel_id, a.next_query_at
          from payment_attempts a
          where a.channel_id = c.channel_id and ${RECONCILABLE}
            and a.next_query_at <= ${bound}
            and a.next_query_at <= now() + make_interval(secs => (case when a.query_count = 0 then ${o.firstQueryShiftMs / 1000}::float8 else 0 end))
          order by a.next_query_at
          limit (select n from share)
          for update of a skip locked
        ) d
      ), ranked as (
        select id, row_number() over (partition by channel_id order by next_query_at) as rn, next_query_at
        from due
      ), picked as (
        select id from ranked order by rn, next_query_at limit ${o.limit}
      )
      update payment_attempts p
      set next_query_at = now() + make_interval(secs => ${o.leaseMs / 1000}
        + (case when p.query_count = 0 then ${o.firstQueryShiftMs / 1000}::float8 else 0 end))
      from picked
      where p.id = picked.id
      returning p.*`;
}

/** The reconciler's SQL: claiming due attempts, finding passed deadlines, nudging a period. */
@Injectable()
export class ReconcileRepository {
  constructor(@Inject(DRIZZLE) readonly db: Db) {}

  /**
   * Claims due attempts for this replica: locked with SKIP LOCKED (so replicas never take the same
   * row), then leased by pushing next_query_at past the lease, all in one statement. Channels take
   * turns (rank within channel first), so one shop's backlog cannot starve another's.
   * Reads through payment_attempts_channel_due_idx.
   */
  async claim(o: ClaimOptions): Promise<AttemptRow[]> {
    const result = await this.db.execute(claimSql(o));
    return (result.rows as RawAttempt[]).map(toAttempt);
  }

  /** Open payments whose deadline passed (payments_open_deadline_idx); no locks: apply() locks. */
  async dueDeadlines(limit: number): Promise<DueDeadline[]> {
    const result = await this.db.execute(sql`
      select p.id, p.tenant_id, p.current_attempt_id from payments p
      where p.status in (${OPEN_SQL}) and p.deadline_at <= now()
        -- A push that may have left with no CheckoutRequestID is settled from evidence, never
        -- expired at the deadline (ReconcileService.unansweredPush).
        and not exists (
          select 1 from payment_attempts a
          where a.id = p.current_attempt_id and a.checkout_request_id is null
            and a.state <> 'pending')
      order by p.deadline_at
      limit ${limit}`);
    return (
      result.rows as { id: string; tenant_id: string; current_attempt_id: string | null }[]
    ).map((r) => ({
      tenantId: asTenantId(r.tenant_id),
      paymentId: r.id,
      attemptId: r.current_attempt_id,
    }));
  }

  /**
   * Reconciler bookkeeping, not attempt state: when to look again and what the last look saw.
   * State (accepted, final, unconfirmed...) changes only through PaymentService.apply; these
   * columns only schedule the next STK Query, so they are written here, inside the caller's
   * transaction when the look also changes state.
   */
  async recordLook(tx: DbOrTx, tenantId: TenantId, attemptId: string, look: Look): Promise<void> {
    await tx
      .update(schema.paymentAttempts)
      .set(look)
      .where(
        and(
          eq(schema.paymentAttempts.tenantId, tenantId),
          eq(schema.paymentAttempts.id, attemptId),
        ),
      );
  }

  /** A reconciliation run asks again now about every unresolved attempt of its period. */
  async nudge(tenantId: TenantId | null, from: Date, to: Date): Promise<number> {
    const result = await this.db.execute(sql`
      update payment_attempts a set next_query_at = now()
      from payments p
      where p.id = a.payment_id
        and (${tenantId}::uuid is null or a.tenant_id = ${tenantId}::uuid)
        and p.created_at >= ${from.toISOString()}::timestamptz and p.created_at < ${to.toISOString()}::timestamptz
        and a.state in ('accepted', 'unknown')
        and a.next_query_at is not null and a.next_query_at > now()`);
    return result.rowCount ?? 0;
  }
}
