import { Module } from '@nestjs/common';
import { ReconcileCoreModule } from '@malipo/payments';
import { ReconcileScheduler } from './reconcile.scheduler';

@Module({ imports: [ReconcileCoreModule], providers: [ReconcileScheduler] })
export class ReconcilerModule {}
