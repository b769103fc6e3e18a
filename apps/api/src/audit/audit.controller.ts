import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  AuditCheckpointsRepository,
  AuditLog,
  AuditRepository,
  AuditVerifier,
  currentActor,
} from '@malipo/audit';
import { NotFoundError, ValidationError } from '@malipo/common';
import { Readable } from 'node:stream';
import { CurrentPrincipal, Roles, type Principal } from '../auth';
import { RecordsOwnOpsRead } from '../auth/ops-read.decorator';
import {
  AuditPageView,
  AuditShopQuery,
  AuditVerdictView,
  ListAuditQuery,
} from './dto/audit-queries';

/**
 * A shop's audit log (issue 18): owners read their own; operators any shop's, naming it with
 * ?shopId=, and that read is itself an entry in the shop's log.
 */
@ApiTags('audit')
@ApiBearerAuth()
@Roles('owner', 'ops')
@RecordsOwnOpsRead()
@Controller('v1/audit')
export class AuditController {
  constructor(
    private readonly repo: AuditRepository,
    private readonly verifier: AuditVerifier,
    private readonly audit: AuditLog,
    private readonly checkpoints: AuditCheckpointsRepository,
  ) {}

  @Get()
  @ApiOperation({ summary: "The shop's audit entries in sequence order, a page at a time" })
  @ApiResponse({ status: 200, type: AuditPageView })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() q: ListAuditQuery,
  ): Promise<AuditPageView> {
    const shopId = await this.shopOf(principal, q, 'audit.list');
    const entries = await this.repo.page(shopId, q.cursor ?? 0, q.limit);
    const data = entries.map(({ chainId: _chain, ...entry }) => entry);
    const last = entries[entries.length - 1];
    return { data, nextCursor: entries.length === q.limit && last ? last.seq : null };
  }

  @Get('verify')
  @ApiOperation({
    summary:
      "Recompute the shop's chain from its genesis, compare with its head, check every signed checkpoint",
  })
  @ApiResponse({ status: 200, type: AuditVerdictView })
  async verify(
    @CurrentPrincipal() principal: Principal,
    @Query() q: AuditShopQuery,
  ): Promise<AuditVerdictView> {
    return this.verifier.verify(await this.shopOf(principal, q, 'audit.verify'));
  }

  @Get('export')
  @ApiProduces('application/x-ndjson')
  @ApiOperation({
    summary:
      'The whole chain as JSON lines (type entry, then head, then checkpoint), for npm run audit:verify',
  })
  async export(
    @CurrentPrincipal() principal: Principal,
    @Query() q: AuditShopQuery,
  ): Promise<StreamableFile> {
    const shopId = await this.shopOf(principal, q, 'audit.export');
    if (principal.role !== 'ops') {
      await this.audit.appendAlone(shopId, { action: 'audit.exported', subject: {}, data: {} });
    }
    const lines = async function* (source: AsyncIterable<string>) {
      for await (const line of source) yield `${line}\n`;
    };
    const signed = await this.checkpoints.list(shopId);
    return new StreamableFile(Readable.from(lines(this.repo.exportLines(shopId, signed))), {
      type: 'application/x-ndjson',
      disposition: `attachment; filename="audit-${shopId}.jsonl"`,
    });
  }

  /**
   * The shop to read: the owner's own (naming another is a 404, as for any other shop's data),
   * or for ops the one named, which is recorded in that shop's log as an ops.read.
   */
  private async shopOf(principal: Principal, q: AuditShopQuery, what: string): Promise<string> {
    if (principal.role !== 'ops') {
      if (!principal.tenantId || (q.shopId && q.shopId.toLowerCase() !== principal.tenantId)) {
        throw new NotFoundError('Shop not found', 'TENANT.NOT_FOUND');
      }
      return principal.tenantId;
    }
    if (!q.shopId) throw new ValidationError('shopId is required for ops', { field: 'shopId' });
    const shopId = q.shopId.toLowerCase();
    if (!(await this.repo.head(shopId))) {
      throw new NotFoundError('Shop not found', 'TENANT.NOT_FOUND');
    }
    await this.audit.appendAlone(
      shopId,
      {
        action: 'ops.read',
        subject: { route: `/v1/${what.replace('.', '/')}` },
        data: {},
      },
      currentActor(),
    );
    return shopId;
  }
}
