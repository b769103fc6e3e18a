import { Module } from '@nestjs/common';
import { AuditCheckpointsRepository, AuditKeysModule } from '@malipo/audit';
import { WebhooksCoreModule } from '@malipo/webhooks';
import { AuditCheckpointScheduler } from './audit-checkpoint.scheduler';
import { AuditCheckpointer } from './audit-checkpointer.service';

/** Signed checkpoints of the audit chains (docs/audit.md, Checkpoints). */
@Module({
  imports: [AuditKeysModule, WebhooksCoreModule],
  providers: [AuditCheckpointsRepository, AuditCheckpointer, AuditCheckpointScheduler],
  exports: [AuditCheckpointer],
})
export class AuditWorkerModule {}
