import { Inject, Injectable } from '@nestjs/common';
import type { TenantId } from '@malipo/common';
import { DRIZZLE, schema, type Db, type DbOrTx } from '@malipo/db';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';

const { webhookEndpoints } = schema;

export type WebhookEndpointRow = typeof schema.webhookEndpoints.$inferSelect;

export interface NewEndpoint {
  url: string;
  description: string | null;
  eventTypes: string[];
  secretSealed: string;
}

export interface EndpointPatch {
  url?: string;
  description?: string | null;
  eventTypes?: string[];
  enabled?: boolean;
}

const live = (tenantId: TenantId, id: string) =>
  and(
    eq(webhookEndpoints.tenantId, tenantId),
    eq(webhookEndpoints.id, id),
    isNull(webhookEndpoints.deletedAt),
  );

/** Webhook endpoints; every query names its tenant. Deleted endpoints stay for the log. */
@Injectable()
export class WebhookEndpointsRepository {
  constructor(@Inject(DRIZZLE) readonly db: Db) {}

  async insert(
    tenantId: TenantId,
    e: NewEndpoint,
    tx: DbOrTx = this.db,
  ): Promise<WebhookEndpointRow> {
    const [row] = await tx
      .insert(webhookEndpoints)
      .values({ tenantId, ...e })
      .returning();
    return row;
  }

  list(tenantId: TenantId): Promise<WebhookEndpointRow[]> {
    return this.db
      .select()
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.tenantId, tenantId), isNull(webhookEndpoints.deletedAt)))
      .orderBy(asc(webhookEndpoints.createdAt));
  }

  async find(tenantId: TenantId, id: string): Promise<WebhookEndpointRow | undefined> {
    const [row] = await this.db.select().from(webhookEndpoints).where(live(tenantId, id));
    return row;
  }

  /** Deleted ones included: a delivery already queued needs to know its endpoint is gone. */
  async findAny(
    tx: DbOrTx,
    tenantId: TenantId,
    id: string,
  ): Promise<WebhookEndpointRow | undefined> {
    const [row] = await tx
      .select()
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, id)));
    return row;
  }

  /** Enabled endpoints that receive new events. */
  active(tx: DbOrTx, tenantId: TenantId): Promise<WebhookEndpointRow[]> {
    return tx
      .select()
      .from(webhookEndpoints)
      .where(
        and(
          eq(webhookEndpoints.tenantId, tenantId),
          eq(webhookEndpoints.enabled, true),
          isNull(webhookEndpoints.deletedAt),
        ),
      );
  }

  async update(
    tenantId: TenantId,
    id: string,
    patch: EndpointPatch,
    tx: DbOrTx = this.db,
  ): Promise<WebhookEndpointRow | undefined> {
    const enabling = patch.enabled === true;
    const disabling = patch.enabled === false;
    const [row] = await tx
      .update(webhookEndpoints)
      .set({
        ...patch,
        updatedAt: new Date(),
        ...(enabling ? { disabledReason: null, disabledAt: null, failingSince: null } : {}),
        ...(disabling ? { disabledReason: 'disabled by the owner', disabledAt: new Date() } : {}),
      })
      .where(live(tenantId, id))
      .returning();
    return row;
  }

  async softDelete(tenantId: TenantId, id: string, tx: DbOrTx = this.db): Promise<boolean> {
    const rows = await tx
      .update(webhookEndpoints)
      .set({ deletedAt: new Date(), enabled: false, updatedAt: new Date() })
      .where(live(tenantId, id))
      .returning({ id: webhookEndpoints.id });
    return rows.length > 0;
  }

  async rotate(
    tenantId: TenantId,
    id: string,
    r: { secretSealed: string; previousSecretSealed: string; previousSecretExpiresAt: Date },
    tx: DbOrTx = this.db,
  ): Promise<WebhookEndpointRow | undefined> {
    const [row] = await tx
      .update(webhookEndpoints)
      .set({ ...r, updatedAt: new Date() })
      .where(live(tenantId, id))
      .returning();
    return row;
  }

  /**
   * Clears the failing streak. A busy endpoint succeeds many times a second; writing its row
   * every time would serialise all its deliveries on one row lock, so lastSuccessAt is only
   * refreshed once a second unless a streak has to be cleared.
   */
  async recordSuccess(tx: DbOrTx, tenantId: TenantId, id: string, at: Date): Promise<void> {
    await tx
      .update(webhookEndpoints)
      .set({ failingSince: null, lastSuccessAt: at })
      .where(
        and(
          eq(webhookEndpoints.tenantId, tenantId),
          eq(webhookEndpoints.id, id),
          sql`(${webhookEndpoints.failingSince} is not null or ${webhookEndpoints.lastSuccessAt} is null
               or ${webhookEndpoints.lastSuccessAt} < ${new Date(at.getTime() - 1000)})`,
        ),
      );
  }

  /**
   * Marks the endpoint failing (from its first failure since the last success) and disables it
   * once it has failed for `disableAfterSeconds`. Returns true when this call disabled it.
   */
  async recordFailure(
    tx: DbOrTx,
    tenantId: TenantId,
    id: string,
    f: { at: Date; disableAfterSeconds: number; lastError: string },
  ): Promise<boolean> {
    const [row] = await tx
      .update(webhookEndpoints)
      .set({ failingSince: sql`coalesce(${webhookEndpoints.failingSince}, ${f.at})` })
      .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, id)))
      .returning({
        failingSince: webhookEndpoints.failingSince,
        enabled: webhookEndpoints.enabled,
      });
    if (!row?.enabled || !row.failingSince) return false;
    if (f.at.getTime() - row.failingSince.getTime() < f.disableAfterSeconds * 1000) return false;
    const reason =
      `Disabled automatically: every delivery failed since ${row.failingSince.toISOString()}` +
      ` (last error: ${f.lastError.slice(0, 200)})`;
    await tx
      .update(webhookEndpoints)
      .set({ enabled: false, disabledReason: reason, disabledAt: f.at, updatedAt: f.at })
      .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, id)));
    return true;
  }
}
