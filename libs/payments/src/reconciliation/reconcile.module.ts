import { Logger, Module } from '@nestjs/common';
import type Redis from 'ioredis';
import { AuditCheckpointsRepository } from '@malipo/audit';
import { DarajaClient, PullTransactionsClient } from '@malipo/daraja';
import { QueueModule, REDIS } from '@malipo/queue';
import { PaymentsCoreModule } from '../payments.module';
import { ReconcileBudget } from './reconcile-budget.repository';
import { ReconcileRepository } from './reconcile.repository';
import { ReconcileReportsRepository } from './reconcile-reports.repository';
import { CallbackConfirmation } from '../callbacks/callback-confirmation.service';
import { ProcessCallbackService } from '../callbacks/process-callback.service';
import { ReconcileReceiptFinder } from './reconcile-receipt-finder.service';
import { ReconcileReportsService } from './reconcile-reports.service';
import { ReconcileStatement } from './reconcile-statement.service';
import { RECONCILE_DARAJA } from './reconcile-query';
import { ReconcileService } from './reconcile.service';
import { ReconcileDeadlinesService } from './reconcile-deadlines.service';
import { LedgerCheckRepository } from '../accounts/ledger-check.repository';
import { LedgerCheckService } from '../accounts/ledger-check.service';

const logger = new Logger('ReconcileDaraja');

const providers = [
  AuditCheckpointsRepository,
  ReconcileBudget,
  ReconcileRepository,
  ReconcileReportsRepository,
  ReconcileReceiptFinder,
  ReconcileStatement,
  ReconcileDeadlinesService,
  ReconcileService,
  ReconcileReportsService,
  LedgerCheckRepository,
  LedgerCheckService,
  CallbackConfirmation,
  ProcessCallbackService,
  {
    // One HTTP request per query and no hidden retries, so the per-channel budget counts truly.
    provide: RECONCILE_DARAJA,
    inject: [REDIS],
    useFactory: (redis: Redis) =>
      new DarajaClient({
        redis,
        retry: { attempts: 1 },
        logger: {
          debug: (m, meta) => logger.debug(meta ?? {}, m),
          warn: (m, meta) => logger.warn(meta ?? {}, m),
        },
      }),
  },
  {
    provide: PullTransactionsClient,
    inject: [DarajaClient],
    useFactory: (daraja: DarajaClient) => new PullTransactionsClient(daraja),
  },
];

/**
 * The reconciler, reports and discrepancies, and the callback processor (it shares the STK Query
 * client and budget for confirmations); for the worker (tick, jobs) and the api (routes).
 */
@Module({
  imports: [PaymentsCoreModule, QueueModule],
  providers,
  exports: [...providers, PaymentsCoreModule],
})
export class ReconcileCoreModule {}
