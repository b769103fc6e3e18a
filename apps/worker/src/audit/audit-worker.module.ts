import { Module } from '@nestjs/common';
import { PaymentsCoreModule } from '@malipo/payments';
import { AuditChainCheckJob } from './audit-chain-check.job';

/** The nightly audit chain check (AuditModule is global; ScheduleModule is the worker's). */
@Module({ imports: [PaymentsCoreModule], providers: [AuditChainCheckJob] })
export class AuditWorkerModule {}
