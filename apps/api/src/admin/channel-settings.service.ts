import { Injectable } from '@nestjs/common';
import { NotFoundError, SecretBox, type TenantId } from '@malipo/common';
import {
  ChannelDirectory,
  ChannelsRepository,
  type ChannelRow,
  type ChannelSettingsPatch,
} from '@malipo/db';
import { AuditLog } from '@malipo/audit';
import { channelRecord } from './channel-audit';
import { checkLimits, sealInitiator } from './channel-initiator';
import type { ChannelLimitsDto, SetInitiatorDto } from './dto/channel-settings.dto';

/** Settings of a channel set after it exists: the initiator of the result APIs and amount limits. */
@Injectable()
export class ChannelSettingsService {
  constructor(
    private readonly channels: ChannelsRepository,
    private readonly box: SecretBox,
    private readonly directory: ChannelDirectory,
    private readonly audit: AuditLog,
  ) {}

  setInitiator(tenantId: TenantId, channelId: string, dto: SetInitiatorDto): Promise<ChannelRow> {
    return this.update(tenantId, channelId, sealInitiator(this.box, dto));
  }

  setLimits(tenantId: TenantId, channelId: string, dto: ChannelLimitsDto): Promise<ChannelRow> {
    checkLimits(dto.minAmount, dto.maxAmount);
    return this.update(tenantId, channelId, {
      minAmount: dto.minAmount ?? null,
      maxAmount: dto.maxAmount ?? null,
    });
  }

  private async update(
    tenantId: TenantId,
    channelId: string,
    patch: ChannelSettingsPatch,
  ): Promise<ChannelRow> {
    const row = await this.audit.db.transaction(async (tx) => {
      const updated = await this.channels.updateSettings(tenantId, channelId, patch, tx);
      if (updated) await this.audit.append(tx, tenantId, channelRecord('channel.updated', updated));
      return updated;
    });
    // New limits apply to this api's next initiation, not after the directory's TTL.
    this.directory.forget(tenantId);
    if (!row) throw new NotFoundError('Channel not found', 'CHANNEL.NOT_FOUND');
    return row;
  }
}
