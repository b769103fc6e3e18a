import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { TenantId } from '@malipo/common';
import { AdjustmentService, ChargeService } from '@malipo/payments';
import { ActingTenant, CurrentPrincipal, Roles, type Principal } from '../auth';
import { IdempotencyKey } from '../payments/idempotency-key';
import { DecideReversalDto } from '../after-prompt/dto/reversal.dto';
import { ChargeDto, CreateAdjustmentDto } from './dto/account.dto';
import { AdjustmentViewDto, ChargeViewDto } from './dto/account.views';

/** Money out of an account: charges at the till, adjustments by two people. */
@ApiTags('accounts')
@ApiBearerAuth()
@Controller('v1/accounts/:id')
export class AccountMoneyController {
  constructor(
    private readonly charges: ChargeService,
    private readonly adjustments: AdjustmentService,
  ) {}

  @Post('charges')
  @Roles('terminal', 'owner', 'ops')
  @ApiOperation({ summary: 'Pay a sale from the balance (once per Idempotency-Key)' })
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiResponse({ status: 201, type: ChargeViewDto })
  @ApiResponse({ status: 404, description: 'ACCOUNT.NOT_FOUND' })
  @ApiResponse({
    status: 409,
    description: 'ACCOUNT.INSUFFICIENT_BALANCE, ACCOUNT.CLOSED, IDEMPOTENCY.IN_PROGRESS',
  })
  @ApiResponse({ status: 422, description: 'IDEMPOTENCY.KEY_REUSED: same key, different body' })
  async charge(
    @CurrentPrincipal() principal: Principal,
    @ActingTenant() tenantId: TenantId,
    @Param('id', ParseUUIDPipe) accountId: string,
    @IdempotencyKey() key: string,
    @Body() dto: ChargeDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    const terminalId = principal.terminalId;
    const result = await this.charges.charge({ tenantId, terminalId, accountId, key, ...dto });
    void reply.status(result.status);
    if (result.replayed) void reply.header('Idempotent-Replayed', 'true');
    return result.body;
  }

  @Post('adjustments')
  @Roles('owner', 'ops')
  @ApiOperation({ summary: 'Ask for a signed correction; a second, different key approves it' })
  @ApiResponse({ status: 201, type: AdjustmentViewDto })
  async request(
    @CurrentPrincipal() principal: Principal,
    @ActingTenant() tenantId: TenantId,
    @Param('id', ParseUUIDPipe) accountId: string,
    @Body() dto: CreateAdjustmentDto,
  ): Promise<AdjustmentViewDto> {
    const row = await this.adjustments.request(tenantId, accountId, {
      amount: dto.amount,
      reason: dto.reason.trim(),
      keyId: principal.keyId,
    });
    return AdjustmentViewDto.of(row);
  }

  @Get('adjustments')
  @Roles('owner', 'ops')
  @ApiOkResponse({ type: [AdjustmentViewDto] })
  async list(
    @ActingTenant() tenantId: TenantId,
    @Param('id', ParseUUIDPipe) accountId: string,
  ): Promise<AdjustmentViewDto[]> {
    return (await this.adjustments.list(tenantId, accountId)).map((a) => AdjustmentViewDto.of(a));
  }

  @Post('adjustments/:adjId/approve')
  @HttpCode(200)
  @Roles('owner', 'ops')
  @ApiOperation({ summary: 'Approve (another key than the one that asked) and post it' })
  @ApiOkResponse({ type: AdjustmentViewDto })
  @ApiResponse({ status: 403, description: 'ADJUSTMENT.SAME_KEY, ADJUSTMENT.APPROVER_NOT_ALLOWED' })
  @ApiResponse({ status: 404, description: 'ADJUSTMENT.NOT_FOUND' })
  @ApiResponse({ status: 409, description: 'ADJUSTMENT.NOT_PENDING, ACCOUNT.INSUFFICIENT_BALANCE' })
  async approve(
    @CurrentPrincipal() principal: Principal,
    @ActingTenant() tenantId: TenantId,
    @Param('id', ParseUUIDPipe) accountId: string,
    @Param('adjId', ParseUUIDPipe) adjustmentId: string,
    @Body() dto: DecideReversalDto,
  ): Promise<AdjustmentViewDto> {
    const who = { keyId: principal.keyId, role: principal.role };
    const ids = { accountId, adjustmentId };
    return AdjustmentViewDto.of(await this.adjustments.approve(tenantId, ids, who, dto.note));
  }

  @Post('adjustments/:adjId/reject')
  @HttpCode(200)
  @Roles('owner', 'ops')
  @ApiOkResponse({ type: AdjustmentViewDto })
  async reject(
    @CurrentPrincipal() principal: Principal,
    @ActingTenant() tenantId: TenantId,
    @Param('id', ParseUUIDPipe) accountId: string,
    @Param('adjId', ParseUUIDPipe) adjustmentId: string,
    @Body() dto: DecideReversalDto,
  ): Promise<AdjustmentViewDto> {
    const who = { keyId: principal.keyId, role: principal.role };
    const ids = { accountId, adjustmentId };
    return AdjustmentViewDto.of(await this.adjustments.reject(tenantId, ids, who, dto.note));
  }
}
