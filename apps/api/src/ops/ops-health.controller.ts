import { InjectQueue } from '@nestjs/bullmq';
import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { darajaHealth } from '@malipo/daraja';
import { CallbackInboxRepository } from '@malipo/payments';
import { QUEUES } from '@malipo/queue';
import type { Queue } from 'bullmq';
import { Roles } from '../auth';

const COUNTS = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * What an operator's health page shows beyond /health/ready: queue depths, callback backlog, and
 * Daraja as this api replica saw it (a metric and this page, never readiness).
 */
@ApiTags('ops')
@ApiBearerAuth()
@Roles('ops')
@Controller('v1/ops/health')
export class OpsHealthController {
  constructor(
    private readonly inbox: CallbackInboxRepository,
    @InjectQueue(QUEUES.callbacks) private readonly callbacks: Queue,
    @InjectQueue(QUEUES.webhooks) private readonly webhooks: Queue,
    @InjectQueue(QUEUES.reconcile) private readonly reconcile: Queue,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Queue depths, the oldest callback not yet processed, and Daraja as this replica saw it',
  })
  async get() {
    const queues = await Promise.all(
      [this.callbacks, this.webhooks, this.reconcile].map(async (q) => ({
        name: q.name,
        ...(await q.getJobCounts(...COUNTS)),
      })),
    );
    const oldest = await this.inbox.oldestReceivedAt();
    return {
      queues,
      oldestPendingCallbackAt: oldest?.toISOString() ?? null,
      daraja: await darajaHealth(),
    };
  }
}
