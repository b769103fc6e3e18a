import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { addScrapeReader, backlogGauges } from '@malipo/common';
import { BacklogRepository } from '@malipo/payments';
import { QUEUES } from '@malipo/queue';
import type { JobType, Queue } from 'bullmq';

/** `waiting` includes jobs of a paused queue (BullMQ 6 keeps them in its wait list). */
const STATES: JobType[] = ['waiting', 'prioritized', 'active', 'delayed', 'failed'];

/** Age in seconds of the oldest job waiting in a queue: two O(1) Redis reads. */
async function oldestWaitingSeconds(queue: Queue): Promise<number> {
  const [id] = await queue.getRanges(['wait'], 0, 0, true);
  const job = id ? await queue.getJob(id) : undefined;
  return job ? Math.max(0, (Date.now() - job.timestamp) / 1000) : 0;
}

/**
 * The worker's scrape-time gauges: BullMQ queues (depth by state, oldest waiting job) and the
 * PostgreSQL backlogs (callback inbox, reconciler, webhooks). Read only when Prometheus asks.
 */
@Injectable()
export class BacklogMetrics implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(BacklogMetrics.name);
  private remove: (() => void) | undefined;
  private readonly queues: Queue[];

  constructor(
    private readonly backlog: BacklogRepository,
    @InjectQueue(QUEUES.callbacks) callbacks: Queue,
    @InjectQueue(QUEUES.webhooks) webhooks: Queue,
    @InjectQueue(QUEUES.reconcile) reconcile: Queue,
  ) {
    this.queues = [callbacks, webhooks, reconcile];
  }

  onModuleInit(): void {
    this.remove = addScrapeReader(() => this.read());
  }

  onModuleDestroy(): void {
    this.remove?.();
  }

  private async read(): Promise<void> {
    await Promise.all([this.readDatabase(), ...this.queues.map((q) => this.readQueue(q))]).catch(
      (error: unknown) => this.logger.warn({ err: error }, 'backlog metrics not read'),
    );
  }

  private async readDatabase(): Promise<void> {
    const b = await this.backlog.read();
    backlogGauges.inboxBacklog.set(b.inboxBacklog);
    backlogGauges.inboxOldest.set(b.inboxOldestSeconds);
    backlogGauges.reconcileDue.set(b.reconcileDue);
    backlogGauges.reconcileOldestDue.set(b.reconcileOldestDueSeconds);
    backlogGauges.webhooksPending.set(b.webhooksPending);
    backlogGauges.webhooksOverdue.set(b.webhooksOverdueSeconds);
  }

  private async readQueue(queue: Queue): Promise<void> {
    const counts = await queue.getJobCounts(...STATES);
    for (const state of STATES) {
      backlogGauges.queueJobs.set({ queue: queue.name, state }, counts[state] ?? 0);
    }
    backlogGauges.queueOldestWaiting.set({ queue: queue.name }, await oldestWaitingSeconds(queue));
  }
}
