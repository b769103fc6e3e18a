import { Injectable } from '@nestjs/common';
import { NotFoundError, SecretBox, type TenantId } from '@malipo/common';
import { ChannelsRepository, type ChannelRow, type ChannelSettingsPatch } from '@malipo/db';
import { checkLimits, sealInitiator } from './channel-initiator';
import type { ChannelLimitsDto, SetInitiatorDto } from './dto/channel-settings.dto';

/** Settings of a channel set after it exists: the initiator of the result APIs and amount limits. */
@Injectable()
export class ChannelSettingsService {
  constructor(
    private readonly channels: ChannelsRepository,
    private readonly box: SecretBox,
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
    const row = await this.channels.updateSettings(tenantId, channelId, patch);
    if (!row) throw new NotFoundError('Channel not found', 'CHANNEL.NOT_FOUND');
    return row;
  }
}
