import { Module } from '@nestjs/common';
import { QueueModule } from '@malipo/queue';
import { WebhooksCoreModule } from '@malipo/webhooks';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

@Module({
  imports: [WebhooksCoreModule, QueueModule],
  controllers: [WebhooksController],
  providers: [WebhooksService],
})
export class WebhooksApiModule {}
