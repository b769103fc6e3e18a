import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { asTenantId } from '@malipo/common';
import { QUEUES } from '@malipo/queue';
import {
  WebhookDeliveryService,
  WebhookRetryError,
  type DeliveryOutcome,
  type WebhookJob,
} from '@malipo/webhooks';
import type { Job } from 'bullmq';

/**
 * Sends one webhook delivery per job (job id = delivery id). A failed attempt throws a
 * WebhookRetryError carrying the next delay, which the custom backoff hands back to BullMQ; the
 * retry window, not the attempt count, decides when to give up.
 */
@Processor(QUEUES.webhooks) // worker options: see WorkerRegistration
export class WebhookDeliveryProcessor extends WorkerHost {
  private readonly logger = new Logger(WebhookDeliveryProcessor.name);

  constructor(private readonly delivery: WebhookDeliveryService) {
    super();
  }

  async process(job: Job<WebhookJob>): Promise<DeliveryOutcome> {
    const outcome = await this.delivery.attempt(asTenantId(job.data.tenantId), job.data.deliveryId);
    if (outcome.kind === 'retry') {
      throw new WebhookRetryError(outcome.error, outcome.delayMs);
    }
    if (outcome.kind === 'failed') {
      this.logger.warn({ deliveryId: job.data.deliveryId, err: outcome.error }, 'webhook gave up');
    }
    return outcome;
  }
}
