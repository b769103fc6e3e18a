import Redis from 'ioredis';
import { dropScratchDatabase } from '../../libs/db/src/scratch-database';
import { ADMIN_DATABASE_URL, assertTestDatabase } from './test-env';

async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** Drops this run's database and every Redis key under its prefix. */
export default async function globalTeardown(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    await dropScratchDatabase(ADMIN_DATABASE_URL, assertTestDatabase(databaseUrl));
  }
  const base = process.env.MALIPO_TEST_REDIS_BASE;
  if (base) {
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    await deleteKeys(redis, `${base}*`);
    redis.disconnect();
  }
}
