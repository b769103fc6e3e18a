import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { TenantId } from '@malipo/common';
import { ReversalService } from '@malipo/payments';
import { ActingTenant, CurrentPrincipal, Roles, type Principal } from '../auth';
import {
  CreateReversalDto,
  DecideReversalDto,
  ReversalPolicyDto,
  ReversalView,
} from './dto/reversal.dto';

@ApiTags('reversals')
@ApiBearerAuth()
@Controller('v1')
export class ReversalsController {
  constructor(private readonly reversals: ReversalService) {}

  @Post('payments/:id/reversals')
  @Roles('owner')
  @ApiOperation({
    summary: 'Ask for the full reversal of a succeeded payment; a second key must approve it',
  })
  @ApiResponse({ status: 201, type: ReversalView })
  @ApiResponse({ status: 400, description: 'VALIDATION.FAILED, CHANNEL.NO_INITIATOR' })
  @ApiResponse({ status: 404, description: 'PAYMENT.NOT_FOUND' })
  @ApiResponse({ status: 409, description: 'REVERSAL.NOT_REVERSIBLE, REVERSAL.ALREADY_REQUESTED' })
  async request(
    @CurrentPrincipal() principal: Principal,
    @ActingTenant() tenantId: TenantId,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CreateReversalDto,
  ): Promise<ReversalView> {
    const row = await this.reversals.request(tenantId, id, {
      reason: dto.reason.trim(),
      keyId: principal.keyId,
    });
    return ReversalView.of(row);
  }

  @Get('payments/:id/reversals')
  @Roles('owner', 'ops')
  @ApiOkResponse({ type: [ReversalView] })
  async list(
    @ActingTenant() tenantId: TenantId,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<ReversalView[]> {
    return (await this.reversals.list(tenantId, id)).map((r) => ReversalView.of(r));
  }

  @Post('reversals/:id/approve')
  @HttpCode(200)
  @Roles('owner', 'ops')
  @ApiOperation({
    summary: 'Approve (a different key than the one that asked), then send the Daraja Reversal',
  })
  @ApiOkResponse({ type: ReversalView })
  @ApiResponse({ status: 403, description: 'REVERSAL.SAME_KEY, REVERSAL.APPROVER_NOT_ALLOWED' })
  @ApiResponse({ status: 404, description: 'REVERSAL.NOT_FOUND' })
  @ApiResponse({ status: 409, description: 'REVERSAL.NOT_PENDING' })
  async approve(
    @CurrentPrincipal() principal: Principal,
    @ActingTenant() tenantId: TenantId,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: DecideReversalDto,
  ): Promise<ReversalView> {
    const who = { keyId: principal.keyId, role: principal.role };
    return ReversalView.of(await this.reversals.approve(tenantId, id, who, dto.note));
  }

  @Post('reversals/:id/reject')
  @HttpCode(200)
  @Roles('owner', 'ops')
  @ApiOkResponse({ type: ReversalView })
  @ApiResponse({ status: 404, description: 'REVERSAL.NOT_FOUND' })
  @ApiResponse({ status: 409, description: 'REVERSAL.NOT_PENDING' })
  async reject(
    @CurrentPrincipal() principal: Principal,
    @ActingTenant() tenantId: TenantId,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: DecideReversalDto,
  ): Promise<ReversalView> {
    const who = { keyId: principal.keyId, role: principal.role };
    return ReversalView.of(await this.reversals.reject(tenantId, id, who, dto.note));
  }

  @Get('reversal-policy')
  @Roles('owner', 'ops')
  @ApiOkResponse({ type: ReversalPolicyDto })
  async policy(@ActingTenant() tenantId: TenantId): Promise<ReversalPolicyDto> {
    return { approvers: await this.reversals.policy(tenantId) };
  }

  /** Ops only: an owner must not be able to loosen the rule that checks owners. */
  @Put('reversal-policy')
  @Roles('ops')
  @ApiOperation({ summary: "Set who approves this shop's reversals (x-tenant-id names the shop)" })
  @ApiOkResponse({ type: ReversalPolicyDto })
  @ApiResponse({ status: 404, description: 'TENANT.NOT_FOUND' })
  async setPolicy(
    @ActingTenant() tenantId: TenantId,
    @Body() dto: ReversalPolicyDto,
  ): Promise<ReversalPolicyDto> {
    await this.reversals.setPolicy(tenantId, dto.approvers);
    return { approvers: dto.approvers };
  }
}
