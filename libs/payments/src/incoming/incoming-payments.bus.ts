import { Injectable, Logger } from '@nestjs/common';
import type { IncomingPaymentRow } from './incoming-payments.repository';

export type IncomingHandler = (row: IncomingPaymentRow) => void;

/** After-commit fan-out of money that arrived unmatched, for live tills and dashboards (hints). */
@Injectable()
export class IncomingPaymentsBus {
  private readonly logger = new Logger(IncomingPaymentsBus.name);
  private readonly handlers: IncomingHandler[] = [];

  subscribe(handler: IncomingHandler): void {
    this.handlers.push(handler);
  }

  publish(row: IncomingPaymentRow): void {
    for (const handler of this.handlers) {
      try {
        handler(row);
      } catch (error) {
        this.logger.warn({ err: error, incomingId: row.id }, 'incoming payment listener failed');
      }
    }
  }
}
