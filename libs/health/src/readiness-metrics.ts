import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { addScrapeReader, backlogGauges } from '@malipo/common';
import { DependencyHealth } from './dependency-health';

/**
 * Readiness as a metric, read at scrape time with the same checks as /health/ready, so an alert
 * can say which replica is out and why without a separate prober.
 */
@Injectable()
export class ReadinessMetrics implements OnModuleInit, OnModuleDestroy {
  private remove: (() => void) | undefined;

  constructor(private readonly dependencies: DependencyHealth) {}

  onModuleInit(): void {
    this.remove = addScrapeReader(() => this.read());
  }

  onModuleDestroy(): void {
    this.remove?.();
  }

  private async read(): Promise<void> {
    const [postgres, redis] = await Promise.all([
      this.dependencies.postgres(),
      this.dependencies.redisPing(),
    ]);
    const pgUp = postgres.postgres?.status === 'up';
    const redisUp = redis.redis?.status === 'up';
    const accepting = this.dependencies.accepting().lifecycle?.status === 'up';
    backlogGauges.dependencyUp.set({ dependency: 'postgres' }, pgUp ? 1 : 0);
    backlogGauges.dependencyUp.set({ dependency: 'redis' }, redisUp ? 1 : 0);
    backlogGauges.ready.set(pgUp && redisUp && accepting ? 1 : 0);
  }
}
