import { Client } from 'pg';
import Redis from 'ioredis';
import { runMigrations } from '../../libs/db/src/migrate';
import {
  ADMIN_DATABASE_URL,
  TEST_SECRETS,
  assertTestDatabase,
  databaseUrlFor,
  uniqueSuffix,
} from './test-env';

/** Creates this run's database and Redis namespace; children (jest workers) inherit the env. */
export default async function globalSetup(): Promise<void> {
  const suffix = uniqueSuffix();
  const dbName = `malipo_${suffix}_test`;
  const databaseUrl = databaseUrlFor(dbName);
  assertTestDatabase(databaseUrl);

  const admin = new Client({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  await admin.query(`create database "${dbName}"`);
  await admin.end();
  await runMigrations(databaseUrl);

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
  });
}
