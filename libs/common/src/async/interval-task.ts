import type { LoggerService } from '@nestjs/common';

export interface IntervalTaskOptions {
  /** Names the task in the log line of a failed run. */
  name: string;
  everyMs: number;
  run: () => Promise<void>;
  logger: Pick<LoggerService, 'warn'>;
  /** A trigger during a run asks for one more run right after it, instead of being dropped. */
  rerunOnOverlap?: boolean;
}

/**
 * Every `everyMs`, run once; never two runs at once; a failed run is logged and the next one
 * retries; `stop()` waits for the run in progress so shutdown does not cut it in half.
 */
export class IntervalTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(private readonly options: IntervalTaskOptions) {}

  get isStopped(): boolean {
    return this.stopped;
  }

  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => void this.trigger(), this.options.everyMs);
  }

  /** Runs now unless stopped or already running; resolves when the current run ends. */
  trigger(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      if (this.options.rerunOnOverlap) this.again = true;
      return this.running;
    }
    this.running = this.loop().finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.options.run();
      } catch (error) {
        this.options.logger.warn(
          { err: (error as Error).message },
          `${this.options.name} failed; the next run retries`,
        );
      }
    } while (this.again && !this.stopped);
  }
}
