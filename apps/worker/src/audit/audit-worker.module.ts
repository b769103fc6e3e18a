import { Module } from '@nestjs/common';
import { PaymentsCoreModule } from '@malipo/payments';
import { AuditCheckpointsRepository, AuditKeysModule } from '@malipo/audit';
import { WebhooksCoreModule } from '@malipo/webhooks';
import { AuditChainCheckJob } from './audit-chain-check.job';
import { AuditCheckpointScheduler } from './audit-checkpoint.scheduler';
import { AuditCheckpointer } from './audit-checkpointer.service';

/**
 * The nightly audit chain check and the signed checkpoints of the audit chains (docs/audit.md).
 * AuditModule is global; ScheduleModule is the worker's.
 */
@Module({
  imports: [PaymentsCoreModule, AuditKeysModule, WebhooksCoreModule],
  providers: [
    AuditChainCheckJob,
    AuditCheckpointsRepository,
    AuditCheckpointer,
    AuditCheckpointScheduler,
  ],
  exports: [AuditCheckpointer],
})
export class AuditWorkerModule {}
