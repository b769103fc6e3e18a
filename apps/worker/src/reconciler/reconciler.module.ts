import { Module } from '@nestjs/common';
import { ReconcileCoreModule } from '@malipo/payments';
import { QueueModule } from '@malipo/queue';
import { ReconcileRunProcessor } from './reconcile-run.processor';
import { ReconcileScheduler } from './reconcile.scheduler';

@Module({
  imports: [ReconcileCoreModule, QueueModule],
  providers: [ReconcileScheduler, ReconcileRunProcessor],
})
export class ReconcilerModule {}
