import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ReconcileReportsService } from '@malipo/payments';
import { QUEUES, type ReconcileRunJob } from '@malipo/queue';
import type { Job } from 'bullmq';

/** How often, and after how long, runs still `running` get their job again. */
const REQUEUE_EVERY_MS = 60_000;

/**
 * Executes operators' reconciliation runs in the workers, one at a time per replica, so a run
 * outlives the api that accepted it and a worker that dies mid-run hands it to another (BullMQ
 * stalled-job recovery). Runs are idempotent: reports are upserted per (tenant, day).
 */
@Processor(QUEUES.reconcile) // worker options: see WorkerRegistration
export class ReconcileRunProcessor
  extends WorkerHost
  implements OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger(ReconcileRunProcessor.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly reports: ReconcileReportsService) {
    super();
  }

  process(job: Job<ReconcileRunJob>): Promise<'executed' | 'skipped'> {
    return this.reports.executeQueuedRun(job.data.runId);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.requeue(), REQUEUE_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async requeue(): Promise<void> {
    const n = await this.reports.requeueUnfinishedRuns(REQUEUE_EVERY_MS).catch((error: unknown) => {
      this.logger.warn({ err: (error as Error).message }, 'could not re-enqueue unfinished runs');
      return 0;
    });
    if (n) this.logger.log({ runs: n }, 're-enqueued unfinished reconciliation runs');
  }
}
