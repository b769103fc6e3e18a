import { Module } from '@nestjs/common';
import { PaymentsCoreModule } from '../payments.module';
import { AccountService } from './account.service';
import { AdjustmentService } from './adjustment.service';
import { AdjustmentsRepository } from './adjustments.repository';
import { ChargeService } from './charge.service';
import { StatementService } from './statement.service';

const providers = [
  AccountService,
  ChargeService,
  AdjustmentService,
  AdjustmentsRepository,
  StatementService,
];

/**
 * Customer accounts and their ledger for the api. Posting itself (LedgerRepository, the deposit
 * posting PaymentService calls) lives in PaymentsCoreModule, with the one path that changes state.
 */
@Module({
  imports: [PaymentsCoreModule],
  providers,
  exports: [...providers, PaymentsCoreModule],
})
export class AccountsModule {}
