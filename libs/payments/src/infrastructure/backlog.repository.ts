import { Inject, Injectable } from '@nestjs/common';
import { DRIZZLE, type Db } from '@malipo/db';
import { sql } from 'drizzle-orm';
import { RECONCILABLE } from '../reconciliation/reconcile.repository';

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
  constructor(@Inject(DRIZZLE) private readonly db: Db) {}

  async read(): Promise<Backlog> {
    const age = (column: string) =>
      sql.raw(`coalesce(extract(epoch from now() - min(${column})), 0)`);
    const result = await this.db.execute(sql`
      select
        (select count(*) from callback_inbox where state = 'received') as inbox_backlog,
        (select ${age('received_at')} from callback_inbox where state = 'received') as inbox_oldest,
        (select count(*) from payment_attempts a
          where ${RECONCILABLE} and a.next_query_at <= now()) as reconcile_due,
        (select ${age('a.next_query_at')} from payment_attempts a
          where ${RECONCILABLE} and a.next_query_at <= now()) as reconcile_oldest,
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
