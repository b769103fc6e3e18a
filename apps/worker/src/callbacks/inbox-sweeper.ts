import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { AppConfig, IntervalTask } from '@malipo/common';
import { CallbackInboxRepository, CallbackQueue } from '@malipo/payments';

const BATCH = 500;

/**
 * Invariant 6: a callback stored while Redis was down still gets applied. Inbox rows left in
 * `received` are enqueued again under their own id; BullMQ ignores an id it already holds, so
 * every replica may sweep.
 */
@Injectable()
export class InboxSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(InboxSweeper.name);
  private readonly task: IntervalTask;

  constructor(
    private readonly inbox: CallbackInboxRepository,
    private readonly config: AppConfig,
    private readonly queue: CallbackQueue,
  ) {
    this.task = new IntervalTask({
      name: 'inbox sweep',
      everyMs: config.INBOX_SWEEP_EVERY_MS,
      run: () => this.sweepOnce(),
      logger: this.logger,
    });
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  private async sweepOnce(): Promise<void> {
    const stale = await this.inbox.stale(this.config.INBOX_SWEEP_AFTER_MS, BATCH);
    if (!stale.length) return;
    await this.queue.enqueueMany(stale);
    this.logger.log({ count: stale.length }, 'swept stored callbacks into the queue');
  }
}
