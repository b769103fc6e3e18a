import { Body, Controller, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { TenantId } from '@malipo/common';
import { ActingTenant } from '../auth/current-principal.decorator';
import { Roles } from '../auth/roles.decorator';
import { AdminRoute, NOT_FOUND, TenantHeader } from './admin-api.decorators';
import { ChannelSettingsService } from './channel-settings.service';
import { ChannelLimitsDto, SetInitiatorDto } from './dto/channel-settings.dto';
import { ChannelView } from './dto/views';
import { IdParamPipe } from './id-param.pipe';

@ApiTags('admin')
@AdminRoute()
@TenantHeader()
@Roles('owner', 'ops')
@Controller('v1/channels')
export class ChannelSettingsController {
  constructor(private readonly settings: ChannelSettingsService) {}

  @Put(':id/initiator')
  @ApiOperation({
    summary: 'Set the API operator (initiator) used for reversals and Transaction Status',
    description:
      'The password is sealed like the other channel secrets and the certificate is kept server-side; neither is ever returned.',
  })
  @ApiOkResponse({ type: ChannelView })
  @ApiResponse(NOT_FOUND)
  async setInitiator(
    @ActingTenant() tenantId: TenantId,
    @Param('id', IdParamPipe) id: string,
    @Body() dto: SetInitiatorDto,
  ): Promise<ChannelView> {
    return ChannelView.of(await this.settings.setInitiator(tenantId, id, dto));
  }

  @Put(':id/limits')
  @ApiOperation({ summary: 'Smallest and largest amount a payment on this channel may ask for' })
  @ApiOkResponse({ type: ChannelView })
  @ApiResponse(NOT_FOUND)
  async setLimits(
    @ActingTenant() tenantId: TenantId,
    @Param('id', IdParamPipe) id: string,
    @Body() dto: ChannelLimitsDto,
  ): Promise<ChannelView> {
    return ChannelView.of(await this.settings.setLimits(tenantId, id, dto));
  }
}
