import Redis from 'ioredis';
import { createScratchDatabase } from '../../libs/db/src/scratch-database';
import { ADMIN_DATABASE_URL, TEST_SECRETS, assertTestDatabase, uniqueSuffix } from './test-env';

/** Creates this run's database and Redis namespace; children (jest workers) inherit the env. */
export default async function globalSetup(): Promise<void> {
  const suffix = uniqueSuffix();
  const dbName = `malipo_${suffix}_test`;
  const databaseUrl = await createScratchDatabase(ADMIN_DATABASE_URL, dbName);
  assertTestDatabase(databaseUrl);

  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
  await redis.connect();
  await redis.ping();
  redis.disconnect();

  Object.assign(process.env, TEST_SECRETS, {
    NODE_ENV: 'test',
    DARAJA_MODE: 'simulator',
    DATABASE_URL: databaseUrl,
    MALIPO_TEST_REDIS_BASE: `malipo_test_${suffix}`,
    REDIS_PREFIX: `malipo_test_${suffix}`,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    // Bursts of 50+ pushes per key are how other specs test idempotency; the limiter stays on (so
    // every e2e request goes through it) but out of reach. test/e2e/rate-limit sets small limits.
    RATE_LIMIT_PER_MINUTE: '1000000',
    RATE_LIMIT_PAYMENTS_PER_MINUTE: '1000000',
    // No load balancer to wait for; test/e2e/lifecycle sets its own drain window.
    SHUTDOWN_DRAIN_MS: '0',
    RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '1000000',
  });
}
