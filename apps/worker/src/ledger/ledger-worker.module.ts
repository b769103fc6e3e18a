import { Module } from '@nestjs/common';
import { ReconcileCoreModule } from '@malipo/payments';
import { LedgerCheckJob } from './ledger-check.job';

/** The nightly ledger check (ScheduleModule is the worker's). */
@Module({ imports: [ReconcileCoreModule], providers: [LedgerCheckJob] })
export class LedgerWorkerModule {}
