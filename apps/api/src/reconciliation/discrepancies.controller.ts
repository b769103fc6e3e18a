import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { TenantId } from '@malipo/common';
import { ReconcileReportsService, type DiscrepancyRow } from '@malipo/payments';
import { CurrentPrincipal, Roles, TENANT_HEADER, tenantOf, type Principal } from '../auth';
import {
  AcknowledgeDiscrepancyDto,
  ListDiscrepanciesQuery,
  ResolveDiscrepancyDto,
} from './dto/report-queries';

/** Owners see their own; ops see one tenant (x-tenant-id) or, without the header, all of them. */
function scopeOf(principal: Principal, header: string | undefined): TenantId | null {
  if (principal.role === 'ops' && !header) return null;
  return tenantOf(principal, header);
}

const view = (d: DiscrepancyRow) => ({
  id: d.id,
  tenantId: d.tenantId,
  kind: d.kind,
  state: d.state,
  paymentId: d.paymentId,
  attemptId: d.attemptId,
  evidence: d.evidence,
  createdAt: d.createdAt.toISOString(),
  resolvedAt: d.resolvedAt?.toISOString() ?? null,
  resolvedBy: d.resolvedBy,
  note: d.resolutionNote,
});

@ApiTags('discrepancies')
@ApiBearerAuth()
@Roles('owner', 'ops')
@Controller('v1/discrepancies')
export class DiscrepanciesController {
  constructor(private readonly reports: ReconcileReportsService) {}

  @Get()
  @ApiOperation({ summary: 'Where we and Safaricom disagree, newest first, with filters' })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Headers(TENANT_HEADER) header: string | undefined,
    @Query() q: ListDiscrepanciesQuery,
  ) {
    const rows = await this.reports.listDiscrepancies({
      tenantId: scopeOf(principal, header),
      state: q.state,
      kind: q.kind,
      paymentId: q.paymentId,
      from: q.from ? this.reports.dayRange(q.from).from : undefined,
      to: q.to ? this.reports.dayRange(q.to).to : undefined,
      limit: Math.min(500, Math.max(1, Number(q.limit ?? 100))),
    });
    return { items: rows.map(view) };
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @ApiOperation({ summary: 'Someone is looking into it' })
  async acknowledge(
    @CurrentPrincipal() principal: Principal,
    @Headers(TENANT_HEADER) header: string | undefined,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: AcknowledgeDiscrepancyDto,
  ) {
    const row = await this.reports.setDiscrepancyState(
      scopeOf(principal, header),
      id,
      'acknowledged',
      principal.keyId,
      body.note ?? null,
    );
    return view(row);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Closed, with who (the API key) and a note' })
  async resolve(
    @CurrentPrincipal() principal: Principal,
    @Headers(TENANT_HEADER) header: string | undefined,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ResolveDiscrepancyDto,
  ) {
    const row = await this.reports.setDiscrepancyState(
      scopeOf(principal, header),
      id,
      'resolved',
      principal.keyId,
      body.note,
    );
    return view(row);
  }
}
