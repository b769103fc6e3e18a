import { metrics } from '@malipo/common';
import type { JobsOptions, Queue } from 'bullmq';
import { QUEUES } from '@malipo/queue';

/** The BullMQ payload of one delivery; the job id is the delivery id. */
export interface WebhookJob {
  deliveryId: string;
  tenantId: string;
}

export const WEBHOOK_BACKOFF_TYPE = 'webhook';
/** Retries end by time (the retry window), not by count; this only has to be large enough. */
export const WEBHOOK_MAX_JOB_ATTEMPTS = 1_000;

/** A retryable failure: BullMQ's custom backoff reads the delay from it. */
export class WebhookRetryError extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
    this.name = 'WebhookRetryError';
  }
}

/** For the Worker's `settings.backoffStrategy`. */
export function webhookBackoffStrategy(attemptsMade: number, _type?: string, err?: Error): number {
  if (err instanceof WebhookRetryError || (err && 'delayMs' in err)) {
    return (err as WebhookRetryError).delayMs;
  }
  return Math.min(60_000, 1_000 * 2 ** Math.max(0, attemptsMade - 1));
}

export function webhookJobOptions(deliveryId: string, delayMs = 0): JobsOptions {
  return {
    jobId: deliveryId,
    delay: delayMs,
    attempts: WEBHOOK_MAX_JOB_ATTEMPTS,
    backoff: { type: WEBHOOK_BACKOFF_TYPE },
    removeOnComplete: { age: 86_400, count: 10_000 },
    removeOnFail: { age: 7 * 86_400 },
  };
}

export async function enqueueDeliveries(
  queue: Queue<WebhookJob>,
  rows: { id: string; tenantId: string }[],
): Promise<void> {
  if (!rows.length) return;
  await queue.addBulk(
    rows.map((d) => ({
      name: 'deliver',
      data: { deliveryId: d.id, tenantId: d.tenantId },
      opts: webhookJobOptions(d.id),
    })),
  );
}

/**
 * Enqueues deliveries committed a moment ago. They are in PostgreSQL already, so a Redis failure
 * only delays them: the overdue sweep enqueues them once Redis is back.
 */
export async function enqueueCommitted(
  queue: Queue<WebhookJob>,
  rows: { id: string; tenantId: string }[],
  logger: { warn(meta: object, message: string): void },
): Promise<number> {
  if (!rows.length) return 0;
  metrics.webhookDeliveriesCreated.inc(rows.length);
  try {
    await enqueueDeliveries(queue, rows);
  } catch (error) {
    metrics.enqueueFailures.inc({ queue: QUEUES.webhooks });
    logger.warn({ err: (error as Error).message }, 'could not enqueue webhooks');
  }
  return rows.length;
}

/** Exponential backoff with equal jitter: half the step fixed, half random. */
export function retryDelayMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random = Math.random,
): number {
  const step = Math.min(maxMs, baseMs * 2 ** Math.min(30, Math.max(0, attempt - 1)));
  return Math.round(step / 2 + random() * (step / 2));
}
