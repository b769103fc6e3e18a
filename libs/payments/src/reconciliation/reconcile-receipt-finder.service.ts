import { Injectable } from '@nestjs/common';
import {
  PullTransactionsClient,
  accountReferenceFor,
  type DarajaCredentials,
  type PulledTransaction,
} from '@malipo/daraja';
import { sameAmount } from '../domain';
import type { AttemptRow, PaymentRow } from '../infrastructure/payment-rows';
import { PaymentsRepository } from '../infrastructure/payments.repository';

export type ReceiptSearch =
  | { found: true; row: PulledTransaction }
  | { found: false; reason: 'no_match' | 'ambiguous'; candidates: number };

/** Pull Transactions covers only the last 48 h (REFERENCE §7.3). */
const PULL_HORIZON_MS = 48 * 3600 * 1000;
/** Clock skew between our push time and Safaricom's transaction time. */
const SKEW_MS = 60_000;
/** Statement windows start on these boundaries, so that nearby payments share one pull. */
const WINDOW_STEP_MS = 10 * 60_000;
const CACHE_MS = 5_000;

interface Statement {
  startedAt: number;
  rows: Promise<PulledTransaction[]>;
}

/**
 * STK Query says "paid" but carries no receipt (REFERENCE §5). The statement does: a row with our
 * bill reference and amount, after our push, whose receipt no other payment holds. Exactly one
 * such row is the receipt; none or several is no answer. A receipt is never invented.
 */
@Injectable()
export class ReconcileReceiptFinder {
  private readonly statements = new Map<string, Statement>();

  constructor(
    private readonly pull: PullTransactionsClient,
    private readonly repo: PaymentsRepository,
  ) {}

  /**
   * The shortcode's statement from `from`, fetched after `answeredAt` (so it holds any payment the
   * query had already reported). Concurrent searches share one pull instead of one each.
   */
  private statement(creds: DarajaCredentials, from: number, answeredAt: number) {
    const start = Math.floor(from / WINDOW_STEP_MS) * WINDOW_STEP_MS;
    const key = `${creds.baseUrl}|${creds.shortcode}|${start}`;
    for (const [k, v] of this.statements) {
      if (Date.now() - v.startedAt > CACHE_MS) this.statements.delete(k);
    }
    const hit = this.statements.get(key);
    if (hit && hit.startedAt >= answeredAt) return hit.rows;
    const entry: Statement = {
      startedAt: Date.now(),
      rows: this.pull.query(creds, { from: new Date(start), to: new Date() }),
    };
    entry.rows.catch(() => this.statements.delete(key));
    this.statements.set(key, entry);
    return entry.rows;
  }

  async find(
    creds: DarajaCredentials,
    payment: PaymentRow,
    attempt: AttemptRow,
    now = new Date(),
  ): Promise<ReceiptSearch> {
    const pushedAt = (attempt.pushSentAt ?? attempt.createdAt).getTime();
    const from = new Date(Math.max(pushedAt - SKEW_MS, now.getTime() - PULL_HORIZON_MS));
    const rows = await this.statement(creds, from.getTime(), now.getTime());
    const billRef = accountReferenceFor(payment.orderRef);
    const matching = rows.filter(
      (r) =>
        r.billReference === billRef &&
        sameAmount(attempt.amount, r.amount) &&
        r.trxDate.getTime() >= pushedAt - SKEW_MS,
    );
    const free: PulledTransaction[] = [];
    for (const r of matching) {
      const holder = await this.repo.findByReceipt(this.repo.db, r.transactionId);
      if (!holder || holder.id === payment.id) free.push(r);
    }
    if (free.length === 1) return { found: true, row: free[0] };
    return {
      found: false,
      reason: free.length === 0 ? 'no_match' : 'ambiguous',
      candidates: free.length,
    };
  }
}
