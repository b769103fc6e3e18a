import { Injectable, Logger } from '@nestjs/common';
import type { Posted } from './ledger.repository';

export type BalanceHandler = (posted: Posted) => void;

/** After-commit fan-out of balance changes (the socket publisher listens); a hint, never a record. */
@Injectable()
export class AccountBalanceBus {
  private readonly logger = new Logger(AccountBalanceBus.name);
  private readonly handlers: BalanceHandler[] = [];

  subscribe(handler: BalanceHandler): void {
    this.handlers.push(handler);
  }

  publish(posted: Posted): void {
    for (const handler of this.handlers) {
      try {
        handler(posted);
      } catch (error) {
        this.logger.warn({ err: error, journalId: posted.journalId }, 'balance listener failed');
      }
    }
  }
}
