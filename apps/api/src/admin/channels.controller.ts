import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { TenantId } from '@malipo/common';
import { ActingTenant } from '../auth/current-principal.decorator';
import { Roles } from '../auth/roles.decorator';
import { AdminRoute, NOT_FOUND, TenantHeader } from './admin-api.decorators';
import { ChannelsService } from './channels.service';
import { CreateChannelDto } from './dto/create-channel.dto';
import { UpdateChannelDto } from './dto/update-channel.dto';
import { ChannelTestView, ChannelView } from './dto/views';
import { IdParamPipe } from './id-param.pipe';

@ApiTags('admin')
@AdminRoute()
@TenantHeader()
@Roles('owner', 'ops')
@Controller('v1/channels')
export class ChannelsController {
  constructor(private readonly channels: ChannelsService) {}

  @Post()
  @ApiOperation({ summary: 'Add a paybill or till; its secrets are sealed and never returned' })
  @ApiCreatedResponse({ type: ChannelView })
  async create(
    @ActingTenant() tenantId: TenantId,
    @Body() dto: CreateChannelDto,
  ): Promise<ChannelView> {
    return ChannelView.of(await this.channels.create(tenantId, dto));
  }

  @Get()
  @ApiOkResponse({ type: [ChannelView] })
  async list(@ActingTenant() tenantId: TenantId): Promise<ChannelView[]> {
    return (await this.channels.list(tenantId)).map((c) => ChannelView.of(c));
  }

  @Get(':id')
  @ApiOkResponse({ type: ChannelView })
  @ApiResponse(NOT_FOUND)
  async get(
    @ActingTenant() tenantId: TenantId,
    @Param('id', IdParamPipe) id: string,
  ): Promise<ChannelView> {
    return ChannelView.of(await this.channels.get(tenantId, id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Turn confirm-by-STK-Query on or off for this channel' })
  @ApiOkResponse({ type: ChannelView })
  @ApiResponse(NOT_FOUND)
  async update(
    @ActingTenant() tenantId: TenantId,
    @Param('id', IdParamPipe) id: string,
    @Body() dto: UpdateChannelDto,
  ): Promise<ChannelView> {
    return ChannelView.of(
      await this.channels.setConfirmWithQuery(tenantId, id, dto.confirmWithQuery),
    );
  }

  @Post(':id/test')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Check the consumer key and secret by fetching an OAuth token',
    description:
      'ok=false with reason consumer_credentials (key or secret wrong), unreachable or unknown. ' +
      'The passkey is only used by STK pushes and is not checked here.',
  })
  @ApiOkResponse({ type: ChannelTestView })
  @ApiResponse(NOT_FOUND)
  async test(
    @ActingTenant() tenantId: TenantId,
    @Param('id', IdParamPipe) id: string,
  ): Promise<ChannelTestView> {
    return this.channels.test(tenantId, id);
  }
}
