import { Injectable, Logger } from '@nestjs/common';
import { AppConfig, metrics, type TenantId } from '@malipo/common';
import {
  WebhookDeliveriesRepository,
  type WebhookDeliveryRow,
} from './webhook-deliveries.repository';
import {
  WebhookEndpointsRepository,
  type WebhookEndpointRow,
} from './webhook-endpoints.repository';
import { isSuccess, postWebhook, type PostResult } from './webhook-http';
import { retryDelayMs } from './webhook-jobs';
import { WebhookSecrets } from './webhook-secrets';
import { SIGNATURE_HEADER, signWebhook } from './webhook-signature';
import { SsrfGuard } from './ssrf-guard';

export type DeliveryOutcome =
  | { kind: 'succeeded' }
  | { kind: 'retry'; delayMs: number; error: string }
  | { kind: 'failed'; error: string }
  | { kind: 'skipped' };

/**
 * One attempt of one delivery: sign with every active secret, POST, log the attempt, and decide
 * between success, another try (exponential backoff with jitter) and giving up once the retry
 * window has passed. The endpoint's failing streak is kept here, which is what disables it.
 */
@Injectable()
export class WebhookDeliveryService {
  private readonly logger = new Logger(WebhookDeliveryService.name);

  constructor(
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly secrets: WebhookSecrets,
    private readonly guard: SsrfGuard,
    private readonly config: AppConfig,
  ) {}

  async attempt(tenantId: TenantId, deliveryId: string): Promise<DeliveryOutcome> {
    const db = this.deliveries.db;
    const delivery = await this.deliveries.find(db, tenantId, deliveryId);
    if (!delivery || delivery.state !== 'pending') return { kind: 'skipped' };
    const endpoint = await this.endpoints.findAny(db, tenantId, delivery.endpointId);
    if (!endpoint || endpoint.deletedAt || !endpoint.enabled) {
      const error = endpoint?.disabledReason ?? 'endpoint disabled or deleted';
      await this.deliveries.markFailed(db, delivery.id, error, new Date());
      metrics.webhookAttempts.inc({ result: 'abandoned' });
      return { kind: 'failed', error };
    }
    const result = await this.send(delivery, endpoint);
    return this.record(tenantId, delivery, result);
  }

  private send(delivery: WebhookDeliveryRow, endpoint: WebhookEndpointRow): Promise<PostResult> {
    const now = new Date();
    const signature = signWebhook(
      delivery.payload,
      this.secrets.signingSecrets(endpoint, now),
      Math.floor(now.getTime() / 1000),
    );
    return postWebhook({
      url: endpoint.url,
      body: delivery.payload,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Malipo-Webhooks/1',
        [SIGNATURE_HEADER]: signature,
        'Malipo-Event-Id': delivery.eventId,
        'Malipo-Event-Type': delivery.eventType,
        'Malipo-Delivery-Id': delivery.id,
      },
      timeoutMs: this.config.WEBHOOK_TIMEOUT_MS,
      guard: this.guard,
    });
  }

  private async record(
    tenantId: TenantId,
    delivery: WebhookDeliveryRow,
    result: PostResult,
  ): Promise<DeliveryOutcome> {
    const at = new Date();
    const ok = isSuccess(result);
    const number = delivery.attempts + 1;
    const error = ok ? null : (result.error ?? `HTTP ${result.statusCode}`);
    const delayMs = retryDelayMs(
      number,
      this.config.WEBHOOK_RETRY_BASE_MS,
      this.config.WEBHOOK_RETRY_MAX_MS,
    );
    const giveUpAt = delivery.createdAt.getTime() + this.config.WEBHOOK_RETRY_WINDOW_SECONDS * 1000;
    const state = ok ? 'succeeded' : at.getTime() + delayMs > giveUpAt ? 'failed' : 'pending';
    await this.deliveries.db.transaction(async (tx) => {
      await this.deliveries.recordAttempt(
        tx,
        delivery,
        {
          number,
          at,
          statusCode: result.statusCode,
          latencyMs: result.latencyMs,
          responseBody: result.body,
          error,
          success: ok,
        },
        { state, nextAttemptAt: new Date(at.getTime() + (state === 'pending' ? delayMs : 0)) },
      );
      if (ok) return this.endpoints.recordSuccess(tx, tenantId, delivery.endpointId, at);
      const disabled = await this.endpoints.recordFailure(tx, tenantId, delivery.endpointId, {
        at,
        disableAfterSeconds: this.config.WEBHOOK_DISABLE_AFTER_SECONDS,
        lastError: error ?? '',
      });
      if (disabled) {
        metrics.webhookEndpointsDisabled.inc();
        this.logger.warn({ endpointId: delivery.endpointId }, 'webhook endpoint disabled');
      }
    });
    metrics.webhookAttempts.inc({ result: ok ? 'success' : 'failure' });
    metrics.webhookLatency.observe(result.latencyMs / 1000);
    if (ok) return { kind: 'succeeded' };
    if (state === 'failed') return { kind: 'failed', error: error ?? '' };
    return { kind: 'retry', delayMs, error: error ?? '' };
  }
}
