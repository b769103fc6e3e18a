import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import {
  AppConfig,
  NotFoundError,
  ValidationError,
  parseInstant,
  type TenantId,
} from '@malipo/common';
import { QUEUES } from '@malipo/queue';
import { AuditLog } from '@malipo/audit';
import type { Tx } from '@malipo/db';
import {
  SsrfGuard,
  WebhookDeliveriesRepository,
  WebhookEndpointsRepository,
  WebhookSecrets,
  enqueueDeliveries,
  type WebhookEndpointRow,
  type WebhookJob,
} from '@malipo/webhooks';
import type { Queue } from 'bullmq';
import type { CreateWebhookDto, UpdateWebhookDto } from './webhook.dto';
import { deliveryView, endpointView } from './webhook.views';

const notFound = () => new NotFoundError('Webhook endpoint not found', 'WEBHOOK.NOT_FOUND');

/** The owner API behind /v1/webhooks; every call names its tenant, another's rows are 404. */
@Injectable()
export class WebhooksService {
  private readonly logger = new Logger(WebhooksService.name);

  constructor(
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly secrets: WebhookSecrets,
    private readonly guard: SsrfGuard,
    private readonly config: AppConfig,
    @InjectQueue(QUEUES.webhooks) private readonly queue: Queue<WebhookJob>,
    private readonly audit: AuditLog,
  ) {}

  async create(tenantId: TenantId, dto: CreateWebhookDto) {
    const url = await this.guard.assertAllowed(dto.url);
    const { secret, sealed } = this.secrets.create();
    const row = await this.audited(tenantId, 'webhook.created', (tx) =>
      this.endpoints.insert(
        tenantId,
        {
          url: url.toString(),
          description: dto.description ?? null,
          eventTypes: dto.eventTypes,
          secretSealed: sealed,
        },
        tx,
      ),
    );
    return { ...endpointView(row), secret };
  }

  async list(tenantId: TenantId) {
    return { items: (await this.endpoints.list(tenantId)).map(endpointView) };
  }

  async get(tenantId: TenantId, id: string) {
    return endpointView(await this.load(tenantId, id));
  }

  async update(tenantId: TenantId, id: string, dto: UpdateWebhookDto) {
    await this.load(tenantId, id);
    const url =
      dto.url === undefined ? undefined : (await this.guard.assertAllowed(dto.url)).toString();
    const row = await this.audited(tenantId, 'webhook.updated', (tx) =>
      this.endpoints.update(
        tenantId,
        id,
        { url, eventTypes: dto.eventTypes, description: dto.description, enabled: dto.enabled },
        tx,
      ),
    );
    if (!row) throw notFound();
    return endpointView(row);
  }

  async remove(tenantId: TenantId, id: string): Promise<void> {
    const deleted = await this.audit.db.transaction(async (tx) => {
      const done = await this.endpoints.softDelete(tenantId, id, tx);
      if (done) {
        await this.audit.append(tx, tenantId, {
          action: 'webhook.deleted',
          subject: { endpointId: id },
          data: {},
        });
      }
      return done;
    });
    if (!deleted) throw notFound();
  }

  /** A new secret, shown once; the old one keeps signing (as a second v1) until the overlap ends. */
  async rotate(tenantId: TenantId, id: string, overlapSeconds?: number) {
    const current = await this.load(tenantId, id);
    const { secret, sealed } = this.secrets.create();
    const overlap = overlapSeconds ?? this.config.WEBHOOK_SECRET_OVERLAP_SECONDS;
    const row = await this.audited(tenantId, 'webhook.secret_rotated', (tx) =>
      this.endpoints.rotate(
        tenantId,
        id,
        {
          secretSealed: sealed,
          previousSecretSealed: current.secretSealed,
          previousSecretExpiresAt: new Date(Date.now() + overlap * 1000),
        },
        tx,
      ),
    );
    if (!row) throw notFound();
    return { ...endpointView(row), secret };
  }

  async deliveriesOf(tenantId: TenantId, id: string, page: { limit?: number; cursor?: string }) {
    await this.load(tenantId, id);
    const before = page.cursor ? parseInstant(page.cursor) : undefined;
    if (page.cursor && !before) {
      throw new ValidationError('cursor is not valid', { field: 'cursor' });
    }
    const limit = page.limit ?? 20;
    const rows = await this.deliveries.listForEndpoint(tenantId, id, { limit, before });
    const attempts = await this.deliveries.attemptsOf(rows.map((d) => d.id));
    return {
      items: rows.map((d) =>
        deliveryView(
          d,
          attempts.filter((a) => a.deliveryId === d.id),
        ),
      ),
      nextCursor: rows.length === limit ? rows[rows.length - 1].createdAt.toISOString() : null,
    };
  }

  /** Sends the same event (same body, same id) again as a new delivery with its own log. */
  async redeliver(tenantId: TenantId, deliveryId: string) {
    const original = await this.deliveries.find(this.deliveries.db, tenantId, deliveryId);
    if (!original) throw new NotFoundError('Delivery not found', 'WEBHOOK.DELIVERY_NOT_FOUND');
    const endpoint = await this.load(tenantId, original.endpointId);
    if (!endpoint.enabled) {
      throw new ValidationError('Enable the endpoint before redelivering', {}, 'WEBHOOK.DISABLED');
    }
    const [copy] = await this.audit.db.transaction(async (tx) => {
      const rows = await this.deliveries.insertNew(tx, [
        {
          tenantId,
          endpointId: original.endpointId,
          eventKey: original.eventKey,
          eventId: original.eventId,
          eventType: original.eventType,
          payload: original.payload,
          redeliveryOf: original.redeliveryOf ?? original.id,
        },
      ]);
      await this.audit.append(tx, tenantId, {
        action: 'webhook.redelivered',
        subject: { deliveryId: original.id, endpointId: original.endpointId },
        data: { eventType: original.eventType },
      });
      return rows;
    });
    // If Redis is away the worker's overdue sweep sends it later; the row is what counts.
    await enqueueDeliveries(this.queue, [copy]).catch((error: unknown) =>
      this.logger.warn({ err: (error as Error).message }, 'redelivery not enqueued; swept later'),
    );
    return deliveryView(copy);
  }

  /**
   * An endpoint change and its audit entry in one transaction: the URL, event types and state,
   * never a secret (sealed or not).
   */
  private async audited<R extends WebhookEndpointRow | undefined>(
    tenantId: TenantId,
    action: string,
    change: (tx: Tx) => Promise<R>,
  ): Promise<R> {
    return this.audit.db.transaction(async (tx) => {
      const row = await change(tx);
      if (row) {
        await this.audit.append(tx, tenantId, {
          action,
          subject: { endpointId: row.id },
          data: { url: row.url, eventTypes: row.eventTypes, enabled: row.enabled },
        });
      }
      return row;
    });
  }

  private async load(tenantId: TenantId, id: string): Promise<WebhookEndpointRow> {
    const row = await this.endpoints.find(tenantId, id);
    if (!row) throw notFound();
    return row;
  }
}
