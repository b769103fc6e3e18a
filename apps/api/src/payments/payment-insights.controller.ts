import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { TenantId } from '@malipo/common';
import { PaymentActionsService, PaymentQueryService } from '@malipo/payments';
import { ActingTenant, CurrentPrincipal, Roles, type Principal } from '../auth';
import { callerOf } from './caller-of';
import { ListPaymentsQuery } from './dto/list-payments.query';

/** What the dashboard shows beside the list: totals and failure reasons, and a payment's prompts. */
@ApiTags('payments')
@ApiBearerAuth()
@Roles('terminal', 'owner', 'ops')
@Controller('v1/payments')
export class PaymentInsightsController {
  constructor(
    private readonly actions: PaymentActionsService,
    private readonly queries: PaymentQueryService,
  ) {}

  @Get('totals')
  @ApiOperation({
    summary: 'Count and amount by status, and failure reasons, for the same filters as the list',
  })
  async totals(
    @CurrentPrincipal() principal: Principal,
    @ActingTenant() tenantId: TenantId,
    @Query() q: ListPaymentsQuery,
  ) {
    const [items, failures] = await Promise.all([
      this.queries.totals(tenantId, principal.terminalId, q),
      this.queries.failureReasons(tenantId, principal.terminalId, q),
    ]);
    return { items, failures };
  }

  @Get(':id/attempts')
  @ApiOperation({ summary: 'Every STK push of a payment, in order' })
  async attempts(
    @CurrentPrincipal() principal: Principal,
    @ActingTenant() tenantId: TenantId,
    @Param('id', ParseUUIDPipe) id: string,
  ) {
    await this.actions.get(callerOf(principal, tenantId), id);
    return { items: await this.queries.attempts(tenantId, id) };
  }
}
