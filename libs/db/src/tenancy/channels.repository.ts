import { Inject, Injectable } from '@nestjs/common';
import type { TenantId } from '@malipo/common';
import { and, asc, eq } from 'drizzle-orm';
import { DRIZZLE, type Db, type DbOrTx } from '../db.types';
import { channels } from '../schema/tenancy';
import type { ChannelEnvironment, ChannelKind, ChannelRow } from './tenancy.types';

export interface NewChannel {
  name: string;
  kind: ChannelKind;
  shortcode: string;
  partyB: string;
  environment: ChannelEnvironment;
  secretsSealed: string;
  secretsKeyId: string;
  credentialFingerprint: string;
  accountReference?: string | null;
  queryBudgetPerMinute?: number | null;
  /** Success callbacks count only once STK Query confirms them. */
  confirmWithQuery?: boolean;
  initiatorName?: string | null;
  initiatorSealed?: string | null;
  initiatorKeyId?: string | null;
  mpesaCertificatePem?: string | null;
  minAmount?: number | null;
  maxAmount?: number | null;
}

/** Settings changed after creation; undefined fields are left as they are. */
export type ChannelSettingsPatch = Partial<
  Pick<
    NewChannel,
    | 'initiatorName'
    | 'initiatorSealed'
    | 'initiatorKeyId'
    | 'mpesaCertificatePem'
    | 'minAmount'
    | 'maxAmount'
  > & { c2bRegisteredAt: Date }
>;

/** Channels of one tenant; another tenant's channel is simply not found. */
@Injectable()
export class ChannelsRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Db) {}

  async create(tenantId: TenantId, input: NewChannel, tx: DbOrTx = this.db): Promise<ChannelRow> {
    const [row] = await tx
      .insert(channels)
      .values({ ...input, tenantId })
      .returning();
    return row;
  }

  async findById(
    tenantId: TenantId,
    channelId: string,
    tx: DbOrTx = this.db,
  ): Promise<ChannelRow | undefined> {
    const [row] = await tx
      .select()
      .from(channels)
      .where(and(eq(channels.tenantId, tenantId), eq(channels.id, channelId)));
    return row;
  }

  async list(tenantId: TenantId, tx: DbOrTx = this.db): Promise<ChannelRow[]> {
    return tx
      .select()
      .from(channels)
      .where(eq(channels.tenantId, tenantId))
      .orderBy(asc(channels.createdAt), asc(channels.id));
  }

  async listActive(tenantId: TenantId, tx: DbOrTx = this.db): Promise<ChannelRow[]> {
    return tx
      .select()
      .from(channels)
      .where(and(eq(channels.tenantId, tenantId), eq(channels.status, 'active')))
      .orderBy(asc(channels.createdAt), asc(channels.id));
  }

  /** Turns confirm-by-STK-Query on or off for one channel; undefined when not the tenant's. */
  async setConfirmWithQuery(
    tenantId: TenantId,
    channelId: string,
    confirmWithQuery: boolean,
    tx: DbOrTx = this.db,
  ): Promise<ChannelRow | undefined> {
    const [row] = await tx
      .update(channels)
      .set({ confirmWithQuery })
      .where(and(eq(channels.tenantId, tenantId), eq(channels.id, channelId)))
      .returning();
    return row;
  }

  /** Initiator, limits or C2B registration of one channel; undefined when not the tenant's. */
  async updateSettings(
    tenantId: TenantId,
    channelId: string,
    patch: ChannelSettingsPatch,
    tx: DbOrTx = this.db,
  ): Promise<ChannelRow | undefined> {
    const [row] = await tx
      .update(channels)
      .set(patch)
      .where(and(eq(channels.tenantId, tenantId), eq(channels.id, channelId)))
      .returning();
    return row;
  }
}
