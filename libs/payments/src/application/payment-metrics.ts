import { Injectable, type OnModuleInit } from '@nestjs/common';
import { metrics, opsMetrics } from '@malipo/common';
import type { PaymentRow } from '../infrastructure/payment-rows';
import { PaymentEventsBus, type CommittedChange } from './payment-events.bus';

/** Where a prompt's life ends; `paid_cash` and `reversed` are final too, for the outcome count. */
const FINAL = new Set(['succeeded', 'failed', 'cancelled', 'expired', 'reversed', 'paid_cash']);

const PUSH_OUTCOMES: Record<string, string | undefined> = {
  stk_accepted: 'accepted',
  stk_rejected: 'rejected',
  stk_unknown: 'unknown',
};

/** A payment was created (its transaction committed): one line for the initiation service. */
export function countPaymentCreated<T extends { payment: PaymentRow }>(created: T): T {
  opsMetrics.paymentsCreated.inc({ channel: created.payment.channelId });
  return created;
}

/**
 * Payment metrics from committed changes only (the events bus runs after commit), so a rolled
 * back transaction is never counted: pushes by outcome, final statuses, creation → outcome.
 */
export function recordCommittedChange({ payment, event }: CommittedChange): void {
  const push = PUSH_OUTCOMES[event.type];
  if (push) metrics.stkPushes.inc({ outcome: push });
  if (!FINAL.has(event.toStatus)) return;
  opsMetrics.paymentsFinal.inc({ channel: payment.channelId, status: event.toStatus });
  // The first final status only: a late success after `expired` is not a second outcome time.
  if (event.fromStatus && FINAL.has(event.fromStatus)) return;
  const seconds = (event.createdAt.getTime() - payment.createdAt.getTime()) / 1000;
  opsMetrics.paymentOutcomeSeconds.observe({ status: event.toStatus }, Math.max(0, seconds));
}

/** Subscribes the recorder in every process that changes payments (api and worker). */
@Injectable()
export class PaymentMetricsRecorder implements OnModuleInit {
  constructor(private readonly bus: PaymentEventsBus) {}

  onModuleInit(): void {
    this.bus.subscribe(recordCommittedChange);
  }
}
