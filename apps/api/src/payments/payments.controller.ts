import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { nameCashier } from '@malipo/audit';
import type { TenantId } from '@malipo/common';
import {
  PaymentActionsService,
  PaymentQueryService,
  PaymentSettlementService,
  InitiatePaymentService,
  toPaymentView,
  type IdempotentAnswer,
} from '@malipo/payments';
import { ActingTenant, CurrentPrincipal, Roles, type Principal } from '../auth';
import { RefusedWhileStopping } from '../lifecycle/stopping.guard';
import { PushRateLimit } from '../rate-limit/push-rate-limit.decorator';
import { CreatePaymentDto } from './dto/create-payment.dto';
import { CancelPaymentDto, ListPaymentsQuery } from './dto/list-payments.query';
import { SettlePaymentDto } from './dto/settle-payment.dto';
import { callerOf } from './caller-of';
import { IdempotencyKey } from './idempotency-key';

function answer(reply: FastifyReply, result: IdempotentAnswer): unknown {
  void reply.status(result.status);
  if (result.replayed) void reply.header('Idempotent-Replayed', 'true');
  return result.body;
}

const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  required: true,
  description:
    'Unique per intended payment (1–255 printable chars). Replays return the stored answer for 24 h.',
};

@ApiTags('payments')
@ApiBearerAuth()
@Roles('terminal', 'owner', 'ops')
@Controller('v1/payments')
export class PaymentsController {
  constructor(
    private readonly initiate: InitiatePaymentService,
    private readonly actions: PaymentActionsService,
    private readonly queries: PaymentQueryService,
    private readonly settlement: PaymentSettlementService,
  ) {}

  @Post()
  @PushRateLimit()
  @RefusedWhileStopping()
  @ApiOperation({ summary: 'Start an STK push for an order' })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiResponse({
    status: 201,
    description: 'Payment view: awaiting_customer, failed (with failure) or unknown',
  })
  @ApiResponse({
    status: 400,
    description: 'VALIDATION.FAILED, IDEMPOTENCY.KEY_REQUIRED, CHANNEL.REQUIRED',
  })
  @ApiResponse({
    status: 409,
    description:
      'IDEMPOTENCY.IN_PROGRESS, PAYMENT.IN_PROGRESS, PAYMENT.ALREADY_PAID, PAYMENT.PHONE_BUSY',
  })
  @ApiResponse({ status: 422, description: 'IDEMPOTENCY.KEY_REUSED: same key, different body' })
  async create(
    @CurrentPrincipal() principal: Principal,
    @ActingTenant() tenantId: TenantId,
    @IdempotencyKey() key: string,
    @Body() body: CreatePaymentDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    const cashier = body.cashier || undefined;
    nameCashier(cashier);
    return answer(
      reply,
      await this.initiate.initiate(callerOf(principal, tenantId), key, { ...body, cashier }),
    );
  }

  @Get()
  @ApiOperation({ summary: 'List payments, newest first, with filters and a cursor' })
  async list(
    @CurrentPrincipal() principal: Principal,
    @ActingTenant() tenantId: TenantId,
    @Query() q: ListPaymentsQuery,
  ) {
    const caller = callerOf(principal, tenantId);
    const page = await this.queries.list(tenantId, caller.terminalId, q);
    return { items: page.items.map((p) => toPaymentView(p, caller)), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One payment' })
  async get(
    @CurrentPrincipal() principal: Principal,
    @ActingTenant() tenantId: TenantId,
    @Param('id', ParseUUIDPipe) id: string,
  ) {
    const caller = callerOf(principal, tenantId);
    return toPaymentView(await this.actions.get(caller, id), caller);
  }

  @Get(':id/events')
  @ApiOperation({ summary: 'Every state change of a payment, in order' })
  async events(
    @CurrentPrincipal() principal: Principal,
    @ActingTenant() tenantId: TenantId,
    @Param('id', ParseUUIDPipe) id: string,
  ) {
    await this.actions.get(callerOf(principal, tenantId), id);
    const events = await this.queries.events(tenantId, id);
    return {
      items: events.map((e) => ({
        seq: e.seq,
        type: e.type,
        from: e.fromStatus,
        to: e.toStatus,
        at: e.createdAt.toISOString(),
      })),
    };
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'The cashier stops waiting (a later success still wins)' })
  async cancel(
    @CurrentPrincipal() principal: Principal,
    @ActingTenant() tenantId: TenantId,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: CancelPaymentDto,
  ) {
    const caller = callerOf(principal, tenantId);
    return toPaymentView(await this.actions.cancel(caller, id, body.reason), caller);
  }

  @Post(':id/cash')
  @HttpCode(200)
  @ApiOperation({ summary: 'The customer paid cash after a failed prompt (no prompt may follow)' })
  @ApiResponse({
    status: 409,
    description: 'PAYMENT.ILLEGAL_TRANSITION: not failed, cancelled or expired',
  })
  async cash(
    @CurrentPrincipal() principal: Principal,
    @ActingTenant() tenantId: TenantId,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: CancelPaymentDto,
  ) {
    const caller = callerOf(principal, tenantId);
    return toPaymentView(await this.actions.takeCash(caller, id, body.reason), caller);
  }

  @Post(':id/retry')
  @PushRateLimit()
  @RefusedWhileStopping()
  @ApiOperation({ summary: 'A new prompt for a failed, cancelled or expired payment' })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiResponse({
    status: 409,
    description: 'PAYMENT.ATTEMPT_NOT_FINAL, PAYMENT.ILLEGAL_TRANSITION, PAYMENT.PHONE_BUSY',
  })
  async retry(
    @CurrentPrincipal() principal: Principal,
    @ActingTenant() tenantId: TenantId,
    @IdempotencyKey() key: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    return answer(reply, await this.actions.retry(callerOf(principal, tenantId), id, key));
  }

  @Post(':id/settle')
  @Roles('ops')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Operators: settle a payment whose outcome is unknown (paid with a receipt, or not)',
  })
  @ApiResponse({ status: 409, description: 'PAYMENT.ILLEGAL_TRANSITION, PAYMENT.RECEIPT_IN_USE' })
  async settle(
    @CurrentPrincipal() principal: Principal,
    @ActingTenant() tenantId: TenantId,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: SettlePaymentDto,
  ) {
    const settlement =
      body.outcome === 'paid'
        ? { outcome: 'paid' as const, receipt: body.receipt ?? '', note: body.note }
        : { outcome: 'not_paid' as const, note: body.note };
    const payment = await this.settlement.settle(tenantId, id, settlement, principal.keyId);
    return toPaymentView(payment, callerOf(principal, tenantId));
  }
}
