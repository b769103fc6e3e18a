import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { TenantId } from '@malipo/common';
import {
  AttachIncomingService,
  IncomingPaymentsRepository,
  toPaymentView,
  type PaymentView,
} from '@malipo/payments';
import { ActingTenant, CurrentPrincipal, Roles, type Principal } from '../auth';
import { AttachIncomingDto, IncomingPaymentView, ListIncomingQuery } from './dto/incoming.dto';

@ApiTags('incoming-payments')
@ApiBearerAuth()
@Roles('terminal', 'owner', 'ops')
@Controller('v1/incoming-payments')
export class IncomingPaymentsController {
  constructor(
    private readonly incoming: IncomingPaymentsRepository,
    private readonly attacher: AttachIncomingService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Money that reached the shop without a prompt (C2B, statement), newest first',
  })
  @ApiOkResponse({ type: [IncomingPaymentView] })
  async list(
    @ActingTenant() tenantId: TenantId,
    @Query() q: ListIncomingQuery,
  ): Promise<IncomingPaymentView[]> {
    const rows = await this.incoming.list(tenantId, { ...q, afterId: q.after });
    return rows.map((r) => IncomingPaymentView.of(r));
  }

  @Post(':id/attach')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Put unmatched money on an order: settles its payment (or creates one) with the receipt',
  })
  @ApiResponse({ status: 200, description: '{ incoming, payment }' })
  @ApiResponse({ status: 400, description: 'VALIDATION.FAILED' })
  @ApiResponse({ status: 404, description: 'INCOMING.NOT_FOUND, PAYMENT.NOT_FOUND' })
  @ApiResponse({
    status: 409,
    description: 'INCOMING.ALREADY_SETTLED, INCOMING.AMOUNT_MISMATCH, PAYMENT.ALREADY_PAID',
  })
  async attach(
    @CurrentPrincipal() principal: Principal,
    @ActingTenant() tenantId: TenantId,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: AttachIncomingDto,
  ): Promise<{ incoming: IncomingPaymentView; payment: PaymentView }> {
    const { incoming, payment } = await this.attacher.attach(tenantId, id, {
      ...dto,
      terminalId: principal.terminalId,
    });
    const fullPhone = principal.role !== 'terminal';
    return {
      incoming: IncomingPaymentView.of(incoming),
      payment: toPaymentView(payment, { fullPhone }),
    };
  }
}
