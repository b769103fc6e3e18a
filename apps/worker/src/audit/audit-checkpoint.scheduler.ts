import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { AppConfig, IntervalTask } from '@malipo/common';
import { AuditCheckpointer } from './audit-checkpointer.service';

/**
 * Looks for due audit chains every AUDIT_CHECKPOINT_TICK_MS in every worker replica. Safe to run
 * everywhere: a chain is checkpointed under its advisory lock and (chain, seq) is unique.
 */
@Injectable()
export class AuditCheckpointScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AuditCheckpointScheduler.name);
  private readonly task: IntervalTask;

  constructor(checkpointer: AuditCheckpointer, config: AppConfig) {
    this.task = new IntervalTask({
      name: 'audit checkpoints',
      everyMs: config.AUDIT_CHECKPOINT_TICK_MS,
      run: async () => {
        const written = await checkpointer.checkpointDueChains();
        if (written.length) this.logger.log({ chains: written.length }, 'audit checkpoints');
      },
      logger: this.logger,
    });
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  /** Runs a round now (tests). */
  tick(): Promise<void> {
    return this.task.trigger();
  }
}
