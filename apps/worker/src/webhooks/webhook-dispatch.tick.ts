import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '@malipo/common';
import { PaymentEventsBus } from '@malipo/payments';
import { WebhookDispatcher } from '@malipo/webhooks';

const INTERVAL = 'webhook-dispatch';

/**
 * Runs the outbox dispatcher in every worker replica (tenants are claimed with SKIP LOCKED) and
 * re-enqueues overdue deliveries. A committed change in this process wakes it early (coalesced
 * over WEBHOOK_WAKE_DELAY_MS); that hint only saves latency, the interval alone is enough for
 * correctness.
 */
@Injectable()
export class WebhookDispatchTick implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookDispatchTick.name);
  private running = false;
  private again = false;
  private lastSweep = 0;
  private stopped = false;
  private wake: NodeJS.Timeout | undefined;

  constructor(
    private readonly dispatcher: WebhookDispatcher,
    private readonly config: AppConfig,
    private readonly scheduler: SchedulerRegistry,
    private readonly bus: PaymentEventsBus,
  ) {}

  onApplicationBootstrap(): void {
    const timer = setInterval(() => void this.tick(), this.config.WEBHOOK_DISPATCH_EVERY_MS);
    this.scheduler.addInterval(INTERVAL, timer);
    this.bus.subscribe(() => this.wakeSoon());
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.wake);
    if (this.scheduler.doesExist('interval', INTERVAL)) this.scheduler.deleteInterval(INTERVAL);
  }

  /** Coalesces a burst of commits into one round, at most WEBHOOK_WAKE_DELAY_MS later. */
  private wakeSoon(): void {
    if (this.wake || this.stopped) return;
    this.wake = setTimeout(() => {
      this.wake = undefined;
      void this.tick();
    }, this.config.WEBHOOK_WAKE_DELAY_MS);
  }

  async tick(): Promise<void> {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.again = false;
        await this.dispatcher.dispatch();
      } while (this.again && !this.stopped);
      if (Date.now() - this.lastSweep >= this.config.WEBHOOK_SWEEP_AFTER_MS / 2) {
        this.lastSweep = Date.now();
        await this.dispatcher.requeueOverdue(this.config.WEBHOOK_SWEEP_AFTER_MS);
      }
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'webhook dispatch failed; will retry');
    } finally {
      this.running = false;
    }
  }
}
