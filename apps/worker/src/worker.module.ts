import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AppConfigModule, LoggingModule, MetricsController } from '@malipo/common';
import { DbModule } from '@malipo/db';
import { AuditModule } from '@malipo/audit';
import { HealthModule } from '@malipo/health';
import { QueueModule, RedisModule } from '@malipo/queue';
import { CallbacksWorkerModule } from './callbacks/callbacks-worker.module';
import { LedgerWorkerModule } from './ledger/ledger-worker.module';
import { ReconcilerModule } from './reconciler/reconciler.module';
import { ResultsWorkerModule } from './results/results-worker.module';
import { WebhooksWorkerModule } from './webhooks/webhooks-worker.module';
import { RealtimePublisherModule } from '@malipo/realtime';
import { WorkerRegistration } from './worker-registration';
import { AuditWorkerModule } from './audit/audit-worker.module';
import { WorkerMetricsModule } from './metrics/worker-metrics.module';

@Module({
  imports: [
    AppConfigModule.forRoot(),
    LoggingModule.forRoot('worker'),
    DbModule,
    AuditModule,
    RedisModule,
    QueueModule,
    ScheduleModule.forRoot(),
    HealthModule,
    CallbacksWorkerModule,
    ReconcilerModule,
    LedgerWorkerModule,
    WebhooksWorkerModule,
    ResultsWorkerModule,
    RealtimePublisherModule,
    WorkerMetricsModule,
    AuditWorkerModule,
  ],
  // The worker's one HTTP port serves health and metrics both (Prometheus scrapes it).
  controllers: [MetricsController],
  providers: [WorkerRegistration],
})
export class WorkerModule {}
