import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '@malipo/common';
import { ReconcileService, type TickStats } from '@malipo/payments';

const INTERVAL = 'reconciler';

/**
 * Ticks the reconciler in every worker replica. Safe to run everywhere: attempts are claimed with
 * FOR UPDATE SKIP LOCKED and leased, so replicas share the work instead of repeating it. A tick
 * that finds a full batch goes again at once (bounded), so a backlog drains at budget speed.
 */
@Injectable()
export class ReconcileScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReconcileScheduler.name);
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly reconciler: ReconcileService,
    private readonly config: AppConfig,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.RECONCILE_ENABLED) return;
    const timer = setInterval(() => void this.tick(), this.config.RECONCILE_TICK_MS);
    this.scheduler.addInterval(INTERVAL, timer);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.scheduler.doesExist('interval', INTERVAL)) this.scheduler.deleteInterval(INTERVAL);
    await this.running;
  }

  async tick(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = this.drain().finally(() => (this.running = undefined));
    await this.running;
  }

  private async drain(): Promise<void> {
    const until = Date.now() + this.config.RECONCILE_TICK_MS * 5;
    try {
      let stats: TickStats;
      do {
        stats = await this.reconciler.tick();
        if (stats.claimed || stats.expired) this.logger.debug(stats, 'reconcile tick');
      } while (
        !this.stopped &&
        stats.claimed >= this.config.RECONCILE_BATCH_SIZE &&
        (stats.results.budget ?? 0) < stats.claimed &&
        Date.now() < until
      );
    } catch (error) {
      this.logger.warn(
        { err: (error as Error).message },
        'reconcile tick failed; next tick retries',
      );
    }
  }
}
