import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { TenantId } from '@malipo/common';
import { ReconcileReportsService } from '@malipo/payments';
import { ActingTenant, Roles } from '../auth';
import { DailyReportQuery, DayRangeQuery } from './dto/report-queries';

/** Owners read their shop's figures; ops name the tenant with x-tenant-id. */
@ApiTags('reports')
@ApiBearerAuth()
@Roles('owner', 'ops')
@Controller('v1/reports')
export class ReportsController {
  constructor(private readonly reports: ReconcileReportsService) {}

  @Get('daily')
  @ApiOperation({
    summary: 'The daily report of one day (EAT); generating it again rewrites the same report',
  })
  async daily(@ActingTenant() tenantId: TenantId, @Query() q: DailyReportQuery) {
    const row = await this.reports.daily(tenantId, q.date);
    const report = row.report as Record<string, unknown>;
    return { id: row.id, day: row.day, generatedAt: row.generatedAt.toISOString(), ...report };
  }

  @Get('range')
  @ApiOperation({ summary: 'The same figures for any range of days, computed on demand' })
  async range(@ActingTenant() tenantId: TenantId, @Query() q: DayRangeQuery) {
    const from = this.reports.dayRange(q.from).from;
    const to = this.reports.dayRange(q.to).to;
    return this.reports.report(tenantId, from, to);
  }
}
