import { Module } from '@nestjs/common';
import { AppConfig } from '@malipo/common';
import { DarajaClient, ResultApiClient } from '@malipo/daraja';
import { QueueModule } from '@malipo/queue';
import { PaymentsCoreModule } from '../payments.module';
import { ReconcileCoreModule } from '../reconciliation/reconcile.module';
import { AttachIncomingService } from '../incoming/attach-incoming.service';
import { C2bConfirmationService } from '../incoming/c2b-confirmation.service';
import { C2bRegistrationService } from '../incoming/c2b-registration.service';
import { IncomingPaymentsRepository } from '../incoming/incoming-payments.repository';
import { StatementSweepService } from '../incoming/statement-sweep.service';
import { VerifyStatusFollowUp } from '../verify/verify-status.follow-up';
import { VerifyService } from '../verify/verify.service';
import { ReversalResultFollowUp } from '../reversals/reversal-result.follow-up';
import { ReversalService } from '../reversals/reversal.service';
import { ReversalsRepository } from '../reversals/reversals.repository';
import { DarajaHooksReceiver } from './daraja-hooks-receiver.service';
import { DarajaInboxQueue } from './daraja-inbox.queue';
import { DarajaInboxRepository } from './daraja-inbox.repository';
import { DarajaRequestsRepository } from './daraja-requests.repository';
import { HookToken } from './hook-token';
import { ProcessDarajaInboxService } from './process-daraja-inbox.service';
import { ResultHandlerService } from './result-handler.service';
import { ResultSubmissionService } from './result-submission.service';

const providers = [
  DarajaInboxRepository,
  DarajaRequestsRepository,
  DarajaInboxQueue,
  DarajaHooksReceiver,
  ResultSubmissionService,
  ResultHandlerService,
  ProcessDarajaInboxService,
  ReversalsRepository,
  ReversalService,
  ReversalResultFollowUp,
  VerifyService,
  VerifyStatusFollowUp,
  IncomingPaymentsRepository,
  C2bConfirmationService,
  AttachIncomingService,
  C2bRegistrationService,
  StatementSweepService,
  {
    provide: HookToken,
    inject: [AppConfig],
    useFactory: (c: AppConfig) => new HookToken(c.CALLBACK_SECRET),
  },
  {
    provide: ResultApiClient,
    inject: [DarajaClient],
    useFactory: (daraja: DarajaClient) => new ResultApiClient(daraja),
  },
];

/**
 * The result-based Daraja APIs (api and worker): hook receiving, the daraja_inbox, submission
 * with stored conversation ids, result handling, reversals with two people, verify-now and C2B incoming payments.
 */
@Module({
  imports: [PaymentsCoreModule, ReconcileCoreModule, QueueModule],
  providers,
  exports: providers,
})
export class ResultsCoreModule {}
