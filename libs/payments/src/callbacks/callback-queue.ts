import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@malipo/common';
import { QUEUES, type CallbackJob } from '@malipo/queue';
import type { JobsOptions, Queue } from 'bullmq';

/** A stored callback to queue: its inbox row, and for a replay the tries it has had. */
export interface StoredCallback {
  id: string;
  tenantId: string;
  processAttempts?: number;
}

/**
 * The one owner of the callback job options. The job id is the inbox id, so the receiver and
 * every sweeping replica may enqueue the same row and BullMQ keeps one job; a replay gets an id
 * of its own (the dead job keeps the inbox id), fixed by the tries so far, so a double click
 * replays once.
 */
@Injectable()
export class CallbackQueue {
  constructor(
    private readonly config: AppConfig,
    @InjectQueue(QUEUES.callbacks) private readonly queue: Queue<CallbackJob>,
  ) {}

  async enqueue(row: StoredCallback): Promise<void> {
    await this.queue.add('apply', this.job(row), this.options(row.id));
  }

  async enqueueMany(rows: StoredCallback[]): Promise<void> {
    await this.queue.addBulk(
      rows.map((row) => ({ name: 'apply', data: this.job(row), opts: this.options(row.id) })),
    );
  }

  async replay(row: StoredCallback): Promise<void> {
    const jobId = `${row.id}-replay-${row.processAttempts ?? 0}`;
    await this.queue.add('apply', this.job(row), this.options(jobId));
  }

  private job(row: StoredCallback): CallbackJob {
    return { inboxId: row.id, tenantId: row.tenantId };
  }

  private options(jobId: string): JobsOptions {
    return {
      jobId,
      attempts: this.config.CALLBACK_JOB_ATTEMPTS,
      backoff: { type: 'exponential', delay: 1_000 },
    };
  }
}
