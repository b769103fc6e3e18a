import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { AppConfig, IntervalTask } from '@malipo/common';
import { runAsActor, systemActor } from '@malipo/audit';
import { ReconcileService, type TickStats } from '@malipo/payments';

/**
 * Ticks the reconciler in every worker replica. Safe to run everywhere: attempts are claimed with
 * FOR UPDATE SKIP LOCKED and leased, so replicas share the work instead of repeating it. A tick
 * that finds a full batch goes again at once (bounded), so a backlog drains at budget speed.
 */
@Injectable()
export class ReconcileScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReconcileScheduler.name);
  private readonly task: IntervalTask;

  constructor(
    private readonly reconciler: ReconcileService,
    private readonly config: AppConfig,
  ) {
    this.task = new IntervalTask({
      name: 'reconcile tick',
      everyMs: config.RECONCILE_TICK_MS,
      // Changes the reconciler makes are audited as its own (not a request's, not Daraja's).
      run: () => runAsActor(systemActor('reconciler'), () => this.drain()),
      logger: this.logger,
    });
  }

  onApplicationBootstrap(): void {
    if (this.config.RECONCILE_ENABLED) this.task.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  tick(): Promise<void> {
    return this.task.trigger();
  }

  private async drain(): Promise<void> {
    const until = Date.now() + this.config.RECONCILE_TICK_MS * 5;
    let stats: TickStats;
    do {
      stats = await this.reconciler.tick();
      if (stats.claimed || stats.expired) this.logger.debug(stats, 'reconcile tick');
    } while (
      !this.task.isStopped &&
      stats.claimed >= this.config.RECONCILE_BATCH_SIZE &&
      (stats.results.budget ?? 0) < stats.claimed &&
      Date.now() < until
    );
  }
}
