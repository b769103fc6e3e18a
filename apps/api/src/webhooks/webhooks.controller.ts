import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { TenantId } from '@malipo/common';
import { ActingTenant, Roles } from '../auth';
import { AdminRoute, NOT_FOUND, TenantHeader } from '../admin/admin-api.decorators';
import { IdParamPipe } from '../admin/id-param.pipe';
import {
  CreateWebhookDto,
  ListDeliveriesQuery,
  RotateSecretDto,
  UpdateWebhookDto,
} from './webhook.dto';
import { WebhooksService } from './webhooks.service';

@ApiTags('webhooks')
@AdminRoute()
@TenantHeader()
@Roles('owner', 'ops')
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({ summary: 'Register an endpoint; the signing secret is in this answer only' })
  @ApiResponse({ status: 400, description: 'WEBHOOK.TARGET_REFUSED, VALIDATION.FAILED' })
  create(@ActingTenant() tenantId: TenantId, @Body() dto: CreateWebhookDto) {
    return this.webhooks.create(tenantId, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Endpoints of the tenant (no secrets)' })
  list(@ActingTenant() tenantId: TenantId) {
    return this.webhooks.list(tenantId);
  }

  @Get(':id')
  @ApiResponse(NOT_FOUND)
  get(@ActingTenant() tenantId: TenantId, @Param('id', IdParamPipe) id: string) {
    return this.webhooks.get(tenantId, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change url, event types, description or enabled' })
  @ApiResponse(NOT_FOUND)
  update(
    @ActingTenant() tenantId: TenantId,
    @Param('id', IdParamPipe) id: string,
    @Body() dto: UpdateWebhookDto,
  ) {
    return this.webhooks.update(tenantId, id, dto);
  }

  @Post(':id/disable')
  @HttpCode(200)
  @ApiResponse(NOT_FOUND)
  disable(@ActingTenant() tenantId: TenantId, @Param('id', IdParamPipe) id: string) {
    return this.webhooks.update(tenantId, id, { enabled: false });
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiResponse(NOT_FOUND)
  async remove(@ActingTenant() tenantId: TenantId, @Param('id', IdParamPipe) id: string) {
    await this.webhooks.remove(tenantId, id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'New secret (shown once); the old one stays valid for the overlap' })
  @ApiResponse(NOT_FOUND)
  rotate(
    @ActingTenant() tenantId: TenantId,
    @Param('id', IdParamPipe) id: string,
    @Body() dto: RotateSecretDto,
  ) {
    return this.webhooks.rotate(tenantId, id, dto.overlapSeconds);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'Delivery log: attempts, status codes, latency, truncated answers' })
  @ApiResponse(NOT_FOUND)
  deliveries(
    @ActingTenant() tenantId: TenantId,
    @Param('id', IdParamPipe) id: string,
    @Query() q: ListDeliveriesQuery,
  ) {
    return this.webhooks.deliveriesOf(tenantId, id, q);
  }

  @Post('deliveries/:id/redeliver')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send an event again (same id and body) as a new delivery' })
  @ApiResponse(NOT_FOUND)
  redeliver(@ActingTenant() tenantId: TenantId, @Param('id', IdParamPipe) id: string) {
    return this.webhooks.redeliver(tenantId, id);
  }
}
