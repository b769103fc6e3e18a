import { Module } from '@nestjs/common';
import { AppConfig } from '@malipo/common';
import { TenancyModule } from '@malipo/db';
import { QueueModule } from '@malipo/queue';
import { StatementRepository } from '@malipo/payments';
import { AuditCheckpointWebhooks } from './audit-checkpoint-webhooks';
import { SsrfGuard, webhookTargetPolicy } from './ssrf-guard';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';
import { WebhookSecrets } from './webhook-secrets';

const providers = [
  WebhookEndpointsRepository,
  WebhookDeliveriesRepository,
  WebhookSecrets,
  WebhookDeliveryService,
  WebhookDispatcher,
  StatementRepository,
  AuditCheckpointWebhooks,
  {
    provide: SsrfGuard,
    inject: [AppConfig],
    useFactory: (config: AppConfig) => new SsrfGuard(webhookTargetPolicy(config)),
  },
];

/** Webhook repositories, signing, the SSRF guard, the outbox dispatcher and the sender. */
@Module({ imports: [TenancyModule, QueueModule], providers, exports: providers })
export class WebhooksCoreModule {}
