import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { maskPhonesInText } from '@malipo/common';
import { CallbackReplayService, type InboxRow, type InboxState } from '@malipo/payments';
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

/** Dead-lettered and invalid callbacks, for operators, who may replay them. */
@ApiTags('ops')
@ApiBearerAuth()
@Roles('ops')
@Controller('v1/ops/callbacks')
export class OpsCallbacksController {
  constructor(private readonly callbacks: CallbackReplayService) {}

  @Get()
  @ApiOperation({ summary: 'Stored callbacks by state (dead letters by default)' })
  async list(@Query() q: ListCallbacksQuery) {
    return { items: (await this.callbacks.list(q.state, q.limit)).map(view) };
  }

  @Post(':id/replay')
  @HttpCode(202)
  @ApiOperation({ summary: 'Apply a dead-lettered or invalid callback again' })
  replay(@Param('id', ParseUUIDPipe) id: string) {
    return this.callbacks.replay(id);
  }
}
