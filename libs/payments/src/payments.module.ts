import { Module } from '@nestjs/common';
import { AppConfig } from '@malipo/common';
import { TenancyModule } from '@malipo/db';
import { DarajaModule } from '@malipo/daraja';
import { AuditModule } from '@malipo/audit';
import { CallbackToken } from './callbacks/callback-token';
import { IdempotencyService } from './application/idempotency.service';
import { InitiatePaymentService } from './application/initiate-payment.service';
import { PaymentActionsService } from './application/payment-actions.service';
import { PaymentEventsBus } from './application/payment-events.bus';
import { PaymentMetricsRecorder } from './application/payment-metrics';
import { PaymentQueryService } from './application/payment-query.service';
import { PaymentService } from './application/payment.service';
import { PaymentSettlementService } from './application/payment-settlement.service';
import { PhoneLock } from './infrastructure/phone-lock.repository';
import { PaymentsRepository } from './infrastructure/payments.repository';
import { IdempotencyRepository } from './infrastructure/idempotency.repository';
import { PaymentListRepository } from './infrastructure/payment-list.repository';
import { DiscrepanciesRepository } from './infrastructure/discrepancies.repository';
import { CallbackInboxRepository } from './callbacks/callback-inbox.repository';
import { IncomingPaymentsBus } from './incoming/incoming-payments.bus';
import { BacklogRepository } from './infrastructure/backlog.repository';
import { AccountBalanceBus } from './accounts/account-balance.bus';
import { AccountsRepository } from './accounts/accounts.repository';
import { DepositPosting } from './accounts/deposit-posting.service';
import { LedgerRepository } from './accounts/ledger.repository';
import { PaymentTargets } from './accounts/payment-target';
import { StatementRepository } from './accounts/statement.repository';

const providers = [
  PaymentsRepository,
  IdempotencyRepository,
  PaymentListRepository,
  DiscrepanciesRepository,
  CallbackInboxRepository,
  BacklogRepository,
  PaymentService,
  PaymentEventsBus,
  IncomingPaymentsBus,
  PhoneLock,
  IdempotencyService,
  InitiatePaymentService,
  PaymentActionsService,
  PaymentSettlementService,
  PaymentQueryService,
  AccountsRepository,
  LedgerRepository,
  StatementRepository,
  AccountBalanceBus,
  DepositPosting,
  PaymentTargets,
  {
    provide: CallbackToken,
    inject: [AppConfig],
    useFactory: (c: AppConfig) => new CallbackToken(c.CALLBACK_SECRET),
  },
];

/** The payments core shared by api and worker; needs DbModule, RedisModule and AppConfig. */
@Module({
  imports: [TenancyModule, DarajaModule, AuditModule],
  providers: [...providers, PaymentMetricsRecorder],
  exports: [...providers, TenancyModule, DarajaModule, AuditModule],
})
export class PaymentsCoreModule {}
