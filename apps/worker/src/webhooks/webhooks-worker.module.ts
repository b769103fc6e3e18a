import { Module } from '@nestjs/common';
import { PaymentsCoreModule } from '@malipo/payments';
import { QueueModule } from '@malipo/queue';
import { WebhooksCoreModule } from '@malipo/webhooks';
import { WebhookDeliveryProcessor } from './webhook-delivery.processor';
import { WebhookDispatchTick } from './webhook-dispatch.tick';

@Module({
  imports: [PaymentsCoreModule, QueueModule, WebhooksCoreModule],
  providers: [WebhookDeliveryProcessor, WebhookDispatchTick],
})
export class WebhooksWorkerModule {}
