import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { AppConfig, IntervalTask } from '@malipo/common';
import { PaymentEventsBus } from '@malipo/payments';
import { WebhookDispatcher } from '@malipo/webhooks';

/**
 * Runs the outbox dispatcher in every worker replica (tenants are claimed with SKIP LOCKED) and
 * re-enqueues overdue deliveries. A committed change in this process wakes it early (coalesced
 * over WEBHOOK_WAKE_DELAY_MS); that hint only saves latency, the interval alone is enough for
 * correctness.
 */
@Injectable()
export class WebhookDispatchTick implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookDispatchTick.name);
  private readonly task: IntervalTask;
  private lastSweep = 0;
  private wake: NodeJS.Timeout | undefined;

  constructor(
    private readonly dispatcher: WebhookDispatcher,
    private readonly config: AppConfig,
    private readonly bus: PaymentEventsBus,
  ) {
    this.task = new IntervalTask({
      name: 'webhook dispatch',
      everyMs: config.WEBHOOK_DISPATCH_EVERY_MS,
      run: () => this.round(),
      logger: this.logger,
      rerunOnOverlap: true, // a commit during a round must not wait for the next interval
    });
  }

  onApplicationBootstrap(): void {
    this.task.start();
    this.bus.subscribe(() => this.wakeSoon());
  }

  onApplicationShutdown(): Promise<void> {
    clearTimeout(this.wake);
    return this.task.stop();
  }

  tick(): Promise<void> {
    return this.task.trigger();
  }

  /** Coalesces a burst of commits into one round, at most WEBHOOK_WAKE_DELAY_MS later. */
  private wakeSoon(): void {
    if (this.wake || this.task.isStopped) return;
    this.wake = setTimeout(() => {
      this.wake = undefined;
      void this.task.trigger();
    }, this.config.WEBHOOK_WAKE_DELAY_MS);
  }

  private async round(): Promise<void> {
    await this.dispatcher.dispatch();
    if (Date.now() - this.lastSweep >= this.config.WEBHOOK_SWEEP_AFTER_MS / 2) {
      this.lastSweep = Date.now();
      await this.dispatcher.requeueOverdue(this.config.WEBHOOK_SWEEP_AFTER_MS);
    }
  }
}
