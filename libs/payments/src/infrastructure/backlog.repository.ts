import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@malipo/common';
import { DRIZZLE, type Db } from '@malipo/db';
import { sql } from 'drizzle-orm';
import { PUSH_FIRST_QUERY_MS, RECONCILABLE } from '../reconciliation/reconcile.repository';

/** Seconds; 0 when nothing waits. */
export interface Backlog {
  inboxBacklog: number;
  inboxOldestSeconds: number;
  reconcileDue: number;
  reconcileOldestDueSeconds: number;
  webhooksPending: number;
  webhooksOverdueSeconds: number;
}

/**
 * Where work waits, over every shop (an operator's view): one statement, each part served by a
 * partial or leading index (callback_inbox_state_idx, payment_attempts_due_idx,
 * webhook_deliveries_pending_idx), so a scrape stays cheap while the backlogs are small, which is
 * when they are healthy.
 */
@Injectable()
export class BacklogRepository {
  constructor(
    @Inject(DRIZZLE) private readonly db: Db,
    private readonly config: AppConfig,
  ) {}

  async read(): Promise<Backlog> {
    const age = (column: string) =>
      sql.raw(`coalesce(extract(epoch from now() - min(${column})), 0)`);
    // Due as the reconciler's claim sees it: a never-queried attempt RECONCILE_THRESHOLD_SECONDS
    // after its push, a queried one at its next_query_at.
    const shiftSeconds =
      Math.max(0, PUSH_FIRST_QUERY_MS - this.config.RECONCILE_THRESHOLD_SECONDS * 1000) / 1000;
    const dueAt = sql.raw(
      `(a.next_query_at - make_interval(secs => case when a.query_count = 0 then ${shiftSeconds} else 0 end))`,
    );
    const bound = sql.raw(`now() + make_interval(secs => ${shiftSeconds})`);
    const result = await this.db.execute(sql`
      select
        (select count(*) from callback_inbox where state = 'received') as inbox_backlog,
        (select ${age('received_at')} from callback_inbox where state = 'received') as inbox_oldest,
        (select count(*) from payment_attempts a
          where ${RECONCILABLE} and a.next_query_at <= ${bound} and ${dueAt} <= now()) as reconcile_due,
        (select coalesce(extract(epoch from now() - min(${dueAt})), 0) from payment_attempts a
          where ${RECONCILABLE} and a.next_query_at <= ${bound} and ${dueAt} <= now()) as reconcile_oldest,
        (select count(*) from webhook_deliveries where state = 'pending') as webhooks_pending,
        (select ${age('next_attempt_at')} from webhook_deliveries
          where state = 'pending' and next_attempt_at <= now()) as webhooks_overdue`);
    const row = (result.rows[0] ?? {}) as Record<string, unknown>;
    const n = (key: string) => Math.max(0, Number(row[key] ?? 0));
    return {
      inboxBacklog: n('inbox_backlog'),
      inboxOldestSeconds: n('inbox_oldest'),
      reconcileDue: n('reconcile_due'),
      reconcileOldestDueSeconds: n('reconcile_oldest'),
      webhooksPending: n('webhooks_pending'),
      webhooksOverdueSeconds: n('webhooks_overdue'),
    };
  }
}
