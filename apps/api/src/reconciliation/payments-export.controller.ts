import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ValidationError, type TenantId } from '@malipo/common';
import { ReconcileReportsService } from '@malipo/payments';
import { Readable } from 'node:stream';
import { ActingTenant, CurrentPrincipal, Roles, type Principal } from '../auth';
import { ExportPaymentsQuery } from './dto/report-queries';

const MAX_DAYS = 366;

/**
 * `GET /v1/payments/export.csv`. Fastify's router prefers this static path to the payments
 * controller's `/:id`, whatever the registration order.
 */
@ApiTags('payments')
@ApiBearerAuth()
@Roles('terminal', 'owner', 'ops')
@Controller('v1/payments')
export class PaymentsExportController {
  constructor(private readonly reports: ReconcileReportsService) {}

  @Get('export.csv')
  @ApiProduces('text/csv')
  @ApiOperation({
    summary:
      'Payments created in a range of days (EAT), optionally one status or till, as CSV, streamed; tills see masked phones',
  })
  async export(
    @CurrentPrincipal() principal: Principal,
    @ActingTenant() tenantId: TenantId,
    @Query() q: ExportPaymentsQuery,
  ): Promise<StreamableFile> {
    const from = this.reports.dayRange(q.from).from;
    const to = this.reports.dayRange(q.to).to;
    const days = (to.getTime() - from.getTime()) / 86_400_000;
    if (days < 1 || days > MAX_DAYS) {
      throw new ValidationError(`from..to must cover 1 to ${MAX_DAYS} days`, { field: 'to' });
    }
    const terminalId = principal.terminalId ?? q.terminalId ?? null;
    await this.reports.recordExport(tenantId, {
      from: q.from,
      to: q.to,
      status: q.status ?? null,
      terminalId,
    });
    const lines = this.reports.exportCsv({
      tenantId,
      // A till exports its own payments whatever it asks for.
      terminalId,
      status: q.status,
      from,
      to,
      fullPhone: principal.role !== 'terminal',
    });
    return new StreamableFile(Readable.from(lines), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="payments-${q.from}-${q.to}.csv"`,
    });
  }
}
