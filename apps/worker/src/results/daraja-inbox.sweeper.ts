import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { AppConfig, IntervalTask } from '@malipo/common';
import { DarajaInboxQueue, DarajaInboxRepository } from '@malipo/payments';

/** Stored results the queue never saw (Redis was down) are enqueued again under their own id. */
@Injectable()
export class DarajaInboxSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DarajaInboxSweeper.name);
  private readonly task: IntervalTask;

  constructor(
    private readonly inbox: DarajaInboxRepository,
    private readonly config: AppConfig,
    private readonly queue: DarajaInboxQueue,
  ) {
    this.task = new IntervalTask({
      name: 'daraja inbox sweep',
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
    const stale = await this.inbox.stale(this.config.INBOX_SWEEP_AFTER_MS, 500);
    if (stale.length) await this.queue.enqueue(stale);
  }
}
