import { Module } from '@nestjs/common';
import { AppConfigModule, LoggingModule } from '@malipo/common';
import { DbModule } from '@malipo/db';
import { AuditModule } from '@malipo/audit';
import { HealthModule } from '@malipo/health';
import { QueueModule, RedisModule } from '@malipo/queue';
import { AdminModule } from './admin/admin.module';
import { AuditApiModule } from './audit/audit-api.module';
import { AfterPromptModule } from './after-prompt/after-prompt.module';
import { AuthModule } from './auth/auth.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { DemoModule } from './demo/demo.module';
import { PaymentsModule } from './payments/payments.module';
import { ReconciliationModule } from './reconciliation/reconciliation.module';
import { CallbacksModule } from './callbacks/callbacks.module';
import { WebhooksApiModule } from './webhooks/webhooks.module';
import { RealtimeModule } from './realtime/realtime.module';
import { ApiMetricsModule } from './metrics/api-metrics.module';
import { AccountsApiModule } from './accounts/accounts-api.module';
import { AuditKeyApiModule } from './audit/audit-key.module';

@Module({
  imports: [
    AppConfigModule.forRoot(),
    LoggingModule.forRoot('api'),
    DbModule,
    AuditModule,
    RedisModule,
    QueueModule,
    HealthModule,
    ApiMetricsModule,
    AuthModule,
    RateLimitModule, // after AuthModule: its guard counts per authenticated key
    AdminModule,
    DemoModule,
    ReconciliationModule,
    PaymentsModule,
    CallbacksModule,
    WebhooksApiModule,
    RealtimeModule,
    AfterPromptModule,
    AccountsApiModule,
    AuditApiModule,
    AuditKeyApiModule,
  ],
})
export class ApiModule {}
