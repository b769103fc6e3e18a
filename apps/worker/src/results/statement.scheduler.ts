import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { AppConfig, IntervalTask } from '@malipo/common';
import { StatementSweepService } from '@malipo/payments';

/**
 * Runs the statement sweep with the reconciler (RECONCILE_ENABLED). Replicas may sweep the same
 * channel: the receipt's unique index keeps one incoming payment, at the cost of a repeated pull.
 */
@Injectable()
export class StatementScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(StatementScheduler.name);
  private readonly task: IntervalTask;

  constructor(
    private readonly sweep: StatementSweepService,
    private readonly config: AppConfig,
  ) {
    this.task = new IntervalTask({
      name: 'statement sweep',
      everyMs: config.RECONCILE_STATEMENT_EVERY_MS,
      run: async () => {
        const recorded = await this.sweep.sweepAll();
        if (recorded) this.logger.log({ recorded }, 'statement sweep recorded unknown payments');
      },
      logger: this.logger,
    });
  }

  onApplicationBootstrap(): void {
    if (this.config.RECONCILE_ENABLED) this.task.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }
}
