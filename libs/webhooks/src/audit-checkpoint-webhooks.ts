import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { CHECKPOINT_ALGORITHM, type SignedCheckpoint } from '@malipo/audit';
import { asTenantId } from '@malipo/common';
import type { Tx } from '@malipo/db';
import { QUEUES } from '@malipo/queue';
import type { Queue } from 'bullmq';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';
import { webhookEventId, type WebhookBody, type WebhookEventType } from './webhook-events';
import { enqueueCommitted, type WebhookJob } from './webhook-jobs';

const TYPE: WebhookEventType = 'audit.checkpoint';

/** What the shop receives: everything it needs to verify the signature with the public key. */
export interface AuditCheckpointData extends SignedCheckpoint {
  shopId: string;
  algorithm: typeof CHECKPOINT_ALGORITHM;
}

export function auditCheckpointBody(cp: SignedCheckpoint): WebhookBody<AuditCheckpointData> {
  return {
    id: webhookEventId(`acp${cp.seq}`, TYPE),
    type: TYPE,
    createdAt: cp.at,
    tenantId: cp.chainId,
    data: { ...cp, shopId: cp.chainId, algorithm: CHECKPOINT_ALGORITHM },
  };
}

/**
 * Turns a shop's new checkpoint into deliveries, in the transaction that stores the checkpoint
 * (the checkpoint row is the committed source, as payment events are for payment webhooks), then
 * hands them to the sender's queue after commit; a lost job is re-enqueued by the overdue sweep.
 */
@Injectable()
export class AuditCheckpointWebhooks {
  private readonly logger = new Logger(AuditCheckpointWebhooks.name);

  constructor(
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
    @InjectQueue(QUEUES.webhooks) private readonly queue: Queue<WebhookJob>,
  ) {}

  async insertInTx(tx: Tx, cp: SignedCheckpoint): Promise<{ id: string; tenantId: string }[]> {
    const at = new Date(cp.at);
    const targets = (await this.endpoints.active(tx, asTenantId(cp.chainId))).filter(
      (e) => e.eventTypes.includes(TYPE) && e.createdAt.getTime() <= at.getTime(),
    );
    if (!targets.length) return [];
    const body = auditCheckpointBody(cp);
    const payload = JSON.stringify(body);
    return this.deliveries.insertNew(
      tx,
      targets.map((e) => ({
        tenantId: e.tenantId,
        endpointId: e.id,
        eventKey: `acp${cp.seq}`,
        eventId: body.id,
        eventType: TYPE,
        payload,
      })),
    );
  }

  enqueue(rows: { id: string; tenantId: string }[]): Promise<number> {
    return enqueueCommitted(this.queue, rows, this.logger);
  }
}
