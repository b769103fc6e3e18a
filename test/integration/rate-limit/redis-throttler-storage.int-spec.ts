import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { metrics } from '@malipo/common';
import fc from 'fast-check';
import Redis, { type RedisOptions } from 'ioredis';
import { RedisThrottlerStorage } from '../../../apps/api/src/rate-limit/redis-throttler.storage';
import { freePort, startRedis, waitFor, type RunningProcess } from '../../support/processes';

const PREFIX = `${process.env.REDIS_PREFIX ?? 'malipo_test'}:`;
const MINUTE = 60_000;

/** Configured like the api's shared client (RedisModule). */
function apiLikeClient(url: string, extra: RedisOptions = {}): Redis {
  return new Redis(url, {
    keyPrefix: PREFIX,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    ...extra,
  });
}

const aKey = () => `default:key:${randomBytes(6).toString('hex')}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const failOpenCount = async () => (await metrics.rateLimitFailOpen.get()).values[0]?.value ?? 0;

describe(RedisThrottlerStorage.name, () => {
  let redis: Redis;
  let sut: RedisThrottlerStorage;

  beforeAll(async () => {
    redis = apiLikeClient(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    await waitFor(async () => redis.status === 'ready');
    sut = new RedisThrottlerStorage(redis);
  });

  afterAll(() => redis?.disconnect());

  it('lets `limit` hits through per window, then refuses until the window ends', async () => {
    const key = aKey();
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await sut.increment(key, MINUTE, 3, 0, 'default'));
    expect(answers.map((a) => [a.totalHits, a.isBlocked])).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [4, true],
    ]);
    expect(answers[0].timeToExpire).toBeGreaterThan(58);
    expect(answers[0].timeToExpire).toBeLessThanOrEqual(60);
    expect(answers[3].timeToBlockExpire).toBeGreaterThanOrEqual(1);
    expect(answers[3].timeToBlockExpire).toBeLessThanOrEqual(60);
    // Under REDIS_PREFIX, and gone with the window.
    const ttl = await redis.pttl(`ratelimit:${key}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(MINUTE);
  });

  it('starts a fresh window once the old one expires', async () => {
    const key = aKey();
    await sut.increment(key, 300, 1, 0, 'default');
    expect((await sut.increment(key, 300, 1, 0, 'default')).isBlocked).toBe(true);
    await sleep(400);
    expect(await sut.increment(key, 300, 1, 0, 'default')).toMatchObject({
      totalHits: 1,
      isBlocked: false,
    });
  });

  it('with a block duration, refuses for that long after the limit and then counts afresh', async () => {
    const key = aKey();
    await sut.increment(key, MINUTE, 1, 400, 'default');
    const refused = await sut.increment(key, MINUTE, 1, 400, 'default');
    expect(refused).toMatchObject({ isBlocked: true, timeToBlockExpire: 1 });
    expect((await sut.increment(key, MINUTE, 1, 400, 'default')).isBlocked).toBe(true);
    await sleep(500);
    expect(await sut.increment(key, MINUTE, 1, 400, 'default')).toMatchObject({
      totalHits: 1,
      isBlocked: false,
    });
  });

  it('admits exactly min(requests, limit) of any burst of concurrent hits on one key', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 40 }),
        async (limit, requests) => {
          const key = aKey();
          const answers = await Promise.all(
            Array.from({ length: requests }, () => sut.increment(key, MINUTE, limit, 0, 'default')),
          );
          const admitted = answers.filter((a) => !a.isBlocked);
          expect(admitted).toHaveLength(Math.min(requests, limit));
          expect(admitted.map((a) => a.totalHits).sort((a, b) => a - b)).toEqual(
            Array.from({ length: admitted.length }, (_, i) => i + 1),
          );
          for (const a of answers.filter((x) => x.isBlocked)) {
            expect(a.timeToBlockExpire).toBeGreaterThanOrEqual(1);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  describe('when Redis fails', () => {
    let own: RunningProcess;
    let ownClient: Redis;
    let warn: jest.SpyInstance;

    beforeAll(async () => {
      const port = await freePort();
      own = startRedis(port);
      await waitFor(async () => own.output().includes('Ready to accept connections'));
      // No reconnecting once the server is gone, so nothing outlives the test.
      ownClient = apiLikeClient(`redis://127.0.0.1:${port}`, { retryStrategy: () => null });
      await waitFor(async () => ownClient.status === 'ready');
    });

    beforeEach(() => {
      warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    });

    afterEach(() => warn.mockRestore());

    afterAll(async () => {
      own?.child.kill('SIGCONT');
      // Once ended, disconnect() would only arm a 2 s timer on the closed socket.
      if (ownClient && ownClient.status !== 'end') ownClient.disconnect();
      await own?.stop();
    });

    it('lets requests through, counts them and warns at most every few seconds, when Redis hangs', async () => {
      const storage = new RedisThrottlerStorage(ownClient);
      const before = await failOpenCount();
      own.child.kill('SIGSTOP');
      try {
        const started = Date.now();
        const answers = await Promise.all([
          storage.increment(aKey(), MINUTE, 1, 0, 'default'),
          storage.increment(aKey(), MINUTE, 1, 0, 'default'),
        ]);
        expect(Date.now() - started).toBeLessThan(2_000);
        for (const a of answers) expect(a).toMatchObject({ isBlocked: false, totalHits: 0 });
      } finally {
        own.child.kill('SIGCONT');
      }
      expect((await failOpenCount()) - before).toBe(2);
      expect(warn).toHaveBeenCalledTimes(1);
    });

    it('lets requests through at once when Redis is gone', async () => {
      const storage = new RedisThrottlerStorage(ownClient);
      await own.stop();
      await waitFor(async () => ownClient.status !== 'ready');
      const before = await failOpenCount();
      const started = Date.now();
      const answer = await storage.increment(aKey(), MINUTE, 1, 0, 'default');
      expect(Date.now() - started).toBeLessThan(400);
      expect(answer).toMatchObject({ isBlocked: false, timeToBlockExpire: 0 });
      expect((await failOpenCount()) - before).toBe(1);
    });
  });
});
