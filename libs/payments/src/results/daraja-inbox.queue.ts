import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@malipo/common';
import { QUEUES, type DarajaInboxJob } from '@malipo/queue';
import type { JobsOptions, Queue } from 'bullmq';

/** Job options of stored results and C2B bodies; the job id is the inbox id (enqueue twice = once). */
@Injectable()
export class DarajaInboxQueue {
  constructor(
    private readonly config: AppConfig,
    @InjectQueue(QUEUES.darajaInbox) private readonly queue: Queue<DarajaInboxJob>,
  ) {}

  async enqueue(rows: { id: string; tenantId: string }[]): Promise<void> {
    await this.queue.addBulk(
      rows.map((row) => ({
        name: 'process',
        data: { inboxId: row.id, tenantId: row.tenantId },
        opts: this.options(row.id),
      })),
    );
  }

  private options(jobId: string): JobsOptions {
    return {
      jobId,
      attempts: this.config.CALLBACK_JOB_ATTEMPTS,
      backoff: { type: 'exponential', delay: 500 },
    };
  }
}
