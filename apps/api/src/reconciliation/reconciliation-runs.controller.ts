import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { NotFoundError, asTenantId } from '@malipo/common';
import { TenantsRepository } from '@malipo/db';
import { ReconcileReportsService, type ReconciliationRunRow } from '@malipo/payments';
import { CurrentPrincipal, Roles, type Principal } from '../auth';
import { StartRunDto } from './dto/report-queries';

const view = (r: ReconciliationRunRow) => ({
  id: r.id,
  tenantId: r.tenantId,
  from: r.fromDay,
  to: r.toDay,
  state: r.state,
  requestedBy: r.requestedBy,
  summary: r.summary,
  error: r.error,
  createdAt: r.createdAt.toISOString(),
  finishedAt: r.finishedAt?.toISOString() ?? null,
});

/** Operators reconcile a period: unresolved attempts are asked about again, reports rebuilt. */
@ApiTags('ops')
@ApiBearerAuth()
@Roles('ops')
@Controller('v1/ops/reconciliation/runs')
export class ReconciliationRunsController {
  constructor(
    private readonly reports: ReconcileReportsService,
    private readonly tenants: TenantsRepository,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Start a run over a range of days, for one tenant or all' })
  async start(@CurrentPrincipal() principal: Principal, @Body() body: StartRunDto) {
    const tenantId = body.tenantId ? asTenantId(body.tenantId.toLowerCase()) : null;
    if (tenantId && !(await this.tenants.findById(tenantId))) {
      throw new NotFoundError('Tenant not found', 'TENANT.NOT_FOUND', { field: 'tenantId' });
    }
    const run = await this.reports.startRun({
      tenantId,
      fromDay: body.from,
      toDay: body.to,
      requestedBy: principal.keyId,
    });
    return view(run);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A run and, once finished, its summary' })
  async get(@Param('id', ParseUUIDPipe) id: string) {
    return view(await this.reports.run(id));
  }
}
