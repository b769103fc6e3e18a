import { InjectQueue } from '@nestjs/bullmq';
import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import {
  AppConfig,
  ConflictError,
  NotFoundError,
  asTenantId,
  maskPhonesInText,
} from '@malipo/common';
import { CallbackInboxRepository, type InboxRow, type InboxState } from '@malipo/payments';
import { QUEUES, type CallbackJob } from '@malipo/queue';
import type { Queue } from 'bullmq';
import { Roles } from '../auth';

const STATES: InboxState[] = ['received', 'processed', 'invalid', 'rejected', 'dead'];

class ListCallbacksQuery {
  @ApiPropertyOptional({ enum: STATES, default: 'dead' })
  @IsOptional()
  @IsIn(STATES)
  state: InboxState = 'dead';
  @ApiPropertyOptional({ type: Number, default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit = 50;
}

const view = (row: InboxRow) => ({
  id: row.id,
  tenantId: row.tenantId,
  attemptId: row.attemptId,
  state: row.state,
  receivedAt: row.receivedAt.toISOString(),
  processedAt: row.processedAt?.toISOString() ?? null,
  processAttempts: row.processAttempts,
  lastError: row.lastError,
  sourceIp: row.sourceIp,
  // Operators need the evidence, not the customer's number.
  rawBody: maskPhonesInText(row.rawBody.slice(0, 4096)),
});

/** Dead-lettered and invalid callbacks, for operators. */
@ApiTags('ops')
@ApiBearerAuth()
@Roles('ops')
@Controller('v1/ops/callbacks')
export class OpsCallbacksController {
  constructor(
    private readonly inbox: CallbackInboxRepository,
    private readonly config: AppConfig,
    @InjectQueue(QUEUES.callbacks) private readonly queue: Queue<CallbackJob>,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Stored callbacks by state (dead letters by default)' })
  async list(@Query() q: ListCallbacksQuery) {
    return { items: (await this.inbox.listByState(q.state, q.limit)).map(view) };
  }

  @Post(':id/replay')
  @HttpCode(202)
  @ApiOperation({ summary: 'Apply a dead-lettered callback again' })
  async replay(@Param('id', ParseUUIDPipe) id: string) {
    const row = await this.inbox.find(null, id);
    if (!row) throw new NotFoundError('Callback not found', 'CALLBACK.NOT_FOUND');
    if (row.state !== 'dead') {
      throw new ConflictError(
        `Only dead callbacks can be replayed (this one is ${row.state})`,
        'CALLBACK.NOT_DEAD',
      );
    }
    await this.inbox.mark(this.inbox.db, asTenantId(row.tenantId), row.id, 'received');
    await this.queue.add(
      'apply',
      { inboxId: row.id, tenantId: row.tenantId },
      {
        jobId: `${row.id}-replay-${row.processAttempts}`,
        attempts: this.config.CALLBACK_JOB_ATTEMPTS,
        backoff: { type: 'exponential', delay: 1_000 },
      },
    );
    return { id: row.id, state: 'received' };
  }
}
