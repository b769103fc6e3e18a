import { Injectable, Logger } from '@nestjs/common';
import type { PaymentEventRow, PaymentRow } from '../infrastructure/payment-rows';

export interface CommittedChange {
  payment: PaymentRow;
  event: PaymentEventRow;
}

export type CommittedChangeHandler = (change: CommittedChange) => Promise<void> | void;

/**
 * In-process fan-out of payment events after their transaction committed. Listeners (live
 * updates, webhooks) get hints only: the payment_events table stays the source of truth, so a
 * listener that fails here loses nothing that a resume or the outbox sweeper cannot recover.
 */
@Injectable()
export class PaymentEventsBus {
  private readonly logger = new Logger(PaymentEventsBus.name);
  private readonly handlers: CommittedChangeHandler[] = [];

  subscribe(handler: CommittedChangeHandler): void {
    this.handlers.push(handler);
  }

  async publish(changes: CommittedChange[]): Promise<void> {
    for (const change of changes) {
      for (const handler of this.handlers) {
        try {
          await handler(change);
        } catch (error) {
          this.logger.warn(
            { err: error, eventId: change.event.id },
            'payment event listener failed',
          );
        }
      }
    }
  }
}
