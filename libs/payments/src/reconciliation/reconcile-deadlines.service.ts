import { Injectable } from '@nestjs/common';
import { AppConfig, asTenantId, metrics } from '@malipo/common';
import { NOT_SENT } from '../domain';
import type { AttemptRow, PaymentRow } from '../infrastructure/payment-rows';
import { PaymentsRepository } from '../infrastructure/payments.repository';
import { PaymentService } from '../application/payment.service';
import { NO_FINAL_ANSWER } from './reconcile-query';
import { ReconcileRepository } from './reconcile.repository';

/** Deadlines: an open payment with no final answer by its deadline expires, through apply. */
@Injectable()
export class ReconcileDeadlinesService {
  constructor(
    private readonly repo: PaymentsRepository,
    private readonly reconcileRepo: ReconcileRepository,
    private readonly payments: PaymentService,
    private readonly config: AppConfig,
  ) {}

  /** Expires every open payment whose deadline passed; idempotent across replicas. */
  async expireDue(): Promise<number> {
    const due = await this.reconcileRepo.dueDeadlines(this.config.RECONCILE_BATCH_SIZE);
    let expired = 0;
    for (const d of due) {
      const payment = await this.repo.findPayment(this.repo.db, d.tenantId, d.paymentId);
      const attempt = d.attemptId
        ? await this.repo.findAttempt(this.repo.db, d.tenantId, d.attemptId)
        : undefined;
      if (payment && (await this.expire(payment, attempt))) {
        expired++;
        metrics.reconcileExpired.inc();
      }
    }
    return expired;
  }

  /**
   * `deadline_passed` through apply; the prompt lock goes with it. True when it expired the
   * payment. An attempt still `pending` was never pushed: it ends with the payment (NOT_SENT).
   * A maybe-pushed attempt without a CheckoutRequestID is not expired here (dueDeadlines leaves
   * it out): unansweredPush settles it from evidence.
   */
  async expire(payment: PaymentRow, a: AttemptRow | undefined): Promise<boolean> {
    const tenantId = asTenantId(payment.tenantId);
    // A live attempt is the current one (a retry needs the previous attempt final).
    const attemptId = a?.id ?? payment.currentAttemptId;
    if (!attemptId) return false;
    // The attempt machine ends the prompt (phone lock) with the deadline, after commit.
    const { transition } = await this.payments.apply(
      tenantId,
      payment.id,
      {
        type: 'deadline_passed',
        attemptId,
        reason: a?.state === 'pending' ? NOT_SENT : NO_FINAL_ANSWER,
      },
      { source: 'reconciler' },
    );
    return transition.kind === 'applied';
  }
}
