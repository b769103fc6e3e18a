import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { ShutdownState, withTimeout } from '@malipo/common';
import { PG_POOL } from '@malipo/db';
import { REDIS } from '@malipo/queue';
import type Redis from 'ioredis';
import type { Pool } from 'pg';

const CHECK_TIMEOUT_MS = 1_500;

/** Readiness checks against the two services every replica needs. */
@Injectable()
export class DependencyHealth {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly shutdown: ShutdownState,
  ) {}

  /** Down from the first moment of a stop, so load balancers send new work elsewhere. */
  accepting(): HealthIndicatorResult {
    const check = this.indicators.check('lifecycle');
    return this.shutdown.draining ? check.down({ message: 'stopping' }) : check.up();
  }

  async postgres(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('postgres');
    try {
      await withTimeout(this.pool.query('select 1'), CHECK_TIMEOUT_MS, 'postgres check');
      return check.up();
    } catch (error) {
      return check.down({ message: (error as Error).message });
    }
  }

  async redisPing(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('redis');
    try {
      await withTimeout(this.redis.ping(), CHECK_TIMEOUT_MS, 'redis check');
      return check.up();
    } catch (error) {
      return check.down({ message: (error as Error).message });
    }
  }
}
