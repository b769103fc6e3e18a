import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '@malipo/common';
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
  private running = false;

  constructor(
    private readonly inbox: CallbackInboxRepository,
    private readonly config: AppConfig,
    private readonly scheduler: SchedulerRegistry,
    private readonly queue: CallbackQueue,
  ) {}

  onApplicationBootstrap(): void {
    const timer = setInterval(() => void this.sweep(), this.config.INBOX_SWEEP_EVERY_MS);
    this.scheduler.addInterval('inbox-sweeper', timer);
  }

  onApplicationShutdown(): void {
    if (this.scheduler.doesExist('interval', 'inbox-sweeper')) {
      this.scheduler.deleteInterval('inbox-sweeper');
    }
  }

  async sweep(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      const stale = await this.inbox.stale(this.config.INBOX_SWEEP_AFTER_MS, BATCH);
      if (!stale.length) return 0;
      await this.queue.enqueueMany(stale);
      this.logger.log({ count: stale.length }, 'swept stored callbacks into the queue');
      return stale.length;
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'inbox sweep failed; will try again');
      return 0;
    } finally {
      this.running = false;
    }
  }
}
